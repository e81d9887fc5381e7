import { AccountEntity } from './entities/account.entity';
import { ApiKeyEntity } from './entities/api-key.entity';
import { BindingEntity } from './entities/binding.entity';
import { ChannelWebhookEntity } from './entities/channel-webhook.entity';
import { ChannelEntity } from './entities/channel.entity';
import { CredentialEntity } from './entities/credential.entity';
import { InviteEntity } from './entities/invite.entity';
import { MemberEntity } from './entities/member.entity';
import { MessageEntity } from './entities/message.entity';
import { RoleEntity } from './entities/role.entity';
import { ServiceEntity } from './entities/service.entity';
import { UserEntity } from './entities/user.entity';

export * from './entities/account.entity';
export * from './entities/api-key.entity';
export * from './entities/binding.entity';
export * from './entities/channel-webhook.entity';
export * from './entities/channel.entity';
export * from './entities/credential.entity';
export * from './entities/invite.entity';
export * from './entities/member.entity';
export * from './entities/message.entity';
export * from './entities/role.entity';
export * from './entities/service.entity';
export * from './entities/user.entity';

/** Listed explicitly (no globs): the app is compiled file by file with swc. */
export const ENTITIES = [
  AccountEntity,
  ApiKeyEntity,
  CredentialEntity,
  ServiceEntity,
  RoleEntity,
  UserEntity,
  ChannelEntity,
  MemberEntity,
  MessageEntity,
  InviteEntity,
  BindingEntity,
  ChannelWebhookEntity,
];
