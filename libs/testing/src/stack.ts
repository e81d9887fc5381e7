import { randomBytes } from 'node:crypto';
import { createTestDatabase, isolationPrefixes, NATS_URL, REDIS_URL, type TestDatabase } from './isolation';
import { type AppName, freePort, type ServiceProcess, startService } from './service-process';

export interface Stack {
  accountSid: string;
  authToken: string;
  secretKey: string;
  database: TestDatabase;
  natsSubjectPrefix: string;
  redisKeyPrefix: string;
  processes: ServiceProcess[];
  /** The first started process of an app. */
  get(app: AppName): ServiceProcess;
  /** Starts one more replica of an app in this stack (e.g. a second realtime-gateway). */
  add(app: AppName, env?: Record<string, string>): Promise<ServiceProcess>;
  stop(): Promise<void>;
}

export interface StackOptions {
  label?: string;
  apps?: AppName[];
  env?: Record<string, string>;
}

/**
 * The real services as processes, isolated for one test file: own database (cloned template),
 * own NATS subject prefix, own Redis key prefix, own account credentials.
 */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const apps = options.apps ?? ['message-service', 'presence-service', 'api-gateway', 'realtime-gateway'];
  const database = await createTestDatabase(options.label ?? 'e2e');
  const { natsSubjectPrefix, redisKeyPrefix } = isolationPrefixes(options.label ?? 'e2e');
  const accountSid = `AC${randomBytes(16).toString('hex')}`;
  const authToken = randomBytes(16).toString('hex');
  const secretKey = randomBytes(32).toString('hex');
  const processes: ServiceProcess[] = [];
  let publicUrl = '';

  const envFor = (extra: Record<string, string> = {}): Record<string, string> => ({
    NATS_URL,
    NATS_SUBJECT_PREFIX: natsSubjectPrefix,
    REDIS_URL,
    REDIS_KEY_PREFIX: redisKeyPrefix,
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: '5',
    PARLEY_ACCOUNT_SID: accountSid,
    PARLEY_AUTH_TOKEN: authToken,
    PARLEY_SECRET_KEY: secretKey,
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Suites drive the REST API far faster than Twilio's 30/s; the rate-limit test sets its own value.
    REST_RATE_LIMIT_PER_SECOND: '100000',
    CHANNEL_ACTIONS_PER_SECOND: '100000',
    ...(publicUrl ? { PARLEY_PUBLIC_URL: publicUrl } : {}),
    ...options.env,
    ...extra,
  });

  const add = async (app: AppName, extra?: Record<string, string>): Promise<ServiceProcess> => {
    const proc = await startService(app, envFor(extra));
    processes.push(proc);
    return proc;
  };

  const stack: Stack = {
    accountSid,
    authToken,
    secretKey,
    database,
    natsSubjectPrefix,
    redisKeyPrefix,
    processes,
    get(app) {
      const proc = processes.find((p) => p.app === app);
      if (!proc) throw new Error(`${app} is not part of this stack`);
      return proc;
    },
    add,
    async stop() {
      await Promise.all(processes.map((p) => p.stop('SIGTERM')));
      await database.drop();
    },
  };

  try {
    // message-service first: it migrates and creates the account the others authenticate against.
    if (apps.includes('message-service')) await add('message-service');
    for (const app of apps) {
      if (app === 'message-service') continue;
      if (app === 'api-gateway') {
        // The gateway's public URL must name its own port, which we pick before it starts.
        const port = await freePort();
        publicUrl = `http://127.0.0.1:${port}`;
        await add(app, { PORT: String(port) });
      } else {
        await add(app);
      }
    }
  } catch (err) {
    await stack.stop().catch(() => undefined);
    throw err;
  }
  return stack;
}
