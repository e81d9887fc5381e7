import { rooms, type ServerEventName } from '@parley/contracts';

/** The fields of domain event payloads that routing needs (the payloads are full wire resources). */
export interface RoutableEvent {
  name: string;
  serviceSid: string;
  payload: {
    sid?: string;
    channel_sid?: string;
    identity?: string;
    type?: string;
  };
}

export type FanoutAction =
  | { kind: 'emit'; rooms: string[]; event: ServerEventName; payload: unknown }
  /** Moves every socket of `fromRoom` (on every replica) into `room`. */
  | { kind: 'join'; fromRoom: string; room: string }
  | { kind: 'leave'; fromRoom: string; room: string };

/**
 * How one domain event reaches sockets: which rooms hear which client event, and which sockets move
 * between rooms. Pure, so the routing table is tested on its own; the gateway executes the actions in
 * order through the adapter (one emit to several rooms reaches each socket once).
 */
export function planFanout(event: RoutableEvent): FanoutAction[] {
  const { serviceSid, payload } = event;
  const channelSid = payload.channel_sid ?? (event.name.startsWith('channel.') ? payload.sid : undefined);
  const channelRoom = channelSid ? rooms.channel(serviceSid, channelSid) : null;
  const userRoom = payload.identity ? rooms.user(serviceSid, payload.identity) : null;
  const isPublicChannel = event.name.startsWith('channel.') && payload.type === 'public';
  const channelAudience = channelRoom ? (isPublicChannel ? [channelRoom, rooms.service(serviceSid)] : [channelRoom]) : [];

  switch (event.name) {
    case 'channel.added':
      return isPublicChannel ? [{ kind: 'emit', rooms: [rooms.service(serviceSid)], event: 'channelAdded', payload }] : [];
    case 'channel.updated':
      return channelAudience.length ? [{ kind: 'emit', rooms: channelAudience, event: 'channelUpdated', payload }] : [];
    case 'channel.removed':
      return channelRoom
        ? [
            { kind: 'emit', rooms: channelAudience, event: 'channelRemoved', payload },
            { kind: 'leave', fromRoom: channelRoom, room: channelRoom },
          ]
        : [];
    case 'member.added':
      if (!channelRoom || !userRoom) return [];
      return [
        { kind: 'join', fromRoom: userRoom, room: channelRoom },
        { kind: 'emit', rooms: [channelRoom], event: 'memberJoined', payload },
        { kind: 'emit', rooms: [userRoom], event: 'channelJoined', payload },
      ];
    case 'member.updated':
      return channelRoom ? [{ kind: 'emit', rooms: [channelRoom], event: 'memberUpdated', payload }] : [];
    case 'member.removed':
      if (!channelRoom || !userRoom) return [];
      return [
        { kind: 'emit', rooms: [channelRoom], event: 'memberLeft', payload },
        { kind: 'emit', rooms: [userRoom], event: 'channelLeft', payload },
        { kind: 'leave', fromRoom: userRoom, room: channelRoom },
      ];
    case 'invite.added':
      return userRoom ? [{ kind: 'emit', rooms: [userRoom], event: 'channelInvited', payload }] : [];
    case 'message.added':
      return channelRoom ? [{ kind: 'emit', rooms: [channelRoom], event: 'messageAdded', payload }] : [];
    case 'message.updated':
      return channelRoom ? [{ kind: 'emit', rooms: [channelRoom], event: 'messageUpdated', payload }] : [];
    case 'message.removed':
      return channelRoom ? [{ kind: 'emit', rooms: [channelRoom], event: 'messageRemoved', payload }] : [];
    case 'user.updated':
      return userRoom
        ? [{ kind: 'emit', rooms: [userRoom, rooms.presence(serviceSid, payload.identity as string)], event: 'userUpdated', payload }]
        : [];
    case 'service.updated':
      return [{ kind: 'emit', rooms: [rooms.service(serviceSid)], event: 'serviceUpdated', payload }];
    default:
      return [];
  }
}
