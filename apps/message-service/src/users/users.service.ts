import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  ErrorCode,
  Errors,
  isSid,
  newSid,
  ParleyError,
  type Caller,
  type CommandParams,
  type EventName,
  type EventPayload,
  type PageResult,
  type UserResource,
} from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import type { UserEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { requireServiceAccess, requireSystem } from '../permissions/caller-access';
import { ChannelAccess } from '../permissions/channel-access';
import { ownOrAnyAction } from '../permissions/sdk-actions';
import { presentMember } from '../members/member.presenter';
import { ScopeRepository } from '../scope/scope.repository';
import { createdKeyParser } from '../paging/keysets';
import { isForeignKeyViolation, isUniqueViolation, retryOnDeadlock } from '../persistence/pg-errors';
import { presentUser, UNKNOWN_REACHABILITY, type Reachability } from './user.presenter';
import { applyUserUpdate, newUserRow } from './user-rows';
import { UsersRepository } from './users.repository';

const PAGE_SIZE = { default: 50, max: 100 };
/** A Fetch User waits this long for presence-service before answering reachability as unknown. */
const PRESENCE_TIMEOUT_MS = 2_000;
const parseKey = createdKeyParser('US');

/**
 * The User resource: one per identity per Service, with a service-scope role (the Service's default unless given),
 * addressed by sid or identity. Deleting a user removes its memberships (keeping the channels' member counts
 * exact), bindings and invites in one transaction.
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly scope: ScopeRepository,
    private readonly access: ChannelAccess,
    private readonly nats: NatsTransport,
    @InjectPinoLogger(UsersService.name) private readonly logger: PinoLogger,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.user.create'>): Promise<UserResource> {
    requireSystem(caller);
    if (isSid(params.Identity, 'US')) {
      throw Errors.badRequest(ErrorCode.IdentityMatchesUserSid, 'Identity should not match user SID pattern');
    }
    const user = await this.users.transaction(async (tx) => {
      const service = await this.scope.service(caller.accountSid, params.ServiceSid, { manager: tx.manager });
      const roleSid = params.RoleSid ?? service.defaultServiceRoleSid;
      if (params.RoleSid !== undefined) await this.requireServiceRole(tx, caller.accountSid, params.ServiceSid, params.RoleSid);
      const row = newUserRow({
        sid: newSid('US'),
        accountSid: caller.accountSid,
        serviceSid: params.ServiceSid,
        identity: params.Identity,
        roleSid,
        friendlyName: params.FriendlyName ?? null,
        attributes: params.Attributes ?? '{}',
        now: new Date(),
      });
      await tx.insert(row);
      return row;
    }).catch((err: unknown) => {
      if (isUniqueViolation(err, 'uq_users_service_identity')) throw userExists(params.Identity);
      if (isForeignKeyViolation(err)) throw Errors.notFound(`/Services/${params.ServiceSid}`);
      throw err;
    });
    this.logger.info({ serviceSid: user.serviceSid, userSid: user.sid }, 'user created');
    return presentUser(user, await this.reachabilityOf(user));
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.user.fetch'>): Promise<UserResource> {
    requireServiceAccess(caller, params.ServiceSid);
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, params.Sid);
    return presentUser(user, await this.reachabilityOf(user));
  }

  /**
   * FriendlyName, Attributes and RoleSid. An SDK user needs `editOwnUserInfo` (itself) or `editAnyUserInfo`
   * (anyone) from its session's service role, and may not change roles (50205).
   */
  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.user.update'>): Promise<UserResource> {
    requireServiceAccess(caller, params.ServiceSid);
    const updated = await this.users.transaction(async (tx) => {
      const current = await this.scope.user(caller.accountSid, params.ServiceSid, params.Sid, { manager: tx.manager, lock: true });
      await this.requireMayEdit(tx, caller, current, params);
      if (params.RoleSid !== undefined) await this.requireServiceRole(tx, caller.accountSid, params.ServiceSid, params.RoleSid);
      const next = applyUserUpdate(current, params, new Date());
      await tx.update(caller.accountSid, next);
      return next;
    });
    const resource = presentUser(updated, await this.reachabilityOf(updated));
    this.logger.info({ serviceSid: updated.serviceSid, userSid: updated.sid }, 'user updated');
    this.publish(updated.serviceSid, 'user.updated', resource);
    return resource;
  }

  /**
   * Removes the user, its memberships (one member fewer in each of those channels), its bindings and the invites
   * to its identity, in one transaction; then publishes `member.removed` per membership and `user.removed`.
   * Locks go channels (in sid order), then the user, then its members: the order member changes use too.
   */
  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.user.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    const { user, members } = await retryOnDeadlock(() =>
      this.users.transaction(async (tx) => {
        const found = await this.scope.user(caller.accountSid, params.ServiceSid, params.Sid, { manager: tx.manager });
        await tx.lockChannels(caller.accountSid, [...(await tx.membershipChannelSids(caller.accountSid, found.sid))].sort());
        const locked = await this.scope.user(caller.accountSid, params.ServiceSid, found.sid, { manager: tx.manager, lock: true });
        const memberships = await tx.lockMembershipsOf(caller.accountSid, locked.sid);
        await tx.decrementMembersCount(caller.accountSid, memberships.map((m) => m.channelSid));
        await tx.deleteInvitesOf(caller.accountSid, params.ServiceSid, locked.identity);
        await tx.delete(caller.accountSid, params.ServiceSid, locked.sid);
        return { user: locked, members: memberships };
      }),
    );
    this.logger.info({ serviceSid: user.serviceSid, userSid: user.sid, memberships: members.length }, 'user deleted');
    for (const member of members) this.publish(user.serviceSid, 'member.removed', presentMember(member));
    this.publish(user.serviceSid, 'user.removed', presentUser(user));
    return {};
  }

  /** `is_online` / `is_notifiable` are null on lists (Twilio: "always null" for a Read action). */
  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.user.list'>): Promise<PageResult<UserResource>> {
    requireSystem(caller);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    await this.scope.service(caller.accountSid, params.ServiceSid);
    const rows = await this.users.list(caller.accountSid, params.ServiceSid, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => presentUser(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }

  /**
   * `is_online` / `is_notifiable` of a single user (Fetch, and the single resource Create/Update answer), from
   * presence-service: null while the Service's reachability_enabled is false (without asking presence), and
   * whatever presence cannot say (not online since reachability was turned on; no push registration known).
   * Presence being unreachable makes them null rather than failing the read.
   */
  private async reachabilityOf(user: UserEntity): Promise<Reachability> {
    const service = await this.scope.service(user.accountSid, user.serviceSid);
    if (!service.reachabilityEnabled) return UNKNOWN_REACHABILITY;
    try {
      const [found] = await this.nats.request(
        'presence.v1.cmd.user.reachability',
        { serviceSid: user.serviceSid, identities: [user.identity], reachabilityEnabled: true },
        { timeoutMs: PRESENCE_TIMEOUT_MS },
      );
      return found ? { is_online: found.is_online, is_notifiable: found.is_notifiable } : UNKNOWN_REACHABILITY;
    } catch (err) {
      this.logger.warn({ err, serviceSid: user.serviceSid }, 'presence unavailable: reachability unknown');
      return UNKNOWN_REACHABILITY;
    }
  }

  /** RoleSid of a User must name a service-scope (`deployment`) role of its Service: else 400 50100. */
  private async requireServiceRole(tx: UsersRepository, accountSid: string, serviceSid: string, roleSid: string): Promise<void> {
    const role = await tx.findRoleForAssignment(accountSid, serviceSid, roleSid);
    if (!role || role.type !== 'deployment') throw Errors.badRequest(ErrorCode.RoleNotFound, `Role not found: ${roleSid}`);
  }

  private async requireMayEdit(tx: UsersRepository, caller: Caller, target: UserEntity, params: CommandParams<'chat.v1.cmd.user.update'>): Promise<void> {
    if (caller.actor.kind !== 'user') return;
    if (params.RoleSid !== undefined) {
      throw new ParleyError(ErrorCode.UserUnauthorizedToSetRole, 'User unauthorized to set role', 403);
    }
    const action = ownOrAnyAction(target.identity === caller.actor.identity, 'user.editOwn', 'user.editAny');
    await this.access.requireService(caller, target.serviceSid, action, tx.manager);
  }

  /** After the commit. The change is durable either way, so a failed publish is logged, not turned into an error. */
  private publish<E extends EventName>(serviceSid: string, name: E, payload: EventPayload<E>): void {
    try {
      this.nats.publish(serviceSid, name, payload);
    } catch (err) {
      this.logger.error({ err, serviceSid, event: name }, 'event not published');
    }
  }
}

function userExists(identity: string): ParleyError {
  return Errors.conflict(ErrorCode.UserAlreadyExists, `User already exists: ${identity}`);
}
