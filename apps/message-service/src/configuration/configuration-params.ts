import type { ServiceConfigurationResource, ServiceResource, UpdateServiceConfigurationParams, UpdateServiceParams } from '@parley/contracts';

/*
 * The Conversations-style Service Configuration is a view of the Chat Service's own settings, under
 * Conversations names: Chat's "service / channel / channel creator" roles are Conversations'
 * "chat service / conversation / conversation creator" roles; reachability is the same flag.
 */

/** An UpdateServiceConfiguration request as the equivalent UpdateService request (only what was given). */
export function toServiceUpdate(params: UpdateServiceConfigurationParams): UpdateServiceParams {
  return {
    Sid: params.ChatServiceSid,
    ...(params.DefaultChatServiceRoleSid !== undefined && { DefaultServiceRoleSid: params.DefaultChatServiceRoleSid }),
    ...(params.DefaultConversationRoleSid !== undefined && { DefaultChannelRoleSid: params.DefaultConversationRoleSid }),
    ...(params.DefaultConversationCreatorRoleSid !== undefined && { DefaultChannelCreatorRoleSid: params.DefaultConversationCreatorRoleSid }),
    ...(params.ReachabilityEnabled !== undefined && { ReachabilityEnabled: params.ReachabilityEnabled }),
  };
}

/** `conversations.v1.service.service_configuration` of a Chat Service (without `url`/`links`). */
export function presentConfiguration(service: ServiceResource): ServiceConfigurationResource {
  return {
    chat_service_sid: service.sid,
    default_conversation_creator_role_sid: service.default_channel_creator_role_sid,
    default_conversation_role_sid: service.default_channel_role_sid,
    default_chat_service_role_sid: service.default_service_role_sid,
    reachability_enabled: service.reachability_enabled,
  };
}
