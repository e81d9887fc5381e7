import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  Errors,
  newSid,
  type Caller,
  type CommandParams,
  type EventName,
  type EventPayload,
  type PageResult,
  type ServiceResource,
} from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import type { RoleEntity } from '../database/entities';
import { createdKeyParser } from '../paging/keysets';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { requireServiceAccess, requireSystem } from '../permissions/caller-access';
import { DEFAULT_ROLES, type RoleTemplate } from './default-roles';
import { presentService } from './service.presenter';
import { applyServiceUpdate, defaultRolesProblem, newServiceRow, requestedDefaultRoles } from './service-settings';
import { ServicesRepository } from './services.repository';

const PAGE_SIZE = { default: 50, max: 100 };
const parseServiceKey = createdKeyParser('IS');

/** The Service resource: creation with its default roles, settings, deletion of everything under it, paging. */
@Injectable()
export class ServicesService {
  constructor(
    private readonly services: ServicesRepository,
    private readonly nats: NatsTransport,
    @InjectPinoLogger(ServicesService.name) private readonly logger: PinoLogger,
  ) {}

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.service.create'>): Promise<ServiceResource> {
    requireSystem(caller);
    const now = new Date();
    const sid = newSid('IS');
    const roleRow = (template: RoleTemplate): RoleEntity => ({
      sid: newSid('RL'),
      accountSid: caller.accountSid,
      serviceSid: sid,
      friendlyName: template.friendlyName,
      type: template.type,
      permissions: [...template.permissions],
      dateCreated: now,
      dateUpdated: now,
    });
    const roles = {
      serviceAdmin: roleRow(DEFAULT_ROLES.serviceAdmin),
      serviceUser: roleRow(DEFAULT_ROLES.serviceUser),
      channelAdmin: roleRow(DEFAULT_ROLES.channelAdmin),
      channelUser: roleRow(DEFAULT_ROLES.channelUser),
    };
    const service = newServiceRow({
      sid,
      accountSid: caller.accountSid,
      friendlyName: params.FriendlyName,
      roles: { service: roles.serviceUser.sid, channel: roles.channelUser.sid, channelCreator: roles.channelAdmin.sid },
      now,
    });
    await this.services.insertWithRoles(service, Object.values(roles));
    this.logger.info({ accountSid: caller.accountSid, serviceSid: sid }, 'service created');
    return presentService(service);
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.service.fetch'>): Promise<ServiceResource> {
    requireServiceAccess(caller, params.Sid);
    const service = await this.services.findBySid(caller.accountSid, params.Sid);
    if (!service) throw notFound(params.Sid);
    return presentService(service);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.service.update'>): Promise<ServiceResource> {
    requireSystem(caller);
    const updated = await this.services.transaction(async (tx) => {
      // Locked read-modify-write: concurrent updates of different fields of the JSON settings both land.
      const current = await tx.findBySid(caller.accountSid, params.Sid, { lock: true });
      if (!current) throw notFound(params.Sid);
      const problem = defaultRolesProblem(params, await tx.findRoles(caller.accountSid, params.Sid, requestedDefaultRoles(params)));
      if (problem) throw problem;
      return tx.update(caller.accountSid, applyServiceUpdate(current, params, new Date()));
    });
    const resource = presentService(updated);
    this.logger.info({ serviceSid: params.Sid }, 'service updated');
    this.publish(params.Sid, 'service.updated', resource);
    return resource;
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.service.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    if (!(await this.services.delete(caller.accountSid, params.Sid))) throw notFound(params.Sid);
    this.logger.info({ serviceSid: params.Sid }, 'service deleted');
    this.publish(params.Sid, 'service.removed', { sid: params.Sid });
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.service.list'>): Promise<PageResult<ServiceResource>> {
    requireSystem(caller);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseServiceKey) : null;
    const rows = await this.services.list(caller.accountSid, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => presentService(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
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

function notFound(sid: string) {
  return Errors.notFound(`/Services/${sid}`);
}

