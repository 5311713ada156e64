import { actionOfPermission, catalystPermissions, decideAccess, grantsFor, RoleBinding } from './roles';

const bindings: RoleBinding[] = [
  { subject: 'group:acme/team-platform', role: 'org-admin', organization: 'acme' },
  { subject: 'group:acme/team-security', role: 'security-officer', organization: 'acme' },
  {
    subject: 'user:default/layla',
    role: 'org-developer',
    organization: 'acme',
    environments: ['acme-dev', 'acme-stg'],
  },
  { subject: 'user:default/vic', role: 'org-viewer', organization: 'acme' },
  { subject: 'group:default/sovereign-admins', role: 'sovereign-admin', organization: '*' },
  { subject: 'user:default/bob', role: 'org-admin', organization: 'globex' },
];

const who = {
  admin: grantsFor(['user:default/guest', 'group:acme/team-platform'], bindings),
  security: grantsFor(['user:default/sam', 'GROUP:ACME/TEAM-SECURITY'], bindings),
  layla: grantsFor(['user:default/layla'], bindings),
  viewer: grantsFor(['user:default/vic'], bindings),
  sovereign: grantsFor(['user:default/root', 'group:default/sovereign-admins'], bindings),
  other: grantsFor(['user:default/bob'], bindings),
  nobody: grantsFor(['user:default/stranger'], bindings),
};

describe('decideAccess', () => {
  it.each([
    ['admin', 'install', 'acme', 'acme-prod', true],
    ['admin', 'manage-policy', 'acme', 'acme-prod', true],
    ['admin', 'manage-environment', 'acme', undefined, true],
    ['admin', 'read', 'globex', 'globex-dev', false],
    ['security', 'approve', 'acme', 'acme-prod', true],
    ['security', 'install', 'acme', 'acme-dev', false],
    ['security', 'manage-policy', 'acme', 'acme-prod', true],
    ['layla', 'install', 'acme', 'acme-dev', true],
    ['layla', 'configure', 'acme', 'acme-stg', true],
    ['layla', 'install', 'acme', 'acme-prod', false],
    ['layla', 'read', 'acme', 'acme-prod', false],
    ['layla', 'read', 'acme', undefined, true],
    ['layla', 'manage-environment', 'acme', undefined, false],
    ['layla', 'merge', 'acme', 'acme-dev', false],
    ['viewer', 'read', 'acme', 'acme-prod', true],
    ['viewer', 'install', 'acme', 'acme-dev', false],
    ['sovereign', 'manage-environment', 'globex', undefined, true],
    ['sovereign', 'merge', 'acme', 'acme-prod', true],
    ['other', 'read', 'acme', 'acme-dev', false],
    ['other', 'install', 'globex', 'globex-dev', true],
    ['nobody', 'read', 'acme', 'acme-dev', false],
  ] as const)('%s %s in %s/%s → %s', (user, action, organization, environment, allowed) => {
    const d = decideAccess(who[user], action, { organization, ...(environment ? { environment } : {}) });
    const reason = `you may not ${action} in ${environment ?? `Organization ${organization}`}`;
    expect(d).toEqual(allowed ? { allowed: true } : { allowed: false, reason });
  });
});

describe('permissions', () => {
  it('has one permission per action on Environments, and maps names back', () => {
    expect(catalystPermissions.install).toMatchObject({
      name: 'catalyst.install',
      resourceType: 'catalyst-environment',
      attributes: { action: 'create' },
    });
    expect(actionOfPermission('catalyst.manage-policy')).toBe('manage-policy');
    expect(actionOfPermission('catalog.entity.read')).toBeUndefined();
    expect(actionOfPermission('catalyst.constructor')).toBeUndefined();
  });
});
