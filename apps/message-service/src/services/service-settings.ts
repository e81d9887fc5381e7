import { ErrorCode, Errors, ParleyError, type UpdateServiceParams } from '@parley/contracts';
import type {
  RoleEntity,
  RoleType,
  ServiceEntity,
  ServiceMedia,
  ServiceNotifications,
  ServiceNotificationSettings,
} from '../database/entities';

/*
 * A Service's settings: Twilio's defaults for a new one, and how UpdateService parameters (dotted form keys)
 * change them. Pure functions; the repository only stores the result.
 */

export type FullNotifications = Required<ServiceNotifications>;
export type FullMedia = Required<ServiceMedia>;

const disabled = (): ServiceNotificationSettings => ({ enabled: false, template: null, sound: null });

/** Twilio: every push notification off, no template or sound, logging off, badge count off. */
export function defaultNotifications(): FullNotifications {
  return {
    log_enabled: false,
    new_message: { ...disabled(), badge_count_enabled: false },
    added_to_channel: disabled(),
    removed_from_channel: disabled(),
    invited_to_channel: disabled(),
  };
}

export const DEFAULT_MEDIA: FullMedia = { size_limit_mb: 150, compatibility_message: null };

/** The stored JSON completed with defaults, so rows written before a field existed still render in full. */
export function completeNotifications(stored: ServiceNotifications | null | undefined): FullNotifications {
  const base = defaultNotifications();
  const s = stored ?? {};
  return {
    log_enabled: s.log_enabled ?? base.log_enabled,
    new_message: { ...base.new_message, ...s.new_message },
    added_to_channel: { ...base.added_to_channel, ...s.added_to_channel },
    removed_from_channel: { ...base.removed_from_channel, ...s.removed_from_channel },
    invited_to_channel: { ...base.invited_to_channel, ...s.invited_to_channel },
  };
}

export function completeMedia(stored: ServiceMedia | null | undefined): FullMedia {
  return { ...DEFAULT_MEDIA, ...stored };
}

export interface NewService {
  sid: string;
  accountSid: string;
  friendlyName: string;
  roles: { service: string; channel: string; channelCreator: string };
  now: Date;
}

/** A new Service row with Twilio's defaults (chat-v2-surface.md, "Service sub-objects"). */
export function newServiceRow(input: NewService): ServiceEntity {
  return {
    sid: input.sid,
    accountSid: input.accountSid,
    friendlyName: input.friendlyName,
    defaultServiceRoleSid: input.roles.service,
    defaultChannelRoleSid: input.roles.channel,
    defaultChannelCreatorRoleSid: input.roles.channelCreator,
    readStatusEnabled: true,
    reachabilityEnabled: false,
    typingIndicatorTimeout: 5,
    consumptionReportInterval: 10,
    limitsChannelMembers: 250,
    limitsUserChannels: 100,
    preWebhookUrl: null,
    postWebhookUrl: null,
    webhookMethod: 'POST',
    webhookFilters: [],
    preWebhookRetryCount: 0,
    postWebhookRetryCount: 0,
    notifications: defaultNotifications(),
    media: { ...DEFAULT_MEDIA },
    dateCreated: input.now,
    dateUpdated: input.now,
  };
}

type NotificationKind = 'NewMessage' | 'AddedToChannel' | 'RemovedFromChannel' | 'InvitedToChannel';

/** Keeps only the fields a request gave, so spreading them over the current values changes nothing else. */
function given<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The row after an UpdateService: every given parameter applied, the others kept; `date_updated` bumped. */
export function applyServiceUpdate(current: ServiceEntity, params: UpdateServiceParams, now: Date): ServiceEntity {
  const next: ServiceEntity = {
    ...current,
    ...given({
      friendlyName: params.FriendlyName,
      defaultServiceRoleSid: params.DefaultServiceRoleSid,
      defaultChannelRoleSid: params.DefaultChannelRoleSid,
      defaultChannelCreatorRoleSid: params.DefaultChannelCreatorRoleSid,
      readStatusEnabled: params.ReadStatusEnabled,
      reachabilityEnabled: params.ReachabilityEnabled,
      typingIndicatorTimeout: params.TypingIndicatorTimeout,
      consumptionReportInterval: params.ConsumptionReportInterval,
      limitsChannelMembers: params['Limits.ChannelMembers'],
      limitsUserChannels: params['Limits.UserChannels'],
      preWebhookUrl: params.PreWebhookUrl,
      postWebhookUrl: params.PostWebhookUrl,
      webhookMethod: params.WebhookMethod,
      webhookFilters: params.WebhookFilters ? [...params.WebhookFilters] : undefined,
      preWebhookRetryCount: params.PreWebhookRetryCount,
      postWebhookRetryCount: params.PostWebhookRetryCount,
    }),
    dateUpdated: now,
  };

  const stored = completeNotifications(current.notifications);
  const patch = <S extends ServiceNotificationSettings>(settings: S, kind: NotificationKind): S => ({
    ...settings,
    ...given({
      enabled: params[`Notifications.${kind}.Enabled`],
      template: params[`Notifications.${kind}.Template`],
      sound: params[`Notifications.${kind}.Sound`],
    }),
  });
  next.notifications = {
    log_enabled: params['Notifications.LogEnabled'] ?? stored.log_enabled,
    new_message: {
      ...patch(stored.new_message, 'NewMessage'),
      ...given({ badge_count_enabled: params['Notifications.NewMessage.BadgeCountEnabled'] }),
    },
    added_to_channel: patch(stored.added_to_channel, 'AddedToChannel'),
    removed_from_channel: patch(stored.removed_from_channel, 'RemovedFromChannel'),
    invited_to_channel: patch(stored.invited_to_channel, 'InvitedToChannel'),
  };

  next.media = { ...completeMedia(current.media), ...given({ compatibility_message: params['Media.CompatibilityMessage'] }) };
  return next;
}

/** Twilio's "Channel role not found" (permissions-errors.md §5); libs/contracts has no name for it yet. */

const ROLE_PARAMS = [
  ['DefaultServiceRoleSid', 'deployment'],
  ['DefaultChannelRoleSid', 'channel'],
  ['DefaultChannelCreatorRoleSid', 'channel'],
] as const satisfies readonly (readonly [keyof UpdateServiceParams, RoleType])[];

/** Role sids an update names as defaults; they must be checked against the Service's roles. */
export function requestedDefaultRoles(params: UpdateServiceParams): string[] {
  return ROLE_PARAMS.map(([param]) => params[param]).filter((sid): sid is string => sid !== undefined);
}

/**
 * A default role must be a role of this Service, of the scope it is used in: the service default is given to
 * Users (`deployment`), the channel defaults to Members (`channel`). Unknown, foreign and wrong-scope roles are
 * all "not found" for that scope: 50100, or 50101 for the channel ones.
 */
export function defaultRolesProblem(params: UpdateServiceParams, roles: Pick<RoleEntity, 'sid' | 'type'>[]): ParleyError | null {
  for (const [param, type] of ROLE_PARAMS) {
    const sid = params[param];
    if (sid === undefined) continue;
    if (roles.some((r) => r.sid === sid && r.type === type)) continue;
    return type === 'channel'
      ? new ParleyError(ErrorCode.ChannelRoleNotFound, `Channel role not found: ${sid}`, 400)
      : Errors.badRequest(ErrorCode.RoleNotFound, `Role not found: ${sid}`);
  }
  return null;
}
