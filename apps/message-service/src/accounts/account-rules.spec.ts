import type { AccountStatusValue } from '@parley/contracts';
import type { AccountEntity } from '../database/entities';
import { defaultSubaccountName, statusChangeProblem, subaccountCreationProblem } from './account-rules';

const MAIN = `AC${'a'.repeat(32)}`;
const SUB = `AC${'b'.repeat(32)}`;
const OTHER = `AC${'c'.repeat(32)}`;

type Facts = Pick<AccountEntity, 'sid' | 'ownerAccountSid' | 'status'>;
const main = (status: AccountStatusValue = 'active'): Facts => ({ sid: MAIN, ownerAccountSid: null, status });
const sub = (status: AccountStatusValue = 'active'): Facts => ({ sid: SUB, ownerAccountSid: MAIN, status });

describe('statusChangeProblem', () => {
  it.each<[string, Facts, string, AccountStatusValue | undefined, { code: number; status: number } | null]>([
    ['no Status given', sub(), MAIN, undefined, null],
    ['the same status again', main(), MAIN, 'active', null],
    ['an owner suspending its subaccount', sub(), MAIN, 'suspended', null],
    ['an owner reactivating a suspended subaccount', sub('suspended'), MAIN, 'active', null],
    ['an owner closing a suspended subaccount', sub('suspended'), MAIN, 'closed', null],
    ['an owner closing its subaccount', sub(), MAIN, 'closed', null],
    ['an owner reopening a closed subaccount', sub('closed'), MAIN, 'active', { code: 21100, status: 400 }],
    ['an owner suspending a closed subaccount', sub('closed'), MAIN, 'suspended', { code: 21100, status: 400 }],
    ['a main account suspending itself', main(), MAIN, 'suspended', { code: 21100, status: 400 }],
    ['a main account closing itself', main(), MAIN, 'closed', { code: 21100, status: 400 }],
    ['a subaccount suspending itself', sub(), SUB, 'suspended', { code: 21100, status: 403 }],
    ['a subaccount closing itself', sub(), SUB, 'closed', { code: 21100, status: 403 }],
    ['another account (never reached: not visible)', sub(), OTHER, 'suspended', { code: 21100, status: 403 }],
  ])('%s', (_case, target, caller, requested, expected) => {
    const problem = statusChangeProblem(target, caller, requested);
    if (expected === null) expect(problem).toBeNull();
    else expect(problem?.toBody()).toMatchObject(expected);
  });
});

describe('subaccountCreationProblem', () => {
  it('lets a main account create subaccounts', () => {
    expect(subaccountCreationProblem(main())).toBeNull();
  });

  it('refuses a subaccount (403 21100): subaccounts are one level deep', () => {
    expect(subaccountCreationProblem(sub())?.toBody()).toMatchObject({ code: 21100, status: 403 });
  });
});

describe('defaultSubaccountName', () => {
  it.each([
    ['2026-11-24T07:05:00Z', 'SubAccount Created at 2026-11-24 07:05 am'],
    ['2026-01-02T00:00:59Z', 'SubAccount Created at 2026-01-02 12:00 am'],
    ['2026-12-31T12:30:00Z', 'SubAccount Created at 2026-12-31 12:30 pm'],
    ['2026-06-09T23:59:00Z', 'SubAccount Created at 2026-06-09 11:59 pm'],
  ])('at %s is %s', (at, expected) => {
    expect(defaultSubaccountName(new Date(at))).toBe(expected);
  });
});
