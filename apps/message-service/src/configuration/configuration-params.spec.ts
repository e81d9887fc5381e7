import { updateServiceConfigurationParamsSchema, updateServiceParamsSchema, type ServiceResource } from '@parley/contracts';
import { presentConfiguration, toServiceUpdate } from './configuration-params';

const IS = `IS${'a'.repeat(32)}`;
const RL = (c: string) => `RL${c.repeat(32)}`;

/** As a form-encoded request sends it, through the contract. */
const form = (fields: Record<string, string>) => updateServiceConfigurationParamsSchema.parse({ ChatServiceSid: IS, ...fields });

describe('toServiceUpdate', () => {
  it.each<[string, Record<string, string>, Record<string, unknown>]>([
    ['nothing', {}, {}],
    ['ReachabilityEnabled', { ReachabilityEnabled: 'true' }, { ReachabilityEnabled: true }],
    ['ReachabilityEnabled false', { ReachabilityEnabled: 'false' }, { ReachabilityEnabled: false }],
    ['the chat service role', { DefaultChatServiceRoleSid: RL('1') }, { DefaultServiceRoleSid: RL('1') }],
    ['the conversation role', { DefaultConversationRoleSid: RL('2') }, { DefaultChannelRoleSid: RL('2') }],
    ['the conversation creator role', { DefaultConversationCreatorRoleSid: RL('3') }, { DefaultChannelCreatorRoleSid: RL('3') }],
    [
      'everything',
      { DefaultChatServiceRoleSid: RL('1'), DefaultConversationRoleSid: RL('2'), DefaultConversationCreatorRoleSid: RL('3'), ReachabilityEnabled: 'true' },
      { DefaultServiceRoleSid: RL('1'), DefaultChannelRoleSid: RL('2'), DefaultChannelCreatorRoleSid: RL('3'), ReachabilityEnabled: true },
    ],
  ])('maps %s onto the Chat Service update, and only that', (_case, fields, expected) => {
    const update = toServiceUpdate(form(fields));
    expect(update).toEqual({ Sid: IS, ...expected });
    // What it produces is a valid UpdateService command.
    expect(updateServiceParamsSchema.parse(update)).toEqual(update);
  });
});

describe('presentConfiguration', () => {
  it("renders the Service's roles and reachability under Conversations names", () => {
    const service = { sid: IS, default_service_role_sid: RL('1'), default_channel_role_sid: RL('2'), default_channel_creator_role_sid: RL('3'), reachability_enabled: true } as Partial<ServiceResource>;
    expect(presentConfiguration(service as ServiceResource)).toEqual({
      chat_service_sid: IS,
      default_chat_service_role_sid: RL('1'),
      default_conversation_role_sid: RL('2'),
      default_conversation_creator_role_sid: RL('3'),
      reachability_enabled: true,
    });
  });
});
