import { Injectable } from '@nestjs/common';
import type { Caller, CommandParams, ServiceConfigurationResource } from '@parley/contracts';
import { ServicesService } from '../services/services.service';
import { presentConfiguration, toServiceUpdate } from './configuration-params';

/**
 * The Service Configuration resource (`/v1/Services/{ChatServiceSid}/Configuration`): the Service's rules apply
 * unchanged (role scopes 50100/50101, locked update, `service.updated` after the commit), so a change made here
 * and one made through `POST /v2/Services/{sid}` are the same change.
 */
@Injectable()
export class ConfigurationService {
  constructor(private readonly services: ServicesService) {}

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.service-configuration.fetch'>): Promise<ServiceConfigurationResource> {
    return presentConfiguration(await this.services.fetch(caller, { Sid: params.ChatServiceSid }));
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.service-configuration.update'>): Promise<ServiceConfigurationResource> {
    return presentConfiguration(await this.services.update(caller, toServiceUpdate(params)));
  }
}
