import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { ErrorCode, ParleyError, rooms, RECOVERY_LIMIT, type CommandRequest, type CommandSubject, type CommandReply } from '@parley/contracts';
import { NatsTransport } from '@parley/nats';
import { callerOf, type SocketSession } from '../session/socket-session';
import { SessionTokens } from '../session/session-tokens';
import { CommandRouter, type CommandHandler } from './command-router';

/** Members fetched for `channel.members`: Twilio's SDK holds a channel's whole member list. */
const MEMBER_PAGE = 100;

/**
 * The client commands, each one NATS command on behalf of the socket's user: message-service checks
 * the user's role permissions (the actor is `user`, never `system`), the gateway only translates.
 */
@Injectable()
export class ChatCommands implements OnApplicationBootstrap {
  constructor(
    private readonly router: CommandRouter,
    private readonly nats: NatsTransport,
    private readonly tokens: SessionTokens,
  ) {}

  onApplicationBootstrap(): void {
    const r = this.router;
    r.register('channel.create', (s, p) =>
      this.ask(s, 'chat.v1.cmd.channel.create', {
        ServiceSid: s.serviceSid,
        FriendlyName: p.friendlyName,
        UniqueName: p.uniqueName,
        Attributes: p.attributes === undefined ? undefined : JSON.stringify(p.attributes),
        Type: p.isPrivate ? 'private' : 'public',
        CreatedBy: s.identity,
      }),
    );
    r.register('channel.get', (s, p) => this.ask(s, 'chat.v1.cmd.channel.fetch', { ServiceSid: s.serviceSid, Sid: p.channel }));
    const subscribed: CommandHandler<'channel.subscribed'> = (s, p) =>
      this.ask(s, 'chat.v1.cmd.channel.list-subscribed', { serviceSid: s.serviceSid, pageSize: p.pageSize, pageToken: p.pageToken });
    r.register('channel.subscribed', subscribed);
    r.register('channel.user-descriptors', subscribed);
    r.register('channel.public-descriptors', (s, p) =>
      this.ask(s, 'chat.v1.cmd.channel.list', { ServiceSid: s.serviceSid, Type: ['public'], PageSize: p.pageSize, PageToken: p.pageToken }),
    );
    r.register('channel.join', (s, p) => this.ask(s, 'chat.v1.cmd.channel.join', { serviceSid: s.serviceSid, channel: p.channel }));
    r.register('channel.leave', (s, p) => this.ask(s, 'chat.v1.cmd.channel.leave', { serviceSid: s.serviceSid, channel: p.channel }));
    r.register('channel.decline', (s, p) => this.ask(s, 'chat.v1.cmd.invite.decline', { serviceSid: s.serviceSid, channel: p.channel }));
    r.register('channel.add', (s, p) =>
      this.ask(s, 'chat.v1.cmd.member.create', { ServiceSid: s.serviceSid, ChannelSid: p.channel, Identity: p.identity }),
    );
    r.register('channel.invite', (s, p) =>
      this.ask(s, 'chat.v1.cmd.invite.create', { ServiceSid: s.serviceSid, ChannelSid: p.channel, Identity: p.identity }),
    );
    r.register('channel.remove-member', (s, p) =>
      this.ask(s, 'chat.v1.cmd.member.delete', { ServiceSid: s.serviceSid, ChannelSid: p.channel, Sid: p.identity }),
    );
    r.register('channel.update', (s, p) =>
      this.ask(s, 'chat.v1.cmd.channel.update', {
        ServiceSid: s.serviceSid,
        Sid: p.channel,
        FriendlyName: p.friendlyName,
        // Twilio clears a unique name with an empty value.
        UniqueName: p.uniqueName === null ? '' : p.uniqueName,
        Attributes: p.attributes === undefined ? undefined : JSON.stringify(p.attributes),
      }),
    );
    r.register('channel.delete', (s, p) => this.ask(s, 'chat.v1.cmd.channel.delete', { ServiceSid: s.serviceSid, Sid: p.channel }));
    r.register('channel.members', async (s, p) => {
      const members = [];
      let pageToken: string | undefined;
      do {
        const page = await this.ask(s, 'chat.v1.cmd.member.list', { ServiceSid: s.serviceSid, ChannelSid: p.channel, PageSize: MEMBER_PAGE, PageToken: pageToken });
        members.push(...page.items);
        pageToken = page.nextPageToken ?? undefined;
      } while (pageToken);
      return members;
    });

    // The channel's send limit (Twilio's 30/s per channel, 20429) is message-service's: its send statement counts it.
    r.register('message.send', (s, p) =>
      this.ask(s, 'chat.v1.cmd.message.create', {
        ServiceSid: s.serviceSid,
        ChannelSid: p.channel,
        Body: p.body,
        Attributes: p.attributes === undefined ? undefined : JSON.stringify(p.attributes),
        From: s.identity,
        IdempotencyKey: p.idempotencyKey,
      }),
    );
    r.register('message.page', async (s, p) => {
      const page = await this.ask(s, 'chat.v1.cmd.message.page', { channel: p.channel, pageSize: p.pageSize, anchor: p.anchor, direction: p.direction });
      return { items: page.messages, olderAnchor: page.olderAnchor, newerAnchor: page.newerAnchor };
    });
    r.register('message.update', (s, p) =>
      this.ask(s, 'chat.v1.cmd.message.update', {
        ServiceSid: s.serviceSid,
        ChannelSid: p.channel,
        Sid: p.message,
        Body: p.body,
        Attributes: p.attributes === undefined ? undefined : JSON.stringify(p.attributes),
        LastUpdatedBy: s.identity,
      }),
    );
    r.register('message.remove', (s, p) =>
      this.ask(s, 'chat.v1.cmd.message.delete', { ServiceSid: s.serviceSid, ChannelSid: p.channel, Sid: p.message }),
    );

    r.register('typing', async (s, p, socket) => {
      // Ephemeral: only members (sockets in the channel's room) may signal; nothing is stored.
      const room = rooms.channel(s.serviceSid, p.channel);
      if (!socket.rooms.has(room)) throw notMember(p.channel);
      socket.to(room).emit('typingStarted', { channel_sid: p.channel, identity: s.identity });
      return null;
    });

    r.register('consumption.update', (s, p) => this.consume(s, p.channel, p.index, false));
    r.register('consumption.advance', (s, p) => this.consume(s, p.channel, p.index, true));
    r.register('consumption.all', (s, p) => this.consume(s, p.channel, 'all', false));
    r.register('consumption.none', (s, p) => this.consume(s, p.channel, null, false));

    r.register('user.update', (s, p) =>
      this.ask(s, 'chat.v1.cmd.user.update', {
        ServiceSid: s.serviceSid,
        Sid: s.identity,
        FriendlyName: p.friendlyName,
        Attributes: p.attributes === undefined ? undefined : JSON.stringify(p.attributes),
      }),
    );
    r.register('user.subscribe', async (s, p, socket) => {
      const user = await this.ask(s, 'chat.v1.cmd.user.fetch', { ServiceSid: s.serviceSid, Sid: p.identity });
      await socket.join(rooms.presence(s.serviceSid, user.identity));
      return user;
    });
    r.register('user.unsubscribe', async (s, p, socket) => {
      await socket.leave(rooms.presence(s.serviceSid, p.identity));
      return null;
    });

    r.register('token.update', async (s, p, socket) => {
      await this.tokens.update(socket, s, p.token);
      return null;
    });

    r.register('resume', async (s, p) =>
      Promise.all(
        p.channels.map(async ({ channel, lastIndex }) => {
          const after = await this.ask(s, 'chat.v1.cmd.message.list-after', {
            channel,
            afterIndex: lastIndex ?? -1,
            limit: RECOVERY_LIMIT,
          });
          // Never a partial answer that claims to be complete: past the bound the SDK reloads.
          return after.more ? { channel, recovered: false } : { channel, recovered: true, messages: after.messages };
        }),
      ),
    );

    r.register('push.register', (s, p) =>
      this.ask(s, 'chat.v1.cmd.binding.register', { ServiceSid: s.serviceSid, Identity: s.identity, BindingType: p.type, Endpoint: p.token }),
    );
    r.register('push.unregister', (s, p) =>
      this.ask(s, 'chat.v1.cmd.binding.unregister', { ServiceSid: s.serviceSid, Identity: s.identity, BindingType: p.type }),
    );
  }

  private async consume(s: SocketSession, channel: string, index: number | null | 'all', advance: boolean) {
    const { member, unread_messages_count } = await this.ask(s, 'chat.v1.cmd.member.consume', { serviceSid: s.serviceSid, channel, index, advance });
    return { last_consumed_message_index: member.last_consumed_message_index, unread_messages_count };
  }

  /** One NATS command as this socket's user. */
  private ask<S extends CommandSubject>(session: SocketSession, subject: S, params: ParamsOf<S>): Promise<CommandReply<S>> {
    return this.nats.request(subject, { caller: callerOf(session), params } as CommandRequest<S>);
  }
}

type ParamsOf<S extends CommandSubject> = CommandRequest<S> extends { params: infer P } ? P : never;

function notMember(channel: string): ParleyError {
  return new ParleyError(ErrorCode.UserNotMember, `User not member of channel ${channel}`, 403);
}
