import { createCredentialParamsSchema, credentialResourceSchema, updateCredentialParamsSchema } from '@parley/contracts';
import { SecretBox } from '../crypto/secret-box';
import { presentCredential, renderSandbox } from './credential.presenter';
import { credentialChanges, newCredentialRow } from './credential-secrets';

const AC = `AC${'a'.repeat(32)}`;
const CR = `CR${'c'.repeat(32)}`;
const box = new SecretBox('ab'.repeat(32));
const seal = (plaintext: string) => box.seal(plaintext, CR);
const now = new Date('2021-05-06T07:08:09.500Z');

describe('credential rows', () => {
  it.each([
    ['an APN credential', { Type: 'apn', Certificate: '-----BEGIN CERTIFICATE-----x', PrivateKey: '-----BEGIN RSA PRIVATE KEY-----y', Sandbox: 'true' }, { certificateEncrypted: '-----BEGIN CERTIFICATE-----x', privateKeyEncrypted: '-----BEGIN RSA PRIVATE KEY-----y' }, true],
    ['a GCM credential', { Type: 'gcm', ApiKey: 'gcm-key' }, { apiKeyEncrypted: 'gcm-key' }, false],
    ['an FCM credential', { Type: 'fcm', Secret: 'fcm-server-key', FriendlyName: 'push' }, { secretEncrypted: 'fcm-server-key' }, false],
  ] as const)('%s stores every secret sealed, none in clear', (_, fields, secrets, sandbox) => {
    const row = newCredentialRow(CR, AC, createCredentialParamsSchema.parse(fields), seal, now);
    expect(row.sandbox).toBe(sandbox);
    for (const [column, plaintext] of Object.entries(secrets)) {
      const sealed = row[column as keyof typeof row] as string;
      expect(sealed).not.toContain(plaintext);
      expect(box.open(sealed, CR)).toBe(plaintext);
    }
    const unset = ['certificateEncrypted', 'privateKeyEncrypted', 'apiKeyEncrypted', 'secretEncrypted'].filter((c) => !(c in secrets));
    for (const column of unset) expect(row[column as keyof typeof row]).toBeNull();
  });

  it('a sealed secret does not open on another credential', () => {
    const row = newCredentialRow(CR, AC, createCredentialParamsSchema.parse({ Type: 'fcm', Secret: 's' }), seal, now);
    expect(() => box.open(row.secretEncrypted ?? '', `CR${'d'.repeat(32)}`)).toThrow();
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['nothing', {}, ['dateUpdated']],
    ['the name', { FriendlyName: 'renamed' }, ['friendlyName', 'dateUpdated']],
    ['sandbox', { Sandbox: 'false' }, ['sandbox', 'dateUpdated']],
    ['one secret', { Secret: 'new' }, ['secretEncrypted', 'dateUpdated']],
    ['the APN pair', { Certificate: 'c', PrivateKey: 'k' }, ['certificateEncrypted', 'privateKeyEncrypted', 'dateUpdated']],
  ])('an update of %s changes only those columns', (_, fields, columns) => {
    const changes = credentialChanges(updateCredentialParamsSchema.parse({ Sid: CR, ...fields }), seal, now);
    expect(Object.keys(changes).sort()).toEqual([...columns].sort());
  });

  it.each([
    ['an unknown type', { Type: 'sms' }],
    ['a missing type', {}],
    ['a name over 64 characters', { Type: 'fcm', FriendlyName: 'x'.repeat(65) }],
    ['a sandbox that is no boolean', { Type: 'apn', Sandbox: 'yes' }],
  ])('the contract refuses %s', (_, fields) => {
    expect(createCredentialParamsSchema.safeParse(fields).success).toBe(false);
  });
});

describe('presentCredential', () => {
  it.each([
    [true, 'True'],
    [false, 'False'],
  ])('renders sandbox %p as the string %p', (sandbox, rendered) => {
    expect(renderSandbox(sandbox)).toBe(rendered);
  });

  it('renders chat.v2.credential without url and without any secret', () => {
    const row = newCredentialRow(CR, AC, createCredentialParamsSchema.parse({ Type: 'apn', Certificate: 'cert', PrivateKey: 'key' }), seal, now);
    const resource = presentCredential(row);
    expect(resource).toEqual({
      sid: CR,
      account_sid: AC,
      friendly_name: null,
      type: 'apn',
      sandbox: 'False',
      date_created: '2021-05-06T07:08:09Z',
      date_updated: '2021-05-06T07:08:09Z',
    });
    expect(credentialResourceSchema.safeParse(resource).success).toBe(true);
    expect(JSON.stringify(resource)).not.toMatch(/cert|key|v1\./);
  });
});
