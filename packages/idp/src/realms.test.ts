import { claimsFor, realmsFor } from './realms';
import { IdpUser } from './users/types';

const user = (over: Partial<IdpUser>): IdpUser => ({
  id: '00000000-0000-4000-8000-000000000001',
  username: 'ada',
  name: 'Ada Okafor',
  email: 'ada@acme.example',
  organization: 'acme',
  role: 'org-admin',
  groups: [],
  passwordHash: 'scrypt:16384:8:1:x:y',
  ...over,
});

describe('realmsFor', () => {
  it('has catalyst first, then one realm per Organization by name, each with its Backstage provider id', () => {
    expect(
      realmsFor([
        user({ username: 'g', organization: 'globex' }),
        user({ username: 's', organization: undefined, role: 'sovereign-admin' }),
        user({ username: 'a' }),
        user({ username: 'b' }),
      ]),
    ).toEqual([
      { name: 'catalyst', providerId: 'oidc' },
      { name: 'acme', organization: 'acme', providerId: 'oidc-acme' },
      { name: 'globex', organization: 'globex', providerId: 'oidc-globex' },
    ]);
  });
});

describe('claimsFor', () => {
  const catalyst = { name: 'catalyst', providerId: 'oidc' };
  const acme = { name: 'acme', organization: 'acme', providerId: 'oidc-acme' };

  it.each([
    [
      'full paths in realm catalyst',
      catalyst,
      ['/acme/team-platform', '/acme/team-apps'],
      ['/acme/team-platform', '/acme/team-apps'],
    ],
    [
      'the Organization prefix dropped in its own realm',
      acme,
      ['/acme/team-platform', '/acme/team-apps'],
      ['/team-platform', '/team-apps'],
    ],
    [
      "another Organization's groups left out of a realm",
      acme,
      ['/globex/team-ops', '/acme/team-security'],
      ['/team-security'],
    ],
    ['a group named like the Organization but outside it left out', acme, ['/acme-labs/x', '/acme'], []],
  ])('groups: %s', (_label, realm, groups, expected) => {
    expect(claimsFor(user({ groups }), realm).groups).toEqual(expected);
  });

  it('has Keycloak claim names, the role in realm_access and the Organization in org', () => {
    expect(claimsFor(user({ groups: ['/acme/team-platform'] }), catalyst)).toEqual({
      sub: '00000000-0000-4000-8000-000000000001',
      preferred_username: 'ada',
      name: 'Ada Okafor',
      given_name: 'Ada',
      family_name: 'Okafor',
      email: 'ada@acme.example',
      email_verified: true,
      groups: ['/acme/team-platform'],
      realm_access: { roles: ['org-admin'] },
      org: 'acme',
    });
  });

  it('has no org claim for a user of no Organization', () => {
    const sofia = user({
      username: 'sofia',
      organization: undefined,
      role: 'sovereign-admin',
      groups: ['/catalyst-admins'],
    });
    expect(claimsFor(sofia, catalyst)).not.toHaveProperty('org');
    expect(claimsFor(sofia, catalyst).groups).toEqual(['/catalyst-admins']);
  });
});
