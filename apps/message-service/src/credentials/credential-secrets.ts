import type { CreateCredentialParams, UpdateCredentialParams } from '@parley/contracts';
import type { CredentialEntity } from '../database/entities';

/** Seals one secret for one credential row (SecretBox.seal with the row's sid as context). */
export type Seal = (plaintext: string) => string;

type SecretParams = Pick<CreateCredentialParams | UpdateCredentialParams, 'Certificate' | 'PrivateKey' | 'ApiKey' | 'Secret'>;
type SecretColumns = Pick<CredentialEntity, 'certificateEncrypted' | 'privateKeyEncrypted' | 'apiKeyEncrypted' | 'secretEncrypted'>;

/** The encrypted columns a request sets: only those it gives (an update keeps the others). */
export function sealedSecrets(params: SecretParams, seal: Seal): Partial<SecretColumns> {
  return {
    ...(params.Certificate !== undefined && { certificateEncrypted: seal(params.Certificate) }),
    ...(params.PrivateKey !== undefined && { privateKeyEncrypted: seal(params.PrivateKey) }),
    ...(params.ApiKey !== undefined && { apiKeyEncrypted: seal(params.ApiKey) }),
    ...(params.Secret !== undefined && { secretEncrypted: seal(params.Secret) }),
  };
}

/** A new credential: secrets sealed, sandbox off unless asked (APN only, stored for every type as Twilio shows it). */
export function newCredentialRow(sid: string, accountSid: string, params: CreateCredentialParams, seal: Seal, now: Date): CredentialEntity {
  return {
    sid,
    accountSid,
    friendlyName: params.FriendlyName ?? null,
    type: params.Type,
    sandbox: params.Sandbox ?? false,
    certificateEncrypted: null,
    privateKeyEncrypted: null,
    apiKeyEncrypted: null,
    secretEncrypted: null,
    ...sealedSecrets(params, seal),
    dateCreated: now,
    dateUpdated: now,
  };
}

/** The columns an UpdateCredential changes: the given settings and secrets, and `date_updated`. */
export function credentialChanges(params: UpdateCredentialParams, seal: Seal, now: Date): Partial<CredentialEntity> {
  return {
    ...(params.FriendlyName !== undefined && { friendlyName: params.FriendlyName }),
    ...(params.Sandbox !== undefined && { sandbox: params.Sandbox }),
    ...sealedSecrets(params, seal),
    dateUpdated: now,
  };
}
