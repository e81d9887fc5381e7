/**
 * Absolute URLs of REST resources on Parley's public base. Twilio clients follow `url`, `links` and
 * `meta.next_page_url` verbatim, so they must point at this deployment, never at twilio.com.
 */
export class PublicUrls {
  /** @param base PARLEY_PUBLIC_URL, without a trailing slash (the config strips it). */
  constructor(readonly base: string) {}

  services(): string {
    return `${this.base}/v2/Services`;
  }

  service(sid: string): string {
    return `${this.services()}/${sid}`;
  }

  /** Conversations v1 view of a Chat Service's settings (served on the same base, under /v1). */
  serviceConfiguration(serviceSid: string): string {
    return `${this.base}/v1/Services/${serviceSid}/Configuration`;
  }

  /** The Configuration's `links`, as Twilio renders them (Parley does not serve these two sub-resources). */
  serviceConfigurationLinks(serviceSid: string): { notifications: string; webhooks: string } {
    const configuration = this.serviceConfiguration(serviceSid);
    return { notifications: `${configuration}/Notifications`, webhooks: `${configuration}/Webhooks` };
  }

  serviceLinks(sid: string): { channels: string; users: string; roles: string; bindings: string } {
    const service = this.service(sid);
    return {
      channels: `${service}/Channels`,
      users: `${service}/Users`,
      roles: `${service}/Roles`,
      bindings: `${service}/Bindings`,
    };
  }

  // --- Roles, Users, UserBindings, Bindings, Credentials ---

  roles(serviceSid: string): string {
    return `${this.service(serviceSid)}/Roles`;
  }

  role(serviceSid: string, roleSid: string): string {
    return `${this.roles(serviceSid)}/${roleSid}`;
  }

  users(serviceSid: string): string {
    return `${this.service(serviceSid)}/Users`;
  }

  /** A user by sid, or by identity (percent-encoded: an identity may hold any character). */
  user(serviceSid: string, userKey: string): string {
    return `${this.users(serviceSid)}/${encodeURIComponent(userKey)}`;
  }

  userLinks(serviceSid: string, userSid: string): { user_channels: string; user_bindings: string } {
    const user = this.user(serviceSid, userSid);
    return { user_channels: `${user}/Channels`, user_bindings: `${user}/Bindings` };
  }

  /** `/Users/{UserSid}/Bindings`: the list URL keeps the user key as the request gave it (sid or identity). */
  userBindings(serviceSid: string, userKey: string): string {
    return `${this.user(serviceSid, userKey)}/Bindings`;
  }

  userBinding(serviceSid: string, userSid: string, bindingSid: string): string {
    return `${this.userBindings(serviceSid, userSid)}/${bindingSid}`;
  }

  bindings(serviceSid: string): string {
    return `${this.service(serviceSid)}/Bindings`;
  }

  binding(serviceSid: string, bindingSid: string): string {
    return `${this.bindings(serviceSid)}/${bindingSid}`;
  }

  /** Binding `links.user` names the user by identity, as Twilio's examples do (`/Users/TestUser`). */
  bindingLinks(serviceSid: string, identity: string): { user: string } {
    return { user: this.user(serviceSid, identity) };
  }

  credentials(): string {
    return `${this.base}/v2/Credentials`;
  }

  credential(sid: string): string {
    return `${this.credentials()}/${sid}`;
  }

  // --- Channels and what hangs under them (Channels, Members, Invites, Channel Webhooks, UserChannels) ---

  channels(serviceSid: string): string {
    return `${this.service(serviceSid)}/Channels`;
  }

  channel(serviceSid: string, channelSid: string): string {
    return `${this.channels(serviceSid)}/${channelSid}`;
  }

  /** Channel `links`; `last_message` is null while the channel has no message. */
  channelLinks(
    serviceSid: string,
    channelSid: string,
    lastMessageSid: string | null,
  ): { members: string; messages: string; invites: string; webhooks: string; last_message: string | null } {
    const channel = this.channel(serviceSid, channelSid);
    return {
      members: `${channel}/Members`,
      messages: `${channel}/Messages`,
      invites: `${channel}/Invites`,
      webhooks: `${channel}/Webhooks`,
      last_message: lastMessageSid === null ? null : `${channel}/Messages/${lastMessageSid}`,
    };
  }

  channelMembers(serviceSid: string, channelSid: string): string {
    return `${this.channel(serviceSid, channelSid)}/Members`;
  }

  channelMember(serviceSid: string, channelSid: string, memberSid: string): string {
    return `${this.channelMembers(serviceSid, channelSid)}/${memberSid}`;
  }

  channelInvites(serviceSid: string, channelSid: string): string {
    return `${this.channel(serviceSid, channelSid)}/Invites`;
  }

  channelInvite(serviceSid: string, channelSid: string, inviteSid: string): string {
    return `${this.channelInvites(serviceSid, channelSid)}/${inviteSid}`;
  }

  channelWebhooks(serviceSid: string, channelSid: string): string {
    return `${this.channel(serviceSid, channelSid)}/Webhooks`;
  }

  channelWebhook(serviceSid: string, channelSid: string, webhookSid: string): string {
    return `${this.channelWebhooks(serviceSid, channelSid)}/${webhookSid}`;
  }

  /** `/Users/{UserSid}/Channels`: the list URL keeps the user key as the request gave it (sid or identity). */
  userChannelList(serviceSid: string, userKey: string): string {
    return `${this.service(serviceSid)}/Users/${encodeURIComponent(userKey)}/Channels`;
  }

  userChannel(serviceSid: string, userSid: string, channelSid: string): string {
    return `${this.service(serviceSid)}/Users/${userSid}/Channels/${channelSid}`;
  }

  /** UserChannel `links`: its channel, and its member (null for a channel the user is only invited to). */
  userChannelLinks(serviceSid: string, channelSid: string, memberSid: string | null): { channel: string; member: string | null } {
    return {
      channel: this.channel(serviceSid, channelSid),
      member: memberSid === null ? null : this.channelMember(serviceSid, channelSid, memberSid),
    };
  }

  // --- Messages ---

  /** The Messages list URL keeps the channel key as the request gave it (sid or unique name). */
  channelMessageList(serviceSid: string, channelKey: string): string {
    return `${this.channels(serviceSid)}/${encodeURIComponent(channelKey)}/Messages`;
  }

  channelMessage(serviceSid: string, channelSid: string, messageSid: string): string {
    return `${this.channel(serviceSid, channelSid)}/Messages/${messageSid}`;
  }
}
