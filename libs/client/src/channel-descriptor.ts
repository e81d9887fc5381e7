import type { Channel } from './channel';
import { channelStateFrom, type Attributes, type ChannelState, type ChannelStatus, type ChannelType, type NotificationLevel } from './state';
import type { ChannelWire } from './wire';

/** A snapshot of a channel from a directory listing; not kept current. `getChannel()` gives the live Channel. */
export class ChannelDescriptor {
  readonly sid: string;
  readonly uniqueName: string | null;
  readonly friendlyName: string | null;
  readonly attributes: Attributes;
  readonly createdBy: string | null;
  readonly dateCreated: Date | null;
  readonly dateUpdated: Date | null;
  readonly messagesCount: number;
  readonly membersCount: number;
  readonly lastConsumedMessageIndex: number | null;
  readonly status: ChannelStatus;
  readonly type: ChannelType;
  readonly isPrivate: boolean;
  readonly notificationLevel: NotificationLevel;

  /** @internal */
  constructor(
    wire: ChannelWire,
    private readonly open: (sid: string) => Promise<Channel>,
  ) {
    const s: ChannelState = channelStateFrom(wire);
    this.sid = wire.sid;
    this.uniqueName = s.uniqueName;
    this.friendlyName = s.friendlyName;
    this.attributes = s.attributes;
    this.createdBy = s.createdBy;
    this.dateCreated = s.dateCreated;
    this.dateUpdated = s.dateUpdated;
    this.messagesCount = s.messagesCount ?? 0;
    this.membersCount = s.membersCount ?? 0;
    this.lastConsumedMessageIndex = s.lastConsumedMessageIndex;
    this.status = s.status === 'unknown' ? 'notParticipating' : s.status;
    this.type = s.type;
    this.isPrivate = s.type === 'private';
    this.notificationLevel = s.notificationLevel;
  }

  getChannel(): Promise<Channel> {
    return this.open(this.sid);
  }
}
