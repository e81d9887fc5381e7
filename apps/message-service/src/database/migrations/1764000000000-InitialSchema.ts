import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The whole chat data model (DESIGN.md section 7). Hand-written to match the entities exactly; constraint and index
 * names are explicit (pk_/fk_/uq_/ix_/ck_) so later migrations and error mapping can refer to them.
 */
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "accounts" (
        "sid" varchar(34) NOT NULL,
        "friendly_name" text NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'active',
        "type" varchar(8) NOT NULL DEFAULT 'Full',
        "owner_account_sid" varchar(34),
        "auth_token_hash" text NOT NULL,
        "auth_token_encrypted" text,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_accounts" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_accounts_status" CHECK ("status" IN ('active', 'suspended', 'closed')),
        CONSTRAINT "ck_accounts_type" CHECK ("type" IN ('Full', 'Trial')),
        CONSTRAINT "fk_accounts_owner" FOREIGN KEY ("owner_account_sid")
          REFERENCES "accounts" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_accounts_owner_sid" ON "accounts" ("owner_account_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "api_keys" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "friendly_name" text,
        "secret_encrypted" text NOT NULL,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_api_keys" PRIMARY KEY ("sid"),
        CONSTRAINT "fk_api_keys_account" FOREIGN KEY ("account_sid") REFERENCES "accounts" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_api_keys_account_sid" ON "api_keys" ("account_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "credentials" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "friendly_name" text,
        "type" varchar(8) NOT NULL,
        "sandbox" boolean NOT NULL DEFAULT false,
        "certificate_encrypted" text,
        "private_key_encrypted" text,
        "api_key_encrypted" text,
        "secret_encrypted" text,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_credentials" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_credentials_type" CHECK ("type" IN ('gcm', 'apn', 'fcm')),
        CONSTRAINT "fk_credentials_account" FOREIGN KEY ("account_sid") REFERENCES "accounts" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_credentials_account_sid" ON "credentials" ("account_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "services" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "friendly_name" text NOT NULL,
        "default_service_role_sid" varchar(34),
        "default_channel_role_sid" varchar(34),
        "default_channel_creator_role_sid" varchar(34),
        "read_status_enabled" boolean NOT NULL DEFAULT true,
        "reachability_enabled" boolean NOT NULL DEFAULT false,
        "typing_indicator_timeout" integer NOT NULL DEFAULT 5,
        "consumption_report_interval" integer NOT NULL DEFAULT 10,
        "limits_channel_members" integer NOT NULL DEFAULT 250,
        "limits_user_channels" integer NOT NULL DEFAULT 100,
        "pre_webhook_url" text,
        "post_webhook_url" text,
        "webhook_method" varchar(4) NOT NULL DEFAULT 'POST',
        "webhook_filters" text[] NOT NULL DEFAULT '{}',
        "pre_webhook_retry_count" integer NOT NULL DEFAULT 0,
        "post_webhook_retry_count" integer NOT NULL DEFAULT 0,
        "notifications" jsonb NOT NULL DEFAULT '{}',
        "media" jsonb NOT NULL DEFAULT '{}',
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_services" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_services_webhook_method" CHECK ("webhook_method" IN ('GET', 'POST')),
        CONSTRAINT "fk_services_account" FOREIGN KEY ("account_sid") REFERENCES "accounts" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_services_account_created" ON "services" ("account_sid", "date_created", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "roles" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "friendly_name" text NOT NULL,
        "type" varchar(16) NOT NULL,
        "permissions" text[] NOT NULL DEFAULT '{}',
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_roles" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_roles_type" CHECK ("type" IN ('channel', 'deployment')),
        CONSTRAINT "uq_roles_service_friendly_name" UNIQUE ("service_sid", "friendly_name"),
        CONSTRAINT "fk_roles_service" FOREIGN KEY ("service_sid") REFERENCES "services" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_roles_service_sid" ON "roles" ("service_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "users" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "identity" text NOT NULL,
        "role_sid" varchar(34),
        "friendly_name" text,
        "attributes" text NOT NULL DEFAULT '{}',
        "joined_channels_count" integer NOT NULL DEFAULT 0,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_users" PRIMARY KEY ("sid"),
        CONSTRAINT "uq_users_service_identity" UNIQUE ("service_sid", "identity"),
        CONSTRAINT "fk_users_service" FOREIGN KEY ("service_sid") REFERENCES "services" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_users_service_sid" ON "users" ("service_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "channels" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "friendly_name" text,
        "unique_name" text,
        "attributes" text NOT NULL DEFAULT '{}',
        "type" varchar(16) NOT NULL DEFAULT 'public',
        "created_by" text NOT NULL DEFAULT 'system',
        "members_count" integer NOT NULL DEFAULT 0,
        "messages_count" integer NOT NULL DEFAULT 0,
        "next_message_index" integer NOT NULL DEFAULT 0,
        "last_message_sid" varchar(34),
        "last_message_index" integer,
        "last_message_date" timestamptz,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_channels" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_channels_type" CHECK ("type" IN ('public', 'private')),
        CONSTRAINT "fk_channels_service" FOREIGN KEY ("service_sid") REFERENCES "services" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_channels_service_unique_name" ON "channels" ("service_sid", "unique_name")
        WHERE "unique_name" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "ix_channels_service_sid" ON "channels" ("service_sid", "sid")`);
    await queryRunner.query(`CREATE INDEX "ix_channels_service_type_sid" ON "channels" ("service_sid", "type", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "members" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "channel_sid" varchar(34) NOT NULL,
        "identity" text NOT NULL,
        "user_sid" varchar(34) NOT NULL,
        "role_sid" varchar(34),
        "last_consumed_message_index" integer,
        "last_consumption_timestamp" timestamptz,
        "notification_level" varchar(16) NOT NULL DEFAULT 'default',
        "attributes" text NOT NULL DEFAULT '{}',
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_members" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_members_notification_level" CHECK ("notification_level" IN ('default', 'muted')),
        CONSTRAINT "uq_members_channel_identity" UNIQUE ("channel_sid", "identity"),
        CONSTRAINT "uq_members_user_channel" UNIQUE ("user_sid", "channel_sid"),
        CONSTRAINT "fk_members_channel" FOREIGN KEY ("channel_sid") REFERENCES "channels" ("sid") ON DELETE CASCADE,
        CONSTRAINT "fk_members_user" FOREIGN KEY ("user_sid") REFERENCES "users" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_members_channel_sid" ON "members" ("channel_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "messages" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "channel_sid" varchar(34) NOT NULL,
        "index" integer NOT NULL,
        "author" text NOT NULL DEFAULT 'system',
        "body" text,
        "attributes" text NOT NULL DEFAULT '{}',
        "was_edited" boolean NOT NULL DEFAULT false,
        "last_updated_by" text,
        "type" varchar(8) NOT NULL DEFAULT 'text',
        "media" jsonb,
        "to_sid" varchar(34) NOT NULL,
        "idempotency_key" text,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_messages" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_messages_type" CHECK ("type" IN ('text', 'media')),
        CONSTRAINT "uq_messages_channel_index" UNIQUE ("channel_sid", "index"),
        CONSTRAINT "fk_messages_channel" FOREIGN KEY ("channel_sid") REFERENCES "channels" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_messages_channel_idempotency_key" ON "messages" ("channel_sid", "idempotency_key")
        WHERE "idempotency_key" IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE "invites" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "channel_sid" varchar(34) NOT NULL,
        "identity" text NOT NULL,
        "role_sid" varchar(34),
        "created_by" text,
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_invites" PRIMARY KEY ("sid"),
        CONSTRAINT "uq_invites_channel_identity" UNIQUE ("channel_sid", "identity"),
        CONSTRAINT "fk_invites_channel" FOREIGN KEY ("channel_sid") REFERENCES "channels" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(`CREATE INDEX "ix_invites_channel_sid" ON "invites" ("channel_sid", "sid")`);

    await queryRunner.query(`
      CREATE TABLE "bindings" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "user_sid" varchar(34) NOT NULL,
        "identity" text NOT NULL,
        "endpoint" text NOT NULL,
        "credential_sid" varchar(34),
        "binding_type" varchar(8) NOT NULL,
        "message_types" text[] NOT NULL DEFAULT '{}',
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_bindings" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_bindings_binding_type" CHECK ("binding_type" IN ('gcm', 'apn', 'fcm')),
        CONSTRAINT "uq_bindings_service_endpoint_type" UNIQUE ("service_sid", "endpoint", "binding_type"),
        CONSTRAINT "fk_bindings_service" FOREIGN KEY ("service_sid") REFERENCES "services" ("sid") ON DELETE CASCADE,
        CONSTRAINT "fk_bindings_user" FOREIGN KEY ("user_sid") REFERENCES "users" ("sid") ON DELETE CASCADE,
        CONSTRAINT "fk_bindings_credential" FOREIGN KEY ("credential_sid")
          REFERENCES "credentials" ("sid") ON DELETE SET NULL
      )`);
    await queryRunner.query(`CREATE INDEX "ix_bindings_service_sid" ON "bindings" ("service_sid", "sid")`);
    await queryRunner.query(`CREATE INDEX "ix_bindings_user_sid" ON "bindings" ("user_sid", "sid")`);
    await queryRunner.query(`CREATE INDEX "ix_bindings_credential" ON "bindings" ("credential_sid")`);

    await queryRunner.query(`
      CREATE TABLE "channel_webhooks" (
        "sid" varchar(34) NOT NULL,
        "account_sid" varchar(34) NOT NULL,
        "service_sid" varchar(34) NOT NULL,
        "channel_sid" varchar(34) NOT NULL,
        "type" varchar(16) NOT NULL,
        "configuration" jsonb NOT NULL DEFAULT '{}',
        "date_created" timestamptz NOT NULL DEFAULT now(),
        "date_updated" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "pk_channel_webhooks" PRIMARY KEY ("sid"),
        CONSTRAINT "ck_channel_webhooks_type" CHECK ("type" IN ('webhook', 'studio', 'trigger')),
        CONSTRAINT "fk_channel_webhooks_channel" FOREIGN KEY ("channel_sid")
          REFERENCES "channels" ("sid") ON DELETE CASCADE
      )`);
    await queryRunner.query(
      `CREATE INDEX "ix_channel_webhooks_channel_sid" ON "channel_webhooks" ("channel_sid", "sid")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Children first; dropping a table drops its indexes and constraints with it.
    for (const table of [
      'channel_webhooks',
      'bindings',
      'invites',
      'messages',
      'members',
      'channels',
      'users',
      'roles',
      'services',
      'credentials',
      'api_keys',
      'accounts',
    ]) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
