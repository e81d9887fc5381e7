import { planFanout, type FanoutAction, type RoutableEvent } from './fanout-plan';

const IS = `IS${'a'.repeat(32)}`;
const CH = `CH${'b'.repeat(32)}`;
const user = `user:${IS}:alice`;
const channel = `channel:${IS}:${CH}`;
const service = `service:${IS}`;

const ev = (name: string, payload: RoutableEvent['payload']): RoutableEvent => ({ name, serviceSid: IS, payload });
const shape = (actions: FanoutAction[]) =>
  actions.map((a) => (a.kind === 'emit' ? `emit ${a.event} -> ${a.rooms.join(',')}` : `${a.kind} ${a.fromRoom} => ${a.room}`));

describe('planFanout', () => {
  it.each<[string, RoutableEvent, string[]]>([
    ['public channel added', ev('channel.added', { sid: CH, type: 'public' }), [`emit channelAdded -> ${service}`]],
    ['private channel added', ev('channel.added', { sid: CH, type: 'private' }), []],
    ['public channel updated', ev('channel.updated', { sid: CH, type: 'public' }), [`emit channelUpdated -> ${channel},${service}`]],
    ['private channel updated', ev('channel.updated', { sid: CH, type: 'private' }), [`emit channelUpdated -> ${channel}`]],
    ['channel removed', ev('channel.removed', { sid: CH, type: 'private' }), [`emit channelRemoved -> ${channel}`, `leave ${channel} => ${channel}`]],
    [
      'member added',
      ev('member.added', { sid: 'MB1', channel_sid: CH, identity: 'alice' }),
      [`join ${user} => ${channel}`, `emit memberJoined -> ${channel}`, `emit channelJoined -> ${user}`],
    ],
    ['member updated', ev('member.updated', { channel_sid: CH, identity: 'alice' }), [`emit memberUpdated -> ${channel}`]],
    [
      'member removed',
      ev('member.removed', { channel_sid: CH, identity: 'alice' }),
      [`emit memberLeft -> ${channel}`, `emit channelLeft -> ${user}`, `leave ${user} => ${channel}`],
    ],
    ['invite added', ev('invite.added', { channel_sid: CH, identity: 'alice' }), [`emit channelInvited -> ${user}`]],
    ['message added', ev('message.added', { sid: 'IM1', channel_sid: CH }), [`emit messageAdded -> ${channel}`]],
    ['message updated', ev('message.updated', { sid: 'IM1', channel_sid: CH }), [`emit messageUpdated -> ${channel}`]],
    ['message removed', ev('message.removed', { sid: 'IM1', channel_sid: CH }), [`emit messageRemoved -> ${channel}`]],
    ['user updated', ev('user.updated', { identity: 'alice' }), [`emit userUpdated -> ${user},presence:${IS}:alice`]],
    ['service updated', ev('service.updated', { sid: IS }), [`emit serviceUpdated -> ${service}`]],
    ['unknown event', ev('webhook.fired', { sid: 'x' }), []],
    ['member event without identity', ev('member.added', { channel_sid: CH }), []],
  ])('%s', (_name, event, expected) => {
    expect(shape(planFanout(event))).toEqual(expected);
  });
});
