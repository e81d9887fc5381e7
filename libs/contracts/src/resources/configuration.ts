import { z } from 'zod';
import { formBoolean } from '../form';
import { sidSchema } from '../sid';

/**
 * `conversations.v1.service.service_configuration` between services, without `url`/`links`: the
 * Conversations-style view of a Chat Service's default roles and reachability (the same stored data).
 */
export const serviceConfigurationResourceSchema = z.object({
  chat_service_sid: z.string(),
  default_conversation_creator_role_sid: z.string().nullable(),
  default_conversation_role_sid: z.string().nullable(),
  default_chat_service_role_sid: z.string().nullable(),
  reachability_enabled: z.boolean(),
});
export type ServiceConfigurationResource = z.infer<typeof serviceConfigurationResourceSchema>;

export const serviceConfigurationParamsSchema = z.object({ ChatServiceSid: sidSchema('IS') });

export const updateServiceConfigurationParamsSchema = z.object({
  ChatServiceSid: sidSchema('IS'),
  DefaultConversationCreatorRoleSid: sidSchema('RL').optional(),
  DefaultConversationRoleSid: sidSchema('RL').optional(),
  DefaultChatServiceRoleSid: sidSchema('RL').optional(),
  ReachabilityEnabled: formBoolean.optional(),
});
export type UpdateServiceConfigurationParams = z.infer<typeof updateServiceConfigurationParamsSchema>;
