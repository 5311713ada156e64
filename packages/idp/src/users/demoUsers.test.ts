import { DEMO_USERS } from './demoUsers';
import { CATALYST_ROLES } from './types';

describe('DEMO_USERS', () => {
  it('has every Organization role in both Organizations, and a sovereign-admin of none', () => {
    const held = (organization: string | undefined) =>
      [...new Set(DEMO_USERS.filter(u => u.organization === organization).map(u => u.role))].sort();
    const organizationRoles = CATALYST_ROLES.filter(r => r !== 'sovereign-admin').sort();
    expect(held('acme')).toEqual(organizationRoles);
    expect(held('globex')).toEqual(organizationRoles);
    expect(held(undefined)).toEqual(['sovereign-admin']);
  });

  it('keeps the passwords the journeys and the README use: <user>-demo', () => {
    expect(DEMO_USERS.filter(u => u.password !== `${u.username}-demo`)).toEqual([]);
  });
});
