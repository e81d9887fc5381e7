import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { isSid } from '@parley/contracts';
import { ChannelEntity, InviteEntity, MemberEntity, type NotificationLevel } from '../database/entities';
import { CHANNEL_ROWS, relationOf, UNREAD_COUNT, VIEWER_COLUMNS, type RelationColumns } from './channel-rows';
import type { PagePlan } from '../paging/page-token';
import type { LookupOptions } from '../scope/scope.repository';
import type { SidKey } from '../paging/keysets';
import { statement, Statements } from '../persistence/statements';

/** An SDK user as the queries see it: its identity and, when its session carries one, its service role. */
export interface Viewer {
  identity: string;
  roleSid?: string;
}

/** The viewer's membership of (or invite to) one channel. */
export interface ViewerRelation {
  memberSid: string | null;
  lastConsumedMessageIndex: number | null;
  notificationLevel: NotificationLevel | null;
  /** Messages after the consumption horizon; null while none is set (or not a member). */
  unreadMessagesCount: number | null;
  invited: boolean;
}

export interface ViewedChannel {
  channel: ChannelEntity;
  relation: ViewerRelation;
}

export interface AccessOptions extends LookupOptions {
  /** Count the viewer's unread messages too (for a reply that shows its membership; not for a permission check). */
  unread?: boolean;
}

/** A channel with what decides the viewer's permissions in it. */
export interface ChannelAccessRow extends ViewedChannel {
  /** Permissions of the viewer's service role: the session's, else its User's (empty without one). */
  servicePermissions: string[];
  /** Permissions of the viewer's channel role when it is a member (empty without a role), else null. */
  memberPermissions: string[] | null;
}

interface AccessColumns extends RelationColumns {
  v_member_permissions: string[] | null;
  v_service_permissions: string[] | null;
}

/*
 * Channels as one SDK user sees them: each with the user's membership or invite (by (channel_sid, identity), both
 * unique indexes), so a read answers channels and memberships in one query. The permission check of a command
 * reads the user's service role and its channel role in that same query: roles are never cached, so a role
 * edited over REST applies to the next command on every replica.
 */
@Injectable()
export class ChannelViewsRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  /**
   * The channel `key` (sid or unique name) names, with the viewer's relation and permissions; null when none. Every
   * SDK command runs this first, so it is a prepared statement (persistence/statements.ts), one per shape.
   */
  async access(accountSid: string, serviceSid: string, key: string, viewer: Viewer, opts: AccessOptions = {}): Promise<ChannelAccessRow | null> {
    const stmt = ACCESS_STATEMENTS[isSid(key, 'CH') ? 'sid' : 'unique_name'][opts.unread === true ? 'unread' : 'plain'][opts.lock ? 'locked' : 'read'];
    const [row] = await this.statements.rows<AccessColumns>(stmt, [accountSid, serviceSid, key, viewer.identity, viewer.roleSid ?? null], opts.manager);
    return row ? accessRowOf(row) : null;
  }

  /**
   * `access` for several viewers of one channel in one statement (concurrent commands to a channel, batched by
   * ChannelAccess): a row per distinct viewer, keyed by viewerKey(); empty when the channel does not exist.
   */
  async accessMany(accountSid: string, serviceSid: string, key: string, viewers: readonly Viewer[]): Promise<Map<string, ChannelAccessRow>> {
    const stmt = ACCESS_MANY_STATEMENTS[isSid(key, 'CH') ? 'sid' : 'unique_name'];
    const rows = await this.statements.rows<AccessColumns & { v_identity: string; v_role: string | null }>(stmt, [
      accountSid,
      serviceSid,
      key,
      JSON.stringify(viewers.map((v) => ({ identity: v.identity, role_sid: v.roleSid ?? null }))),
    ]);
    return new Map(rows.map((row) => [viewerKey({ identity: row.v_identity, roleSid: row.v_role ?? undefined }), accessRowOf(row)]));
  }

  /** The permissions of the viewer's service role (the session's, else its User's); empty without one. */
  async servicePermissions(accountSid: string, serviceSid: string, viewer: Viewer, manager?: EntityManager): Promise<string[]> {
    const rows: { permissions: string[] }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT r.permissions FROM roles r
        WHERE r.account_sid = $1 AND r.service_sid = $2 AND r.type = 'deployment'
          AND r.sid = COALESCE($4::varchar,
                               (SELECT u.role_sid FROM users u WHERE u.account_sid = $1 AND u.service_sid = $2 AND u.identity = $3))`,
      [accountSid, serviceSid, viewer.identity, viewer.roleSid ?? null],
    );
    return rows[0]?.permissions ?? [];
  }

  /** At most `limit` public channels in the plan's scan order (keyset: sid). */
  publicPage(accountSid: string, serviceSid: string, identity: string, plan: PagePlan<SidKey>, limit: number): Promise<ViewedChannel[]> {
    const qb = this.viewed(undefined, accountSid, serviceSid, identity).andWhere("c.type = 'public'");
    return this.page(qb, plan, limit);
  }

  /** At most `limit` channels the identity is a member of or invited to, in the plan's scan order (keyset: sid). */
  subscribedPage(accountSid: string, serviceSid: string, identity: string, plan: PagePlan<SidKey>, limit: number): Promise<ViewedChannel[]> {
    const qb = this.viewed(undefined, accountSid, serviceSid, identity).andWhere(
      `c.sid IN (${JOINED_SIDS} UNION ALL ${INVITED_SIDS})`,
    );
    return this.page(qb, plan, limit);
  }

  /** The first `limit` channels (by sid) the identity is a member of. */
  joined(accountSid: string, serviceSid: string, identity: string, limit: number): Promise<ViewedChannel[]> {
    const qb = this.viewed(undefined, accountSid, serviceSid, identity).andWhere(`c.sid IN (${JOINED_SIDS})`);
    return this.page(qb, { order: 'ASC' }, limit);
  }

  /** The first `limit` channels (by sid) the identity is invited to and not a member of. */
  invited(accountSid: string, serviceSid: string, identity: string, limit: number): Promise<ViewedChannel[]> {
    const qb = this.viewed(undefined, accountSid, serviceSid, identity).andWhere(`c.sid IN (${INVITED_SIDS})`).andWhere('vm.sid IS NULL');
    return this.page(qb, { order: 'ASC' }, limit);
  }

  /**
   * Channels of the Service with the viewer's member and invite rows (outer joins on unique indexes) and, with
   * `unread`, its unread count (a count over the messages after its horizon: kept off the permission checks).
   */
  private viewed(manager: EntityManager | undefined, accountSid: string, serviceSid: string, identity: string, unread = true): SelectQueryBuilder<ChannelEntity> {
    const qb = (manager ?? this.dataSource.manager)
      .createQueryBuilder(ChannelEntity, 'c')
      .leftJoin(MemberEntity, 'vm', 'vm.account_sid = c.account_sid AND vm.channel_sid = c.sid AND vm.identity = :viewer')
      .leftJoin(InviteEntity, 'vi', 'vi.account_sid = c.account_sid AND vi.channel_sid = c.sid AND vi.identity = :viewer')
      .addSelect('vm.sid', 'v_member_sid')
      .addSelect('vm.last_consumed_message_index', 'v_last_consumed')
      .addSelect('vm.notification_level', 'v_notification_level')
      .addSelect('vi.sid', 'v_invite_sid')
      .where('c.account_sid = :accountSid AND c.service_sid = :serviceSid', { accountSid, serviceSid, viewer: identity });
    return qb.addSelect(unread ? UNREAD_COUNT : 'NULL::int', 'v_unread');
  }

  private async page(qb: SelectQueryBuilder<ChannelEntity>, plan: PagePlan<SidKey>, limit: number): Promise<ViewedChannel[]> {
    qb.orderBy('c.sid', plan.order).limit(limit);
    const bound = plan.after ?? plan.before;
    if (bound) qb.andWhere(`c.sid ${plan.after ? '>' : '<'} :bound`, { bound: bound.sid });
    const { entities, raw } = await qb.getRawAndEntities<RelationColumns & { c_sid: string }>();
    // One row per channel: every join is on a unique key.
    const columnsOf = new Map(raw.map((row) => [row.c_sid, row]));
    return entities.map((channel) => ({ channel, relation: relationOf(columnsOf.get(channel.sid) as RelationColumns) }));
  }
}

/** The viewer's memberships: its User (unique per identity) and that User's members (by user_sid, channel_sid). */
const JOINED_SIDS = `SELECT jm.channel_sid FROM members jm JOIN users ju ON ju.sid = jm.user_sid
  WHERE ju.account_sid = :accountSid AND ju.service_sid = :serviceSid AND ju.identity = :viewer`;

const INVITED_SIDS = `SELECT ji.channel_sid FROM invites ji
  WHERE ji.account_sid = :accountSid AND ji.service_sid = :serviceSid AND ji.identity = :viewer`;

/*
 * The permission read of every SDK command: the channel with the viewer's member row, invite, channel role, User and
 * service role (the session's role, $5, else the User's), each an outer join on a unique index. Roles are read here,
 * never cached, so a role edited over REST applies to the next command on every replica. `locked` locks the channel
 * row only (outer joins cannot be locked); `unread` counts the viewer's unread messages (for replies that show the
 * membership, not for a check).
 */
function accessSql(channelColumn: 'sid' | 'unique_name', unread: boolean, lock: boolean): string {
  return `
    SELECT ${CHANNEL_ROWS.select('c')},
           ${VIEWER_COLUMNS},
           ${unread ? UNREAD_COUNT : 'NULL::int'} AS v_unread,
           vmr.permissions AS v_member_permissions, vsr.permissions AS v_service_permissions
      FROM channels c
      LEFT JOIN members vm ON vm.account_sid = c.account_sid AND vm.channel_sid = c.sid AND vm.identity = $4
      LEFT JOIN invites vi ON vi.account_sid = c.account_sid AND vi.channel_sid = c.sid AND vi.identity = $4
      LEFT JOIN roles vmr ON vmr.account_sid = c.account_sid AND vmr.service_sid = c.service_sid AND vmr.sid = vm.role_sid
                         AND vmr.type = 'channel'
      LEFT JOIN users vu ON vu.account_sid = c.account_sid AND vu.service_sid = c.service_sid AND vu.identity = $4
      LEFT JOIN roles vsr ON vsr.account_sid = c.account_sid AND vsr.service_sid = c.service_sid
                         AND vsr.sid = COALESCE($5::varchar, vu.role_sid) AND vsr.type = 'deployment'
     WHERE c.account_sid = $1 AND c.service_sid = $2 AND c.${channelColumn} = $3
     ${lock ? 'FOR UPDATE OF c' : ''}`;
}

/**
 * The same read for several viewers ($4: a JSON array of {identity, role_sid}): one row per viewer, none when the
 * channel does not exist. The viewers come as one JSON document rather than arrays, and each viewer's rows are
 * lateral probes of unique indexes, so the statement keeps its generic plan (messages.repository.ts explains both).
 */
function accessManySql(channelColumn: 'sid' | 'unique_name'): string {
  return `
    SELECT v.identity AS v_identity, v.role_sid AS v_role, ${CHANNEL_ROWS.select('c')},
           ${VIEWER_COLUMNS},
           NULL::int AS v_unread, vm.permissions AS v_member_permissions, vsr.permissions AS v_service_permissions
      FROM channels c
      CROSS JOIN jsonb_to_recordset($4::jsonb) AS v(identity text, role_sid varchar)
      LEFT JOIN LATERAL (
        SELECT m.sid, m.last_consumed_message_index, m.notification_level, r.permissions
          FROM members m
          LEFT JOIN roles r ON r.sid = m.role_sid AND r.account_sid = c.account_sid AND r.service_sid = c.service_sid AND r.type = 'channel'
         WHERE m.channel_sid = c.sid AND m.identity = v.identity AND m.account_sid = c.account_sid
         LIMIT 1
      ) vm ON true
      LEFT JOIN LATERAL (
        SELECT i.sid FROM invites i WHERE i.channel_sid = c.sid AND i.identity = v.identity AND i.account_sid = c.account_sid LIMIT 1
      ) vi ON true
      LEFT JOIN LATERAL (
        SELECT r.permissions
          FROM roles r
         WHERE r.sid = COALESCE(v.role_sid, (SELECT u.role_sid FROM users u
                                              WHERE u.service_sid = c.service_sid AND u.identity = v.identity AND u.account_sid = c.account_sid))
           AND r.account_sid = c.account_sid AND r.service_sid = c.service_sid AND r.type = 'deployment'
         LIMIT 1
      ) vsr ON true
     WHERE c.account_sid = $1 AND c.service_sid = $2 AND c.${channelColumn} = $3`;
}

const accessShapes = (column: 'sid' | 'unique_name', unread: boolean) => ({
  read: statement(`channel_access_${column}${unread ? '_unread' : ''}`, accessSql(column, unread, false)),
  locked: statement(`channel_access_${column}${unread ? '_unread' : ''}_locked`, accessSql(column, unread, true)),
});

const ACCESS_STATEMENTS = {
  sid: { plain: accessShapes('sid', false), unread: accessShapes('sid', true) },
  unique_name: { plain: accessShapes('unique_name', false), unread: accessShapes('unique_name', true) },
};

const ACCESS_MANY_STATEMENTS = {
  sid: statement('channel_access_many_sid', accessManySql('sid')),
  unique_name: statement('channel_access_many_unique_name', accessManySql('unique_name')),
};

/** One viewer as a key: its identity and the role its session carries (two sessions may carry different roles). */
export function viewerKey(viewer: Viewer): string {
  return `${viewer.roleSid ?? ''} ${viewer.identity}`;
}

function accessRowOf(row: AccessColumns): ChannelAccessRow {
  const relation = relationOf(row);
  return {
    channel: CHANNEL_ROWS.from(row),
    relation,
    servicePermissions: row.v_service_permissions ?? [],
    memberPermissions: relation.memberSid === null ? null : (row.v_member_permissions ?? []),
  };
}

