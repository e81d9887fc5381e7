import { Injectable } from '@nestjs/common';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { Errors, newSid, type Caller, type CommandParams, type CredentialResource, type PageResult } from '@parley/contracts';
import { InjectConfig } from '../config/message-config.module';
import type { MessageConfig } from '../config/message.config';
import { SecretBox } from '../crypto/secret-box';
import { buildPage, decodePageToken, planPage, resolvePageSize } from '../paging/page-token';
import { requireSystem } from '../permissions/caller-access';
import { createdKeyParser } from '../paging/keysets';
import { presentCredential } from './credential.presenter';
import { credentialChanges, newCredentialRow, type Seal } from './credential-secrets';
import { CredentialsRepository } from './credentials.repository';

/** Twilio: Credentials list up to 1000 per page. */
const PAGE_SIZE = { default: 50, max: 1000 };
const parseKey = createdKeyParser('CR');

/**
 * Push Credentials (account-level). Certificates, private keys and server keys are stored sealed with the server
 * key, bound to the credential's sid, and never returned.
 */
@Injectable()
export class CredentialsService {
  private readonly secretBox: SecretBox;

  constructor(
    private readonly credentials: CredentialsRepository,
    @InjectConfig() config: MessageConfig,
    @InjectPinoLogger(CredentialsService.name) private readonly logger: PinoLogger,
  ) {
    this.secretBox = new SecretBox(config.PARLEY_SECRET_KEY);
  }

  async create(caller: Caller, params: CommandParams<'chat.v1.cmd.credential.create'>): Promise<CredentialResource> {
    requireSystem(caller);
    const sid = newSid('CR');
    const row = newCredentialRow(sid, caller.accountSid, params, this.sealFor(sid), new Date());
    await this.credentials.insert(row);
    this.logger.info({ credentialSid: sid, type: row.type }, 'credential created');
    return presentCredential(row);
  }

  async fetch(caller: Caller, params: CommandParams<'chat.v1.cmd.credential.fetch'>): Promise<CredentialResource> {
    requireSystem(caller);
    const row = await this.credentials.findBySid(caller.accountSid, params.Sid);
    if (!row) throw notFound(params.Sid);
    return presentCredential(row);
  }

  async update(caller: Caller, params: CommandParams<'chat.v1.cmd.credential.update'>): Promise<CredentialResource> {
    requireSystem(caller);
    const row = await this.credentials.update(caller.accountSid, params.Sid, credentialChanges(params, this.sealFor(params.Sid), new Date()));
    if (!row) throw notFound(params.Sid);
    this.logger.info({ credentialSid: params.Sid }, 'credential updated');
    return presentCredential(row);
  }

  async delete(caller: Caller, params: CommandParams<'chat.v1.cmd.credential.delete'>): Promise<Record<string, never>> {
    requireSystem(caller);
    if (!(await this.credentials.delete(caller.accountSid, params.Sid))) throw notFound(params.Sid);
    this.logger.info({ credentialSid: params.Sid }, 'credential deleted');
    return {};
  }

  async list(caller: Caller, params: CommandParams<'chat.v1.cmd.credential.list'>): Promise<PageResult<CredentialResource>> {
    requireSystem(caller);
    const pageSize = resolvePageSize(params.PageSize, PAGE_SIZE);
    const cursor = params.PageToken ? decodePageToken(params.PageToken, parseKey) : null;
    const rows = await this.credentials.list(caller.accountSid, planPage(cursor), pageSize + 1);
    const page = buildPage(rows, pageSize, cursor, (r) => r.key);
    return {
      items: page.items.map((r) => presentCredential(r.row)),
      pageSize,
      nextPageToken: page.nextPageToken,
      previousPageToken: page.previousPageToken,
    };
  }

  /** A sealed value only opens on the row it was sealed for (the sid is the authenticated context). */
  private sealFor(sid: string): Seal {
    return (plaintext) => this.secretBox.seal(plaintext, sid);
  }
}

function notFound(sid: string) {
  return Errors.notFound(`/Credentials/${sid}`);
}
