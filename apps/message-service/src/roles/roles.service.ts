import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Errors, newSid, type Caller, type CommandParams, type PageResult, type RoleResource } from '@parley/contracts';
import type { RoleEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { requireSystem } from '../permissions/caller-access';
import { validateRole } from '../permissions/permissions';
import { ScopeRepository } from '../scope/scope.repository';
import { createdKeyParser } from '../paging/keysets';
import { isForeignKeyViolation, isUniqueViolation } from '../persistence/pg-errors';
import { presentRole } from './role.presenter';
import { roleInUseProblem, roleNameTaken } from './role-rules';
import { RolesRepository } from './roles.repository';

const PAGE_SIZE = { default: 50, max: 100 };
const parseKey = createdKeyParser('RL');

/**
 * The Role resource: permission sets validated against the role's scope, names unique per Service, deletion only
 * while nothing references the role. Roles are managed over REST only (an SDK user gets 50107).
 */
@Injectable()
export class RolesService {
  constructor(
    private readonly roles: RolesRepository,
    private readonly scope: ScopeRepository,
    @InjectPinoLogger(RolesService.name) private readonly logger: PinoLogger,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.role.create'>): Promise<RoleResource> {
    requireSystem(caller);
    const { type, permissions } = validateRole(params.Type, params.Permission);
    await this.scope.service(caller.accountSid, params.ServiceSid);
    const now = new Date();
    const role: RoleEntity = {
      sid: newSid('RL'),
      accountSid: caller.accountSid,
      serviceSid: params.ServiceSid,
      friendlyName: params.FriendlyName,
      type,
      permissions,
      dateCreated: now,
      dateUpdated: now,
    };
    try {
      await this.roles.insert(role);
    } catch (err) {
      if (isUniqueViolation(err, 'uq_roles_service_friendly_name')) throw roleNameTaken(params.FriendlyName);
      // The service was deleted between the check and the insert.
      if (isForeignKeyViolation(err)) throw Errors.notFound(`/Services/${params.ServiceSid}`);
      throw err;
    }
    this.logger.info({ serviceSid: role.serviceSid, roleSid: role.sid }, 'role created');
    return presentRole(role);
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.role.fetch'>): Promise<RoleResource> {
    requireSystem(caller);
    const role = await this.roles.findBySid(caller.accountSid, params.ServiceSid, params.Sid);
    if (!role) throw notFound(params.ServiceSid, params.Sid);
    return presentRole(role);
  }

  /** Replaces the whole permission set, validated against the role's (unchangeable) type. */
  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.role.update'>): Promise<RoleResource> {
    requireSystem(caller);
    const updated = await this.roles.transaction(async (tx) => {
      const current = await tx.findBySid(caller.accountSid, params.ServiceSid, params.Sid, { lock: true });
      if (!current) throw notFound(params.ServiceSid, params.Sid);
      const { permissions } = validateRole(current.type, params.Permission);
      const next: RoleEntity = { ...current, permissions, dateUpdated: new Date() };
      await tx.updatePermissions(caller.accountSid, next);
      return next;
    });
    this.logger.info({ serviceSid: updated.serviceSid, roleSid: updated.sid }, 'role updated');
    return presentRole(updated);
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.role.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    await this.roles.transaction(async (tx) => {
      // The row lock makes assignments (which read the role with a share lock) wait, or fail once it is gone.
      const role = await tx.findBySid(caller.accountSid, params.ServiceSid, params.Sid, { lock: true });
      if (!role) throw notFound(params.ServiceSid, params.Sid);
      const problem = roleInUseProblem(role.sid, await tx.usage(caller.accountSid, params.ServiceSid, role.sid));
      if (problem) throw problem;
      await tx.delete(caller.accountSid, params.ServiceSid, role.sid);
    });
    this.logger.info({ serviceSid: params.ServiceSid, roleSid: params.Sid }, 'role deleted');
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.role.list'>): Promise<PageResult<RoleResource>> {
    requireSystem(caller);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    await this.scope.service(caller.accountSid, params.ServiceSid);
    const rows = await this.roles.list(caller.accountSid, params.ServiceSid, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => presentRole(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }
}

function notFound(serviceSid: string, sid: string) {
  return Errors.notFound(`/Services/${serviceSid}/Roles/${sid}`);
}

