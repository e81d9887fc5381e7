import { createChannelWebhookParamsSchema, updateChannelWebhookParamsSchema, type ChannelWebhookKind } from '@parley/contracts';
import type { ChannelWebhookConfiguration } from '../database/entities';
import { configurationProblem, mergeConfiguration, newConfiguration } from './webhook-configuration';

const keys = { ServiceSid: `IS${'1'.repeat(32)}`, ChannelSid: 'room' };
const FW = `FW${'2'.repeat(32)}`;

describe('newConfiguration', () => {
  it.each<[ChannelWebhookKind, Record<string, string | string[]>, ChannelWebhookConfiguration]>([
    ['webhook', { 'Configuration.Url': 'https://a.example/h' }, { url: 'https://a.example/h', method: 'POST', retry_count: 0 }],
    [
      'webhook',
      { 'Configuration.Url': 'https://a.example/h', 'Configuration.Method': 'GET', 'Configuration.Filters': 'onMessageSent', 'Configuration.RetryCount': '3' },
      { url: 'https://a.example/h', method: 'GET', filters: ['onMessageSent'], retry_count: 3 },
    ],
    ['trigger', { 'Configuration.Url': 'https://a.example/t', 'Configuration.Triggers': ['a', 'b'] }, { url: 'https://a.example/t', method: 'POST', triggers: ['a', 'b'], retry_count: 0 }],
    ['studio', { 'Configuration.FlowSid': FW }, { flow_sid: FW, retry_count: 0 }],
  ])('%s %p', (type, fields, expected) => {
    expect(newConfiguration(type, createChannelWebhookParamsSchema.parse({ ...keys, Type: type, ...fields }))).toEqual(expected);
  });
});

describe('configurationProblem', () => {
  it.each<[ChannelWebhookKind, ChannelWebhookConfiguration, string | null]>([
    ['webhook', { url: 'https://a.example' }, null],
    ['webhook', {}, 'Configuration.Url'],
    ['trigger', { url: 'https://a.example', triggers: ['x'] }, null],
    ['trigger', { url: 'https://a.example', triggers: [] }, 'Configuration.Triggers'],
    ['trigger', { triggers: ['x'] }, 'Configuration.Url'],
    ['studio', { flow_sid: FW }, null],
    ['studio', { url: 'https://a.example' }, 'Configuration.FlowSid'],
  ])('%s %p', (type, config, missing) => {
    const problem = configurationProblem(type, config);
    expect(problem ? problem.message : null).toBe(missing ? `Missing required parameter ${missing} in the post body` : null);
    if (problem) expect([problem.code, problem.status]).toEqual([20001, 400]);
  });
});

describe('mergeConfiguration', () => {
  it('replaces the given keys, whole lists included, and keeps the rest', () => {
    const current: ChannelWebhookConfiguration = { url: 'https://a.example', method: 'POST', filters: ['onMessageSent', 'onMemberAdded'], retry_count: 1 };
    const params = updateChannelWebhookParamsSchema.parse({ ...keys, Sid: `WH${'3'.repeat(32)}`, 'Configuration.Filters': 'onChannelUpdated', 'Configuration.RetryCount': '0' });
    expect(mergeConfiguration(current, params)).toEqual({ url: 'https://a.example', method: 'POST', filters: ['onChannelUpdated'], retry_count: 0 });
  });
});
