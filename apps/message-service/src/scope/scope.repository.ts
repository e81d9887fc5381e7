import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Errors, isSid } from '@parley/contracts';
import { ChannelEntity, MemberEntity, ServiceEntity, UserEntity } from '../database/entities';

export interface LookupOptions {
  /** Run inside this transaction instead of on the pool. */
  manager?: EntityManager;
  /** Take a row lock until the transaction ends (requires `manager`). */
  lock?: boolean;
}

/**
 * The parents every nested resource is addressed through, resolved the way Twilio addresses them:
 * a Service by sid; a Channel by sid or unique name; a User by sid or identity; a Member by sid or identity.
 * The account (and service) are required arguments, so another tenant's rows are simply not found:
 * the 404 is the same as for a sid that never existed.
 */
@Injectable()
export class ScopeRepository {
  constructor(private readonly dataSource: DataSource) {}

  async service(accountSid: string, serviceSid: string, opts: LookupOptions = {}): Promise<ServiceEntity> {
    const service = await (opts.manager ?? this.dataSource.manager).findOne(ServiceEntity, {
      where: { accountSid, sid: serviceSid },
      ...lockOf(opts),
    });
    if (!service) throw Errors.notFound(`/Services/${serviceSid}`);
    return service;
  }

  async channel(accountSid: string, serviceSid: string, key: string, opts: LookupOptions = {}): Promise<ChannelEntity> {
    const where = isSid(key, 'CH') ? { accountSid, serviceSid, sid: key } : { accountSid, serviceSid, uniqueName: key };
    const channel = await (opts.manager ?? this.dataSource.manager).findOne(ChannelEntity, { where, ...lockOf(opts) });
    if (!channel) throw channelNotFound(serviceSid, key);
    return channel;
  }

  async user(accountSid: string, serviceSid: string, key: string, opts: LookupOptions = {}): Promise<UserEntity> {
    const user = await this.findUser(accountSid, serviceSid, key, opts);
    if (!user) throw Errors.notFound(`/Services/${serviceSid}/Users/${key}`);
    return user;
  }

  findUser(accountSid: string, serviceSid: string, key: string, opts: LookupOptions = {}): Promise<UserEntity | null> {
    const where = isSid(key, 'US') ? { accountSid, serviceSid, sid: key } : { accountSid, serviceSid, identity: key };
    return (opts.manager ?? this.dataSource.manager).findOne(UserEntity, { where, ...lockOf(opts) });
  }

  async member(accountSid: string, channel: ChannelEntity, key: string, opts: LookupOptions = {}): Promise<MemberEntity> {
    const member = await this.findMember(accountSid, channel, key, opts);
    if (!member) throw Errors.notFound(`/Services/${channel.serviceSid}/Channels/${channel.sid}/Members/${key}`);
    return member;
  }

  findMember(accountSid: string, channel: ChannelEntity, key: string, opts: LookupOptions = {}): Promise<MemberEntity | null> {
    const base = { accountSid, serviceSid: channel.serviceSid, channelSid: channel.sid };
    const where = isSid(key, 'MB') ? { ...base, sid: key } : { ...base, identity: key };
    return (opts.manager ?? this.dataSource.manager).findOne(MemberEntity, { where, ...lockOf(opts) });
  }
}

/** A channel that does not exist, or that the caller may not see: the same answer. */
export function channelNotFound(serviceSid: string, key: string) {
  return Errors.notFound(`/Services/${serviceSid}/Channels/${key}`);
}

function lockOf(opts: LookupOptions) {
  return opts.lock ? { lock: { mode: 'pessimistic_write' as const } } : {};
}
