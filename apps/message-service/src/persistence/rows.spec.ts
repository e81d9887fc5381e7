import 'reflect-metadata';
import { getMetadataArgsStorage } from 'typeorm';
import { ChannelEntity, MessageEntity, UserEntity } from '../database/entities';
import { CHANNEL_ROWS } from '../channels/channel-rows';
import { MESSAGE_ROWS } from '../messages/messages.repository';
import { USER_ROWS } from '../accounts/session.repository';
import { RowMapper } from './rows';

/** Every column of the entity as TypeORM maps it: column name → property. */
function typeormColumns(entity: new () => object): Record<string, string> {
  return Object.fromEntries(
    getMetadataArgsStorage()
      .filterColumns(entity)
      .map((c) => [c.options.name ?? c.propertyName, c.propertyName]),
  );
}

describe('RowMapper', () => {
  it.each([
    // The channel's send allowance is the send statement's own (messages.repository.ts): the app never reads it.
    ['channels', CHANNEL_ROWS, ChannelEntity, ['send_allowance', 'send_allowance_at']],
    ['messages', MESSAGE_ROWS, MessageEntity, []],
    ['users', USER_ROWS, UserEntity, []],
  ] as const)('maps every column of %s (but those only statements use) to the property TypeORM maps it to, and nothing else', (_table, rows, entity, statementOnly) => {
    const mapper = rows as RowMapper<object>;
    const row = Object.fromEntries(mapper.columns.map((column) => [column, `value of ${column}`]));
    const made = mapper.from(row) as Record<string, unknown>;
    const mapped = Object.entries(typeormColumns(entity)).filter(([column]) => !(statementOnly as readonly string[]).includes(column));
    const expected = Object.fromEntries(mapped.map(([column, property]) => [property, `value of ${column}`]));
    expect(made).toBeInstanceOf(entity);
    expect({ ...made }).toEqual(expected);
  });

  it('selects with an alias, optionally naming each column with a prefix, and reads such rows back', () => {
    const mapper = new RowMapper(UserEntity, ['sid', 'friendly_name']);
    expect(mapper.select('u')).toBe('u.sid, u.friendly_name');
    expect(mapper.select('u', 'u_')).toBe('u.sid AS u_sid, u.friendly_name AS u_friendly_name');
    expect({ ...mapper.from({ u_sid: 'US1', u_friendly_name: null, other: 1 }, 'u_') }).toEqual({ sid: 'US1', friendlyName: null });
  });
});
