import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import type { Caller } from '@parley/contracts';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentMessage, type MessageJson } from './message.presenter';

const MAX_PAGE_SIZE = 100;

/**
 * Chat v2 Messages (chat-v2-surface.md: CreateMessage … ListMessage), in a Channel addressed by sid or unique name.
 * `X-Twilio-Webhook-Enabled` is accepted and has no effect until webhooks are delivered.
 */
@Controller('v2/Services/:serviceSid/Channels/:channelKey/Messages')
export class MessagesController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelKey') channelKey: string,
    @Body() form: RestParams,
  ): Promise<MessageJson> {
    const params = { ...twilioFields(form), ServiceSid: serviceSid, ChannelSid: channelKey };
    return presentMessage(this.urls, await this.commands.run('chat.v1.cmd.message.create', caller, params));
  }

  @Get()
  async list(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelKey') channelKey: string,
    @Query() query: QueryParams,
  ) {
    const paging = readPaging(query, MAX_PAGE_SIZE);
    const page = await this.commands.run('chat.v1.cmd.message.list', caller, {
      Order: query.Order,
      ...paging,
      ServiceSid: serviceSid,
      ChannelSid: channelKey,
    });
    const meta = pageMeta({ key: 'messages', listUrl: this.urls.channelMessageList(serviceSid, channelKey), query, paging, page });
    return listEnvelope(meta, page.items.map((message) => presentMessage(this.urls, message)));
  }

  @Get(':sid')
  async fetch(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelKey') channelKey: string,
    @PathSid('sid', 'IM') sid: string,
  ): Promise<MessageJson> {
    const params = { ServiceSid: serviceSid, ChannelSid: channelKey, Sid: sid };
    return presentMessage(this.urls, await this.commands.run('chat.v1.cmd.message.fetch', caller, params));
  }

  @Post(':sid')
  @HttpCode(200) // Twilio updates with POST but answers 200, not Nest's 201 for POST.
  async update(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelKey') channelKey: string,
    @PathSid('sid', 'IM') sid: string,
    @Body() form: RestParams,
  ): Promise<MessageJson> {
    const params = { ...twilioFields(form), ServiceSid: serviceSid, ChannelSid: channelKey, Sid: sid };
    return presentMessage(this.urls, await this.commands.run('chat.v1.cmd.message.update', caller, params));
  }

  @Delete(':sid')
  @HttpCode(204)
  async remove(
    @RestCaller() caller: Caller,
    @PathSid('serviceSid', 'IS') serviceSid: string,
    @PathKey('channelKey') channelKey: string,
    @PathSid('sid', 'IM') sid: string,
  ): Promise<void> {
    await this.commands.run('chat.v1.cmd.message.delete', caller, { ServiceSid: serviceSid, ChannelSid: channelKey, Sid: sid });
  }
}

/**
 * The form as Twilio defines it. `IdempotencyKey` is the SDK's send key, not a Twilio parameter: REST does not
 * pass it on (Twilio's REST API has no idempotency parameter, and the twilio helper could not send one).
 */
function twilioFields(form: RestParams): RestParams {
  const { IdempotencyKey: _sdkOnly, ...fields } = form;
  return fields;
}
