import { Body, Controller, Delete, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiBasicAuth, ApiHeader, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createMessageParamsSchema, listMessagesParamsSchema, updateMessageParamsSchema, type Caller } from '@parley/contracts';
import { ApiFormBody, ApiQueryParams } from '../docs/form-docs';
import { listEnvelope, pageMeta, readPaging, type QueryParams } from '../http/page-meta';
import { RestCommands, type RestParams } from '../http/rest-commands';
import { PathKey, PathSid, RestCaller } from '../http/rest-params.decorator';
import { PublicUrls } from '../http/urls';
import { presentMessage, type MessageJson } from './message.presenter';

const MAX_PAGE_SIZE = 100;

const SERVICE_PARAM = { name: 'serviceSid', description: 'Service sid (IS…)' };
const CHANNEL_PARAM = { name: 'channelKey', description: 'Channel sid (CH…) or unique name' };
const SID_PARAM = { name: 'sid', description: 'Message sid (IM…)' };
const WEBHOOK_HEADER = { name: 'X-Twilio-Webhook-Enabled', required: false, enum: ['true', 'false'], description: 'Accepted; webhooks are not delivered yet' };
const PATH_KEYS = ['ServiceSid', 'ChannelSid', 'Sid'];

/**
 * Chat v2 Messages (chat-v2-surface.md: CreateMessage … ListMessage), in a Channel addressed by sid or unique name.
 * `X-Twilio-Webhook-Enabled` is accepted and has no effect until webhooks are delivered.
 */
@ApiTags('Messages (Chat v2)')
@ApiBasicAuth()
@ApiParam(SERVICE_PARAM)
@ApiParam(CHANNEL_PARAM)
@Controller('v2/Services/:serviceSid/Channels/:channelKey/Messages')
export class MessagesController {
  constructor(
    private readonly commands: RestCommands,
    private readonly urls: PublicUrls,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ operationId: 'CreateMessage', summary: 'Send a message to a channel (From defaults to `system`)' })
  @ApiHeader(WEBHOOK_HEADER)
  @ApiFormBody(createMessageParamsSchema, [...PATH_KEYS, 'IdempotencyKey'])
  @ApiResponse({ status: 201 })
  @ApiResponse({ status: 400, description: '50503: no Body and no MediaSid; 50504: Body over 32 KiB; 20001: bad parameter' })
  @ApiResponse({ status: 404, description: '20404: unknown Service or Channel' })
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
  @ApiOperation({ operationId: 'ListMessage', summary: "The channel's messages by index (Order asc|desc)" })
  @ApiQueryParams(listMessagesParamsSchema, PATH_KEYS)
  @ApiResponse({ status: 200, description: '`{ messages, meta }`' })
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
  @ApiOperation({ operationId: 'FetchMessage', summary: 'A message' })
  @ApiParam(SID_PARAM)
  @ApiResponse({ status: 200 })
  @ApiResponse({ status: 404, description: '20404: unknown message, channel or service' })
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
  @ApiOperation({ operationId: 'UpdateMessage', summary: 'Edit a message (body, attributes, author, backfilled dates)' })
  @ApiParam(SID_PARAM)
  @ApiHeader(WEBHOOK_HEADER)
  @ApiFormBody(updateMessageParamsSchema, PATH_KEYS)
  @ApiResponse({ status: 200 })
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
  @ApiOperation({ operationId: 'DeleteMessage', summary: 'Delete a message (messages_count goes down; indexes are not reused)' })
  @ApiParam(SID_PARAM)
  @ApiHeader(WEBHOOK_HEADER)
  @ApiResponse({ status: 204 })
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
