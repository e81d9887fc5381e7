import { Client, type User, type UserUpdateReason } from '@parley/client';
import { chatFixture, startStack, startTcpBalancer, waitFor, type ChatFixture, type ServiceProcess, type Stack, type TcpBalancer } from '@parley/testing';

/**
 * The Reachability Indicator end to end: presence-service, two realtime-gateway processes (more for the failure
 * cases), SDK clients, and REST through the official helper. The node TTL is 2 s here (10 s by default).
 */
const NODE_TTL_MS = 2_000;

describe('presence: reachability across gateways', () => {
  let stack: Stack;
  let chat: ChatFixture;
  let gatewayA: ServiceProcess;
  let gatewayB: ServiceProcess;
  const clients: Client[] = [];
  const balancers: TcpBalancer[] = [];

  beforeAll(async () => {
    stack = await startStack({ label: 'presence', env: { PRESENCE_NODE_TTL_MS: String(NODE_TTL_MS) } });
    gatewayA = stack.get('realtime-gateway');
    gatewayB = await stack.add('realtime-gateway');
    chat = await chatFixture(stack, 'presence');
    await chat.rest.chat.v2.services(chat.serviceSid).update({ reachabilityEnabled: true });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.shutdown().catch(() => undefined)));
    await Promise.all(balancers.map((b) => b.close()));
    await stack?.stop();
  });

  async function connect(identity: string, gateway: { url: string }, fixture = chat): Promise<Client> {
    const client = await Client.create(fixture.token(identity), { url: gateway.url, commandTimeout: 5_000 });
    clients.push(client);
    return client;
  }

  const fetchUser = (identity: string, fixture = chat) => fixture.rest.chat.v2.services(fixture.serviceSid).users(identity).fetch();

  /** Every `updated` of a subscribed user, as the reasons and the state after it. */
  function watch(user: User): { reasons: UserUpdateReason[]; online: boolean | null; notifiable: boolean | null }[] {
    const seen: { reasons: UserUpdateReason[]; online: boolean | null; notifiable: boolean | null }[] = [];
    user.on('updated', ({ user: u, updateReasons }) => seen.push({ reasons: updateReasons, online: u.isOnline, notifiable: u.isNotifiable }));
    return seen;
  }

  it('reports is_online / is_notifiable to REST Fetch and to a subscribed SDK User as they change', async () => {
    const watcher = await connect('watcher', gatewayA);
    const bob = await connect('bob', gatewayB);
    expect(watcher.reachabilityEnabled).toBe(true);

    await expect(fetchUser('bob')).resolves.toMatchObject({ isOnline: true, isNotifiable: null });
    const listed = await chat.rest.chat.v2.services(chat.serviceSid).users.list();
    expect(listed.find((u) => u.identity === 'bob')).toMatchObject({ isOnline: null, isNotifiable: null });

    const user = await watcher.getUser('bob');
    expect(user.isOnline).toBe(true);
    const updates = watch(user);

    await bob.setPushRegistrationId('fcm', 'device-token-bob');
    await waitFor(() => updates.length === 1, { description: 'notifiable update' });
    expect(updates[0]).toEqual({ reasons: ['reachabilityNotifiable'], online: true, notifiable: true });
    await waitFor(async () => (await fetchUser('bob')).isNotifiable === true, { description: 'REST is_notifiable' });

    await bob.shutdown();
    await waitFor(() => updates.length === 2, { description: 'offline update' });
    expect(updates[1]).toEqual({ reasons: ['reachabilityOnline'], online: false, notifiable: true });
    await expect(fetchUser('bob')).resolves.toMatchObject({ isOnline: false, isNotifiable: true });
  });

  it('answers null and sends nothing for a Service with reachability off', async () => {
    const off = await chatFixture(stack, 'reachability off');
    const watcher = await connect('watcher', gatewayA, off);
    const zed = await connect('zed', gatewayB, off);
    expect(watcher.reachabilityEnabled).toBe(false);
    await expect(fetchUser('zed', off)).resolves.toMatchObject({ isOnline: null, isNotifiable: null });
    const user = await watcher.getUser('zed');
    expect(user.isOnline).toBeNull();
    const updates = watch(user);
    await zed.shutdown();
    // A reachability change after zed's would arrive after it too: none may come for zed.
    const yan = await connect('yan', gatewayB);
    const yanUser = await (await connect('observer', gatewayA)).getUser('yan');
    expect(yanUser.isOnline).toBe(true);
    await yan.shutdown();
    await waitFor(() => yanUser.isOnline === false, { description: 'yan offline (reachability on)' });
    expect(updates).toEqual([]);
  });

  it("takes a crashed gateway's users offline within the node TTL", async () => {
    const victim = await stack.add('realtime-gateway');
    await connect('ivan', victim);
    const user = await (await connect('ivan-watcher', gatewayA)).getUser('ivan');
    expect(user.isOnline).toBe(true);

    victim.child.kill('SIGKILL');
    await victim.exited;
    const killedAt = Date.now();
    await waitFor(() => user.isOnline === false, { timeoutMs: 20_000, description: 'ivan offline after the crash' });
    process.stdout.write(`presence e2e: crashed gateway's user offline ${Date.now() - killedAt} ms after the kill (node TTL ${NODE_TTL_MS} ms)\n`);
    await expect(fetchUser('ivan')).resolves.toMatchObject({ isOnline: false });
  });

  it('keeps the users of a gateway shutting down cleanly online while they reconnect to another one', async () => {
    const leaving = await stack.add('realtime-gateway');
    const balancer = await startTcpBalancer([leaving.port]);
    balancers.push(balancer);
    await connect('jill', balancer); // reconnects through the balancer
    await connect('kim', leaving); // its client can only retry the gone gateway
    const observer = await connect('jk-watcher', gatewayA);
    const jill = await observer.getUser('jill');
    const kim = await observer.getUser('kim');
    expect([jill.isOnline, kim.isOnline]).toEqual([true, true]);
    const jillUpdates = watch(jill);

    balancer.upstreams = [gatewayA.port, gatewayB.port];
    leaving.child.kill('SIGTERM');
    await leaving.exited;

    // Kim does not come back: offline once the drain grace has passed and the node was swept.
    await waitFor(() => kim.isOnline === false, { timeoutMs: 20_000, description: 'kim offline after the grace' });
    // Jill reconnected elsewhere within the grace, so she never went offline.
    expect(jillUpdates).toEqual([]);
    await expect(fetchUser('jill')).resolves.toMatchObject({ isOnline: true });
  });
});
