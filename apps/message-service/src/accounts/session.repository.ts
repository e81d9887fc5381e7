import { Injectable } from '@nestjs/common';
import { SESSION_CHANNELS_MAX } from '@parley/contracts';
import { DataSource } from 'typeorm';
import { RoleEntity, ServiceEntity, UserEntity } from '../database/entities';
import type { ViewedChannel } from '../channels/channel-views.repository';
import { CHANNEL_ROWS, relationOf, UNREAD_COUNT, VIEWER_COLUMNS, type RelationColumns } from '../channels/channel-rows';
import { RowMapper } from '../persistence/rows';
import { statement, Statements } from '../persistence/statements';

/** The channels a session starts with: those its identity is a member of, and those it is only invited to. */
export interface SessionChannelRows {
  joined: ViewedChannel[];
  invited: ViewedChannel[];
}

/**
 * The rows a realtime session needs: its Service and the User of its identity (one statement; the User created on
 * first connection), its role and its channels. Every connection runs these, so they are prepared statements (persistence/statements.ts): each
 * pool connection plans them once.
 */
@Injectable()
export class SessionRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly statements: Statements,
  ) {}

  /**
   * The Service `serviceSid` of account `accountSid` (the columns a session reads) and its User of `identity` (null
   * before the identity's first connection), in one statement; null when there is no such Service. Looked up by
   * identity only, never as a sid.
   */
  async findServiceAndUser(accountSid: string, serviceSid: string, identity: string): Promise<{ service: SessionServiceRow; user: UserEntity | null } | null> {
    const [row] = await this.statements.rows<ServiceRow & { u_sid: string | null }>(SERVICE_AND_USER, [accountSid, serviceSid, identity]);
    if (!row) return null;
    const service = { sid: row.sid, accountSid: row.account_sid, defaultServiceRoleSid: row.default_service_role_sid, reachabilityEnabled: row.reachability_enabled };
    return { service, user: row.u_sid === null ? null : USER_ROWS.from(row, 'u_') };
  }

  findDeploymentRole(accountSid: string, serviceSid: string, roleSid: string): Promise<RoleEntity | null> {
    return this.dataSource.manager.findOneBy(RoleEntity, { accountSid, serviceSid, sid: roleSid, type: 'deployment' });
  }

  /**
   * Inserts `user` (a new row, on an identity's first connection), or answers the row of a concurrent first connection
   * of the same identity: both race on the unique (service, identity) constraint, the loser's insert does nothing and
   * it reads the winner's row.
   */
  async createUser(user: UserEntity): Promise<UserEntity> {
    const [inserted] = await this.statements.rows<object>(INSERT_USER, [
      user.sid,
      user.accountSid,
      user.serviceSid,
      user.identity,
      user.roleSid,
      user.friendlyName,
      user.attributes,
      user.joinedChannelsCount,
      user.dateCreated,
      user.dateUpdated,
    ]);
    if (inserted) return USER_ROWS.from(inserted);
    const [winner] = await this.statements.rows<object>(FIND_USER, [user.accountSid, user.serviceSid, user.identity]);
    if (!winner) throw new Error(`user ${user.identity} of ${user.serviceSid} neither inserted nor found`);
    return USER_ROWS.from(winner);
  }

  /**
   * The first SESSION_CHANNELS_MAX channels (by sid) the User is a member of, and the first SESSION_CHANNELS_MAX it
   * is invited to and not a member of, each with the identity's relation to it (as ChannelViewsRepository reads
   * them for `session.channels`), in one statement.
   */
  async channels(user: Pick<UserEntity, 'sid' | 'accountSid' | 'serviceSid' | 'identity'>): Promise<SessionChannelRows> {
    const rows = await this.statements.rows<SessionChannelRow>(SESSION_CHANNELS, [user.accountSid, user.serviceSid, user.identity, user.sid, SESSION_CHANNELS_MAX]);
    const joined: ViewedChannel[] = [];
    const invited: ViewedChannel[] = [];
    for (const row of rows) (row.v_list === 'joined' ? joined : invited).push(viewedOf(row));
    const bySid = (a: ViewedChannel, b: ViewedChannel) => (a.channel.sid < b.channel.sid ? -1 : a.channel.sid > b.channel.sid ? 1 : 0);
    return { joined: joined.sort(bySid), invited: invited.sort(bySid) };
  }
}

/** A User's columns in the prepared statements (persistence/rows.ts). */
export const USER_ROWS = new RowMapper(UserEntity, [
  'sid',
  'account_sid',
  'service_sid',
  'identity',
  'role_sid',
  'friendly_name',
  'attributes',
  'joined_channels_count',
  'date_created',
  'date_updated',
]);

const USER_COLUMNS = USER_ROWS.columns.join(', ');

/** The User's columns as `u_<column>`, beside the Service's. */
const PREFIXED_USER_COLUMNS = USER_ROWS.select('u', 'u_');

const SERVICE_AND_USER = statement(
  'session_service_user',
  `SELECT s.sid, s.account_sid, s.default_service_role_sid, s.reachability_enabled, ${PREFIXED_USER_COLUMNS}
     FROM services s
     LEFT JOIN users u ON u.account_sid = s.account_sid AND u.service_sid = s.sid AND u.identity = $3
    WHERE s.account_sid = $1 AND s.sid = $2`,
);

const FIND_USER = statement('session_user', `SELECT ${USER_COLUMNS} FROM users WHERE account_sid = $1 AND service_sid = $2 AND identity = $3`);

/** As TypeORM's insert().orIgnore(): a conflict (a concurrent first connection of the identity) inserts nothing. */
const INSERT_USER = statement(
  'session_user_insert',
  `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
   ON CONFLICT DO NOTHING RETURNING ${USER_COLUMNS}`,
);

/*
 * Both lists of a session, each channel with the identity's member row and invite (outer joins on unique indexes,
 * as ChannelViewsRepository reads them) and its unread count. Each list is driven from the identity's own rows, so
 * its cost follows the identity's channels, never the Service's: joined from the User's member rows
 * (uq_members_user_channel, in channel order; a subquery of its own, so even stale statistics of a young table
 * cannot turn it into a scan of the Service's channels), invited from the identity's invites (ix_invites_service_identity) of
 * channels it is not a member of.
 */
const CHANNEL_COLUMNS = `${CHANNEL_ROWS.select('c')}, ${VIEWER_COLUMNS}, ${UNREAD_COUNT} AS v_unread`;

const VIEWER_JOINS = `LEFT JOIN members vm ON vm.account_sid = c.account_sid AND vm.channel_sid = c.sid AND vm.identity = $3
    LEFT JOIN invites vi ON vi.account_sid = c.account_sid AND vi.channel_sid = c.sid AND vi.identity = $3`;

const SESSION_CHANNELS = statement(
  'session_channels',
  `(SELECT 'joined' AS v_list, ${CHANNEL_COLUMNS}
      FROM (SELECT m.channel_sid FROM members m WHERE m.user_sid = $4 ORDER BY m.channel_sid LIMIT $5) jm
      JOIN channels c ON c.sid = jm.channel_sid AND c.account_sid = $1 AND c.service_sid = $2
      ${VIEWER_JOINS}
     ORDER BY jm.channel_sid)
   UNION ALL
   (SELECT 'invited' AS v_list, ${CHANNEL_COLUMNS}
      FROM invites ji
      JOIN channels c ON c.sid = ji.channel_sid AND c.account_sid = $1 AND c.service_sid = $2
      ${VIEWER_JOINS}
     WHERE ji.account_sid = $1 AND ji.service_sid = $2 AND ji.identity = $3 AND vm.sid IS NULL
     ORDER BY ji.channel_sid LIMIT $5)`,
);

/** What a session reads of its Service. */
export type SessionServiceRow = Pick<ServiceEntity, 'sid' | 'accountSid' | 'defaultServiceRoleSid' | 'reachabilityEnabled'>;



interface ServiceRow {
  sid: string;
  account_sid: string;
  default_service_role_sid: string | null;
  reachability_enabled: boolean;
}



interface SessionChannelRow extends RelationColumns {
  v_list: 'joined' | 'invited';
}

function viewedOf(row: SessionChannelRow): ViewedChannel {
  return { channel: CHANNEL_ROWS.from(row), relation: relationOf(row) };
}
