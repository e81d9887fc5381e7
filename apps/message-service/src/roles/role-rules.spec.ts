import { roleInUseProblem, roleNameTaken } from './role-rules';

const RL = `RL${'a'.repeat(32)}`;

describe('roleInUseProblem', () => {
  it.each([
    ['nothing', { serviceDefault: false, users: 0, members: 0, invites: 0 }, null],
    ['a service default', { serviceDefault: true, users: 0, members: 0, invites: 0 }, "the Service's default roles"],
    ['users', { serviceDefault: false, users: 2, members: 0, invites: 0 }, '2 user(s)'],
    ['members', { serviceDefault: false, users: 0, members: 1, invites: 0 }, '1 member(s)'],
    ['invites', { serviceDefault: false, users: 0, members: 0, invites: 3 }, '3 invite(s)'],
    ['several', { serviceDefault: true, users: 1, members: 1, invites: 1 }, "the Service's default roles, 1 user(s), 1 member(s), 1 invite(s)"],
  ])('a role used by %s', (_, usage, uses) => {
    const problem = roleInUseProblem(RL, usage);
    if (uses === null) {
      expect(problem).toBeNull();
    } else {
      expect(problem?.toBody()).toEqual({
        code: 20001,
        status: 409,
        message: `Role ${RL} is in use by ${uses} and cannot be deleted; assign another role first`,
      });
    }
  });

  it('answers a taken role name with 409', () => {
    expect(roleNameTaken('admins').toBody()).toMatchObject({ code: 20001, status: 409 });
  });
});
