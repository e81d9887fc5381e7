import { Errors, type ChannelWebhookKind, type CreateChannelWebhookParams, type ParleyError } from '@parley/contracts';
import type { ChannelWebhookConfiguration } from '../database/entities';

/*
 * A Channel Webhook's `configuration` from the dotted `Configuration.*` form keys, pure. Stored and returned
 * only: delivery comes with the webhooks issue.
 */

type ConfigurationParams = Pick<
  CreateChannelWebhookParams,
  | 'Configuration.Url'
  | 'Configuration.Method'
  | 'Configuration.Filters'
  | 'Configuration.Triggers'
  | 'Configuration.FlowSid'
  | 'Configuration.RetryCount'
>;

/** The keys a request gave, as stored (Twilio's snake_case shape). */
function given(params: ConfigurationParams): ChannelWebhookConfiguration {
  const config: ChannelWebhookConfiguration = {};
  if (params['Configuration.Url'] !== undefined) config.url = params['Configuration.Url'];
  if (params['Configuration.Method'] !== undefined) config.method = params['Configuration.Method'];
  if (params['Configuration.Filters'] !== undefined) config.filters = [...params['Configuration.Filters']];
  if (params['Configuration.Triggers'] !== undefined) config.triggers = [...params['Configuration.Triggers']];
  if (params['Configuration.FlowSid'] !== undefined) config.flow_sid = params['Configuration.FlowSid'];
  if (params['Configuration.RetryCount'] !== undefined) config.retry_count = params['Configuration.RetryCount'];
  return config;
}

/** A new webhook's configuration: what was given, with Twilio's defaults (method POST for URLs, no retries). */
export function newConfiguration(type: ChannelWebhookKind, params: ConfigurationParams): ChannelWebhookConfiguration {
  const config = given(params);
  if (type !== 'studio' && config.url !== undefined && config.method === undefined) config.method = 'POST';
  config.retry_count ??= 0;
  return config;
}

/** An update replaces the keys it gives (a list replaces the whole list) and keeps the others. */
export function mergeConfiguration(current: ChannelWebhookConfiguration, params: ConfigurationParams): ChannelWebhookConfiguration {
  return { ...current, ...given(params) };
}

/**
 * What each type needs to ever fire: `webhook` a URL, `trigger` a URL and trigger words, `studio` a Flow.
 * Answered as Twilio's missing-parameter 400 naming the dotted key.
 */
export function configurationProblem(type: ChannelWebhookKind, config: ChannelWebhookConfiguration): ParleyError | null {
  const needs: [boolean, string][] =
    type === 'studio'
      ? [[!config.flow_sid, 'Configuration.FlowSid']]
      : type === 'trigger'
        ? [
            [!config.url, 'Configuration.Url'],
            [!config.triggers || config.triggers.length === 0, 'Configuration.Triggers'],
          ]
        : [[!config.url, 'Configuration.Url']];
  const missing = needs.find(([absent]) => absent);
  return missing ? Errors.missingParameter(missing[1]) : null;
}
