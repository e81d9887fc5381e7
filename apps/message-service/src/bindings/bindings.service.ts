import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  Errors,
  newSid,
  PUSH_MESSAGE_TYPES,
  type BindingResource,
  type Caller,
  type CommandParams,
  type PageResult,
} from '@parley/contracts';
import type { UserEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { notAuthorized, requireServiceAccess, requireSystem } from '../permissions/caller-access';
import { ScopeRepository } from '../scope/scope.repository';
import { createdKeyParser } from '../paging/keysets';
import { isForeignKeyViolation } from '../persistence/pg-errors';
import { presentBinding } from './binding.presenter';
import { BindingsRepository, type BindingFilter } from './bindings.repository';
import { NotifiabilityReporter } from './notifiability.reporter';

/** Twilio: Bindings and UserBindings list at most 50 per page. */
const PAGE_SIZE = { default: 50, max: 50 };
const parseKey = createdKeyParser('BS');

/**
 * Push Bindings: read and deleted over REST (under the Service, or under one User as UserBindings), created by
 * the SDK's push registration (`register`, an upsert per device endpoint and type) and removed by `unregister`.
 */
@Injectable()
export class BindingsService {
  constructor(
    private readonly bindings: BindingsRepository,
    private readonly scope: ScopeRepository,
    private readonly notifiability: NotifiabilityReporter,
    @InjectPinoLogger(BindingsService.name) private readonly logger: PinoLogger,
  ) {}

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.binding.list'>): Promise<PageResult<BindingResource>> {
    requireSystem(caller);
    await this.scope.service(caller.accountSid, params.ServiceSid);
    return this.page(caller.accountSid, params.ServiceSid, { types: params.BindingType, identities: params.Identity }, params);
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.binding.fetch'>): Promise<BindingResource> {
    requireSystem(caller);
    const binding = await this.bindings.find(caller.accountSid, { serviceSid: params.ServiceSid, sid: params.Sid });
    if (!binding) throw Errors.notFound(`/Services/${params.ServiceSid}/Bindings/${params.Sid}`);
    return presentBinding(binding);
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.binding.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    const binding = await this.bindings.find(caller.accountSid, { serviceSid: params.ServiceSid, sid: params.Sid });
    if (!binding || !(await this.bindings.delete(caller.accountSid, { serviceSid: params.ServiceSid, sid: params.Sid }))) {
      throw Errors.notFound(`/Services/${params.ServiceSid}/Bindings/${params.Sid}`);
    }
    this.logger.info({ serviceSid: params.ServiceSid, bindingSid: params.Sid }, 'binding deleted');
    await this.notifiability.report(caller.accountSid, params.ServiceSid, [binding.userSid]);
    return {};
  }

  async listOfUser(caller: Caller, params: CommandParams<'chat.v1.cmd.user-binding.list'>): Promise<PageResult<BindingResource>> {
    requireSystem(caller);
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, params.UserSid);
    return this.page(caller.accountSid, params.ServiceSid, { types: params.BindingType, userSid: user.sid }, params);
  }

  async fetchOfUser(caller: Caller, params: CommandParams<'chat.v1.cmd.user-binding.fetch'>): Promise<BindingResource> {
    requireSystem(caller);
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, params.UserSid);
    const binding = await this.bindings.find(caller.accountSid, { serviceSid: params.ServiceSid, sid: params.Sid, userSid: user.sid });
    if (!binding) throw userBindingNotFound(params);
    return presentBinding(binding);
  }

  async deleteOfUser(caller: Caller, params: CommandParams<'chat.v1.cmd.user-binding.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, params.UserSid);
    if (!(await this.bindings.delete(caller.accountSid, { serviceSid: params.ServiceSid, sid: params.Sid, userSid: user.sid }))) {
      throw userBindingNotFound(params);
    }
    this.logger.info({ serviceSid: params.ServiceSid, bindingSid: params.Sid }, 'user binding deleted');
    await this.notifiability.report(caller.accountSid, params.ServiceSid, [user.sid]);
    return {};
  }

  /**
   * SDK push registration: the identity's binding for this device endpoint and type, created or taken over
   * (a device used by another identity before moves to this one). Message types default to all four.
   */
  async register(caller: Caller, params: CommandParams<'chat.v1.cmd.binding.register'>): Promise<BindingResource> {
    requireServiceAccess(caller, params.ServiceSid);
    const identity = actingIdentity(caller, params.Identity);
    const user = await this.scope.user(caller.accountSid, params.ServiceSid, identity);
    if (params.CredentialSid !== undefined && !(await this.bindings.credentialExists(caller.accountSid, params.CredentialSid))) {
      throw Errors.invalidParameter('CredentialSid', 'no such credential');
    }
    const now = new Date();
    const binding = await this.bindings
      .upsert({
        sid: newSid('BS'),
        accountSid: caller.accountSid,
        serviceSid: params.ServiceSid,
        userSid: user.sid,
        identity: user.identity,
        endpoint: endpointOf(params),
        credentialSid: params.CredentialSid ?? null,
        bindingType: params.BindingType,
        messageTypes: [...new Set(params.MessageTypes ?? PUSH_MESSAGE_TYPES)],
        dateCreated: now,
        dateUpdated: now,
      })
      .catch((err: unknown) => {
        // The user (or its service, or the credential) was deleted while we registered.
        if (isForeignKeyViolation(err)) throw Errors.notFound(`/Services/${params.ServiceSid}/Users/${identity}`);
        throw err;
      });
    this.logger.info({ serviceSid: binding.serviceSid, bindingSid: binding.sid, bindingType: binding.bindingType }, 'binding registered');
    await this.notifiability.report(caller.accountSid, params.ServiceSid, [user.sid, binding.priorUserSid]);
    return presentBinding(binding);
  }

  /** Removes the identity's binding(s) of a type: the one of the given endpoint, or all. Idempotent. */
  async unregister(caller: Caller, params: CommandParams<'chat.v1.cmd.binding.unregister'>): Promise<{ removed: number }> {
    requireServiceAccess(caller, params.ServiceSid);
    const identity = actingIdentity(caller, params.Identity);
    const user: UserEntity | null = await this.scope.findUser(caller.accountSid, params.ServiceSid, identity);
    if (!user) return { removed: 0 };
    const endpoint = params.Endpoint ?? params.Address;
    const removed = await this.bindings.deleteOfUser(caller.accountSid, params.ServiceSid, user.sid, params.BindingType, endpoint);
    this.logger.info({ serviceSid: params.ServiceSid, userSid: user.sid, bindingType: params.BindingType, removed }, 'bindings unregistered');
    if (removed > 0) await this.notifiability.report(caller.accountSid, params.ServiceSid, [user.sid]);
    return { removed };
  }

  private async page(
    accountSid: string,
    serviceSid: string,
    filter: BindingFilter,
    paging: { PageSize?: number; PageToken?: string },
  ): Promise<PageResult<BindingResource>> {
    const pageSize = resolvePageSize(paging.PageSize, PAGE_SIZE);
    const cursor = paging.PageToken ? decodePageToken(paging.PageToken, parseKey) : null;
    const rows = await this.bindings.list(accountSid, serviceSid, filter, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => presentBinding(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }
}

/** An SDK user registers for itself (naming anyone else is refused); a system caller must name the identity. */
function actingIdentity(caller: Caller, identity: string | undefined): string {
  if (caller.actor.kind === 'user') {
    if (identity !== undefined && identity !== caller.actor.identity) throw notAuthorized();
    return caller.actor.identity;
  }
  if (identity === undefined) throw Errors.missingParameter('Identity');
  return identity;
}

function endpointOf(params: { Endpoint?: string; Address?: string }): string {
  const endpoint = params.Endpoint ?? params.Address;
  // The contract requires one of the two; this only narrows the type.
  if (endpoint === undefined) throw Errors.missingParameter('Endpoint');
  return endpoint;
}

function userBindingNotFound(params: { ServiceSid: string; UserSid: string; Sid: string }) {
  return Errors.notFound(`/Services/${params.ServiceSid}/Users/${params.UserSid}/Bindings/${params.Sid}`);
}
