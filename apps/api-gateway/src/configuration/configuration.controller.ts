import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBasicAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { updateServiceConfigurationParamsSchema, type Caller } from '@parley/contracts';
import { ApiFormBody } from '../docs/form-docs';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentConfiguration, type ServiceConfigurationJson } from './configuration.presenter';

const SERVICE_PARAM = { name: 'chatServiceSid', description: 'Chat Service sid (IS…)' };

/**
 * Conversations v1 Service Configuration of a Chat Service: its default roles and ReachabilityEnabled under
 * Conversations names. The same settings as `/v2/Services/{sid}`, so either API sees the other's changes.
 */
@ApiTags('Service Configuration (Conversations v1)')
@ApiBasicAuth()
@Controller('v1/Services/:chatServiceSid/Configuration')
export class ConfigurationController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'FetchServiceConfiguration', summary: "A Chat Service's default roles and reachability" })
  @ApiParam(SERVICE_PARAM)
  @ApiResponse({ status: 200 })
  async fetch(@RestCaller() caller: Caller, @PathSid('chatServiceSid', 'IS') serviceSid: string): Promise<ServiceConfigurationJson> {
    return presentConfiguration(this.urls, await this.commands.run('chat.v1.cmd.service-configuration.fetch', caller, { ChatServiceSid: serviceSid }));
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'UpdateServiceConfiguration', summary: "Set a Chat Service's default roles or ReachabilityEnabled" })
  @ApiParam(SERVICE_PARAM)
  @ApiFormBody(updateServiceConfigurationParamsSchema, ['ChatServiceSid'])
  @ApiResponse({ status: 200 })
  @ApiResponse({ status: 400, description: '50100 / 50101: a role that is not a service / conversation role of this Service' })
  async update(
    @RestCaller() caller: Caller,
    @PathSid('chatServiceSid', 'IS') serviceSid: string,
    @Body() form: RestParams,
  ): Promise<ServiceConfigurationJson> {
    return presentConfiguration(
      this.urls,
      await this.commands.run('chat.v1.cmd.service-configuration.update', caller, { ...form, ChatServiceSid: serviceSid }),
    );
  }
}
