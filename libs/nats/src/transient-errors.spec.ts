import { isTransientDependencyError } from './transient-errors';

describe('isTransientDependencyError', () => {
  it.each<[string, unknown, boolean]>([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }), true],
    ['Postgres shutting down (57P01), wrapped by TypeORM', Object.assign(new Error('query failed'), { driverError: { code: '57P01' } }), true],
    ['Postgres starting up (57P03)', { code: '57P03', message: 'the database system is starting up' }, true],
    ['a dropped connection without a code', new Error('Connection terminated unexpectedly'), true],
    ['an AggregateError of refused connects', Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }]), {}), true],
    ['a unique violation', Object.assign(new Error('duplicate key'), { driverError: { code: '23505' } }), false],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'sid')"), false],
    ['a string', 'ECONNREFUSED', false],
  ])('%s → %s', (_name, err, expected) => {
    expect(isTransientDependencyError(err)).toBe(expected);
  });
});
