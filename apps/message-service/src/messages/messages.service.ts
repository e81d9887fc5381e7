import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import {
  Errors,
  MESSAGE_PAGE_SIZE,
  MESSAGE_SDK_LIMIT,
  newSid,
  type Caller,
  type CommandParams,
  type EventName,
  type EventPayload,
  type MessagePage,
  type MessageResource,
  type MessagesAfter,
  type PageResult,
} from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { InjectConfig } from '../config/message-config.module';
import type { MessageConfig } from '../config/message.config';
import type { ChannelEntity, MessageEntity } from '../database/entities';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { notAuthorized, requireServiceAccess, requireSystemParams } from '../permissions/caller-access';
import { ChannelAccess, viewerOf } from '../permissions/channel-access';
import { messageUpdateActions, ownOrAnyAction, SEND_PERMISSION } from '../permissions/sdk-actions';
import { ScopeRepository } from '../scope/scope.repository';
import { assembleSdkPage, indexScan, messageKeyParser, sdkPageScan } from './message-paging';
import { applyMessageUpdate, assertUpdate, newMessageDraft, type MessageDraft } from './message-rules';
import { presentMessage } from './message.presenter';
import { MessageWriter } from './message-writer';
import { MessagesRepository, type SendCheck } from './messages.repository';

/**
 * A duplicate send finds its original; should that be deleted meanwhile, the send is simply stored anew. A send the
 * statement refused but the full check allows (the user's standing changed in between) is tried again as well.
 */
const IDEMPOTENT_ATTEMPTS = 3;

/**
 * The Message resource: sends (the hot path: one statement per batch of sends to a channel, no read after write;
 * see message-writer.ts), edits, deletes with the channel's counters, REST paging by index, and the SDK's pages
 * and reconnect recovery.
 *
 * Every method takes the caller first. REST callers (`system`) have no role checks; SDK users (`user`) are held
 * to their own Service and to their role permissions (permissions/sdk-actions.ts): only members send and read.
 */
@Injectable()
export class MessagesService {
  constructor(
    private readonly messages: MessagesRepository,
    private readonly writer: MessageWriter,
    private readonly scope: ScopeRepository,
    private readonly access: ChannelAccess,
    private readonly nats: NatsTransport,
    @InjectConfig() private readonly config: MessageConfig,
    @InjectPinoLogger(MessagesService.name) private readonly logger: PinoLogger,
  ) {}

  /**
   * An SDK user sends as itself, as a member with sendMessage (sendMediaMessage for media), within the channel's send
   * allowance (CHANNEL_ACTIONS_PER_SECOND, else 429 20429). The write statement makes both checks itself, in the same
   * round trip (messages.repository.ts, SendCheck; SEND_PERMISSION keeps it to the rules of sdk-actions.ts). A send
   * its permission check refuses — or one to a channel it does not find — goes through the full check
   * (ChannelAccess), which answers why: 404, 403 50400 or 403 50107. Should the full check pass instead (the user
   * was added or its role changed in between), the send is tried again.
   */
  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.message.create'>): Promise<MessageResource> {
    requireServiceAccess(caller, params.ServiceSid);
    requireSystemParams(caller, params, ['DateCreated', 'DateUpdated', 'LastUpdatedBy']);
    const draft = newMessageDraft({ sid: newSid('IM'), accountSid: caller.accountSid, actor: caller.actor, params, now: new Date() });
    const viewer = viewerOf(caller);
    const action = params.MediaSid === undefined ? 'message.send' : 'message.sendMedia';
    const check: SendCheck | null = viewer
      ? { identity: viewer.identity, roleSid: viewer.roleSid ?? null, permission: SEND_PERMISSION[action], perSecond: this.config.CHANNEL_ACTIONS_PER_SECOND }
      : null;
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.writer.write(caller.accountSid, params.ServiceSid, params.ChannelSid, draft, check);
      if (outcome.kind === 'inserted') {
        const resource = presentMessage(stored(draft, outcome.channelSid, outcome.index));
        this.publish(params.ServiceSid, 'message.added', resource);
        return resource;
      }
      // Twilio's per-channel limit (20429): the send is refused, nothing was written; the client may try again later.
      if (outcome.kind === 'limited') throw Errors.tooManyRequests();
      if (outcome.kind === 'duplicate') {
        // A retry of a send that is already stored: the original, unchanged and not announced again.
        const original = await this.messages.findByIdempotencyKey(caller.accountSid, outcome.channelSid, draft.idempotencyKey ?? '');
        if (original) return presentMessage(original);
      } else if (viewer) {
        await this.access.channel(caller, params.ServiceSid, params.ChannelSid, [action]);
      } else if (outcome.kind === 'no-channel') {
        throw await this.missingChannel(caller, params.ServiceSid, params.ChannelSid);
      }
      if (attempt >= IDEMPOTENT_ATTEMPTS) {
        // Refused by the statement every time yet allowed by the full check: the two disagree, which is a bug to see.
        if (outcome.kind === 'denied') this.logger.error({ serviceSid: params.ServiceSid, channel: params.ChannelSid, check }, 'send check disagrees with the full check');
        throw Errors.unavailable('Message store');
      }
    }
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.message.fetch'>): Promise<MessageResource> {
    const { channel } = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, ['message.read']);
    const message = await this.messages.findBySid(caller.accountSid, channel.sid, params.Sid);
    if (!message) throw messageNotFound(channel, params.Sid);
    return presentMessage(message);
  }

  /** An SDK user edits the body and the attributes under their own permissions (own or any message). */
  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.message.update'>): Promise<MessageResource> {
    requireServiceAccess(caller, params.ServiceSid);
    requireSystemParams(caller, params, ['From', 'DateCreated', 'DateUpdated']);
    const viewer = viewerOf(caller);
    if (viewer && params.LastUpdatedBy !== undefined && params.LastUpdatedBy !== viewer.identity) throw notAuthorized();
    assertUpdate(params);
    const updated = await this.messages.transaction(async (tx) => {
      const view = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, [], { manager: tx.manager });
      const channel = view.channel;
      const current = await tx.findBySid(caller.accountSid, channel.sid, params.Sid, { lock: true });
      if (!current) throw messageNotFound(channel, params.Sid);
      for (const action of messageUpdateActions(current.author === viewer?.identity, params)) this.access.require(view, action);
      return tx.update(caller.accountSid, applyMessageUpdate(current, params, caller.actor, new Date()));
    });
    const resource = presentMessage(updated);
    this.publish(params.ServiceSid, 'message.updated', resource);
    return resource;
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.message.delete'>): Promise<Record<string, never>> {
    requireServiceAccess(caller, params.ServiceSid);
    const removed = await this.messages.transaction(async (tx) => {
      // The channel row first, as a send does: one lock order (channel, then message) so a delete never
      // deadlocks with sends or with the deletion of the channel.
      const view = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, [], { manager: tx.manager, lock: true });
      const channel = view.channel;
      const message = await tx.findBySid(caller.accountSid, channel.sid, params.Sid, { lock: true });
      if (!message) throw messageNotFound(channel, params.Sid);
      this.access.require(view, ownOrAnyAction(message.author === viewerOf(caller)?.identity, 'message.deleteOwn', 'message.deleteAny'));
      await tx.delete(caller.accountSid, message, channel.lastMessageSid === message.sid);
      return message;
    });
    this.logger.info({ serviceSid: params.ServiceSid, channelSid: removed.channelSid, messageSid: removed.sid }, 'message deleted');
    this.publish(params.ServiceSid, 'message.removed', presentMessage(removed));
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.message.list'>): Promise<PageResult<MessageResource>> {
    requireServiceAccess(caller, params.ServiceSid);
    const order = params.Order ?? 'asc';
    const pageSize = resolvePageSize(params.PageSize, MESSAGE_PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, messageKeyParser(order)) : null;
    const { channel } = await this.access.channel(caller, params.ServiceSid, params.ChannelSid, ['message.read']);
    const rows = await this.messages.scan(caller.accountSid, channel.sid, indexScan(planPage(cursor), order), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (row) => ({ i: row.index, o: order }));
    return {
      items: page.items.map(presentMessage),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }

  /** Reconnect recovery: the messages after `afterIndex`, at most `limit`; `more` says the answer is not complete. */
  async listAfter(caller: Caller, params: CommandParams<'chat.v1.cmd.message.list-after'>): Promise<MessagesAfter> {
    const serviceSid = serviceOf(caller);
    const limit = params.limit ?? MESSAGE_SDK_LIMIT.default;
    const { channel } = await this.access.channel(caller, serviceSid, params.channel, ['message.read']);
    const rows = await this.messages.scan(caller.accountSid, channel.sid, { order: 'ASC', above: params.afterIndex }, limit + 1);
    return { messages: rows.slice(0, limit).map(presentMessage), more: rows.length > limit };
  }

  /** The SDK's getMessages(pageSize, anchor, direction). */
  async page(caller: Caller, params: CommandParams<'chat.v1.cmd.message.page'>): Promise<MessagePage> {
    const serviceSid = serviceOf(caller);
    const { channel } = await this.access.channel(caller, serviceSid, params.channel, ['message.read']);
    const plan = sdkPageScan(params);
    const [rows, beyond] = await Promise.all([
      this.messages.scan(caller.accountSid, channel.sid, plan.scan, plan.limit),
      plan.beyond ? this.messages.exists(caller.accountSid, channel.sid, plan.beyond) : Promise.resolve(false),
    ]);
    const page = assembleSdkPage(params, rows, beyond);
    return { messages: page.items.map(presentMessage), olderAnchor: page.olderAnchor, newerAnchor: page.newerAnchor };
  }

  /** The 404 of a send whose channel did not match: the Service's own when it is the Service that is missing. */
  private async missingChannel(caller: Caller, serviceSid: string, channelKey: string): Promise<Error> {
    await this.scope.service(caller.accountSid, serviceSid);
    await this.scope.channel(caller.accountSid, serviceSid, channelKey);
    // Created between the two lookups: still not found when the send ran.
    return Errors.notFound(`/Services/${serviceSid}/Channels/${channelKey}`);
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

/** The stored message, from what was written: the insert answered only its channel and index. */
function stored(draft: MessageDraft, channelSid: string, index: number): MessageEntity {
  return { ...draft, channelSid, toSid: channelSid, index };
}

function messageNotFound(channel: ChannelEntity, sid: string) {
  return Errors.notFound(`/Services/${channel.serviceSid}/Channels/${channel.sid}/Messages/${sid}`);
}

/** The SDK commands name no Service: it is the caller's (the token's). */
function serviceOf(caller: Caller): string {
  if (!caller.serviceSid) throw Errors.missingParameter('ServiceSid');
  return caller.serviceSid;
}
