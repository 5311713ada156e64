import {
  CatalystDoing,
  governedReason,
  organizationRolesAllowing,
  permissionFor,
  refusalOf,
  refusalReason,
} from './refusals';

describe('refusalReason', () => {
  it.each<[CatalystDoing, { environment?: string; organization?: string }, string]>([
    [
      'install',
      { environment: 'acme-prod', organization: 'acme' },
      'Installing in acme-prod needs org-admin or org-developer on acme (catalyst.install)',
    ],
    [
      'uninstall',
      { environment: 'acme-dev', organization: 'acme' },
      'Uninstalling from acme-dev needs org-admin or org-developer on acme (catalyst.install)',
    ],
    [
      'configure',
      { environment: 'globex-dev', organization: 'globex' },
      'Changing settings in globex-dev needs org-admin or org-developer on globex (catalyst.configure)',
    ],
    [
      'rollback',
      { environment: 'acme-stg', organization: 'acme' },
      'Rolling back a change in acme-stg needs org-admin or org-developer on acme (catalyst.configure)',
    ],
    [
      'create-environment',
      { organization: 'acme' },
      'Creating an Environment in acme needs org-admin on acme (catalyst.manage-environment)',
    ],
    [
      'install',
      { environment: 'acme-dev' },
      'Installing in acme-dev needs org-admin or org-developer in its Organization (catalyst.install)',
    ],
    [
      'create-environment',
      {},
      'Creating an Environment needs org-admin in its Organization (catalyst.manage-environment)',
    ],
    ['create-organization', {}, 'Creating an Organization needs sovereign-admin (of the whole Sovereign)'],
    [
      'promote',
      { environment: 'acme-prod', organization: 'acme' },
      'Copying an Application to acme-prod needs org-admin or org-developer on acme (catalyst.promote)',
    ],
    [
      'approve',
      { environment: 'acme-prod', organization: 'acme' },
      'Approving change requests in acme-prod needs org-admin, org-developer or security-officer on acme (catalyst.approve)',
    ],
    [
      'merge',
      { environment: 'acme-prod', organization: 'acme' },
      'Merging change requests in acme-prod needs org-admin on acme (catalyst.merge)',
    ],
    [
      'break-glass',
      { environment: 'acme-prod', organization: 'acme' },
      'Breaking glass in acme-prod needs org-admin on acme (catalyst.merge)',
    ],
    [
      'freeze',
      { environment: 'acme-prod', organization: 'acme' },
      'Freezing acme-prod needs org-admin or security-officer on acme (catalyst.freeze)',
    ],
  ])('%s %j', (doing, scope, expected) => {
    expect(refusalReason(doing, scope)).toBe(expected);
  });
});

describe('organizationRolesAllowing', () => {
  // catalyst-common's role table decides; these rows pin what the sentences above are built from
  it.each([
    ['read', ['org-admin', 'org-developer', 'org-viewer', 'security-officer']],
    ['install', ['org-admin', 'org-developer']],
    ['manage-policy', ['org-admin', 'security-officer']],
    ['manage-environment', ['org-admin']],
    ['merge', ['org-admin']],
    ['freeze', ['org-admin', 'security-officer']],
  ] as const)('%s', (action, roles) => {
    expect(organizationRolesAllowing(action)).toEqual(roles);
  });
});

it('names the permission the server checks', () => {
  expect(permissionFor('uninstall')).toBe('catalyst.install');
  expect(permissionFor('rollback')).toBe('catalyst.configure');
});

it('says why a governed Environment takes no direct change', () => {
  expect(governedReason('acme-prod')).toBe(
    'acme-prod is governed by its EnvironmentPolicy: changes arrive as change requests, not directly',
  );
});

describe('refusalOf', () => {
  // how the REST client holds a refused answer: a ResponseError with Backstage's error JSON as `body`
  const answer = (error: Record<string, unknown>) =>
    Object.assign(new Error('Request failed with 403 Forbidden'), { statusCode: 403, body: { error } });

  it.each<[string, unknown, CatalystDoing, { environment?: string; organization?: string }, string | undefined]>([
    [
      'not-allowed: who may, in the Environment the answer names',
      answer({ name: 'NotAllowedError', message: 'no', code: 'not-allowed', environment: 'acme-prod' }),
      'configure',
      { organization: 'acme' },
      'Changing settings in acme-prod needs org-admin or org-developer on acme (catalyst.configure)',
    ],
    [
      'not-allowed without an Environment in the answer: the one the page is about',
      answer({ name: 'NotAllowedError', message: 'no', code: 'not-allowed' }),
      'rollback',
      { environment: 'acme-dev' },
      'Rolling back a change in acme-dev needs org-admin or org-developer in its Organization (catalyst.configure)',
    ],
    [
      'governed-environment: changes go through change requests',
      answer({ name: 'ConflictError', message: 'x', code: 'governed-environment', environment: 'acme-prod' }),
      'install',
      {},
      'acme-prod is governed by its EnvironmentPolicy: changes arrive as change requests, not directly',
    ],
    [
      'the details on the error itself (the node client)',
      Object.assign(new Error('x'), { code: 'not-allowed', environment: 'acme-stg' }),
      'uninstall',
      { organization: 'acme' },
      'Uninstalling from acme-stg needs org-admin or org-developer on acme (catalyst.install)',
    ],
    [
      'another code: the caller shows the server message',
      answer({ name: 'ConflictError', message: 'x', code: 'conflict' }),
      'configure',
      { environment: 'acme-dev' },
      undefined,
    ],
    [
      'a message that reads like a refusal but carries no code',
      answer({ name: 'NotAllowedError', message: 'not-allowed: you may not configure acme-dev' }),
      'configure',
      { environment: 'acme-dev' },
      undefined,
    ],
    [
      'governed-environment on a merge: the rules still failing, from the answer’s issues',
      answer({
        name: 'ConflictError',
        message: 'x',
        code: 'governed-environment',
        environment: 'acme-prod',
        issues: [
          { code: 'awaiting-approval', path: 'pr-required', message: 'needs an approval from team-security' },
          { code: 'soaking', path: 'soak', message: 'soaking in acme-stg: 3h remaining of 24h' },
        ],
      }),
      'merge',
      {},
      'Not every rule passes yet: needs an approval from team-security; soaking in acme-stg: 3h remaining of 24h',
    ],
    [
      'governed-environment on a break-glass: approvals and freezes are never bypassed',
      answer({
        name: 'ConflictError',
        message: 'x',
        code: 'governed-environment',
        issues: [{ code: 'awaiting-approval', path: 'pr-required', message: 'needs an approval from team-security' }],
      }),
      'break-glass',
      {},
      'Breaking glass bypasses neither approvals nor a freeze, and these rules still fail: needs an approval from team-security',
    ],
    [
      'conflict on a change request: it moved on',
      answer({ name: 'ConflictError', message: 'x', code: 'conflict', environment: 'acme-prod' }),
      'approve',
      {},
      "The change request moved on meanwhile (it was closed, it conflicts with acme-prod's main, or every rule passes now); the page shows it as it is now",
    ],
    [
      'not-found on a change request',
      answer({ name: 'NotFoundError', message: 'x', code: 'not-found' }),
      'rebase',
      {},
      'This change request does not exist, or you may not read it',
    ],
    [
      'conflict on a promotion: the server names what does not apply',
      answer({ name: 'ConflictError', message: 'x', code: 'conflict', environment: 'acme-prod' }),
      'promote',
      {},
      undefined,
    ],
    ['an unknown code', answer({ name: 'Error', message: 'x', code: 'forbidden' }), 'install', {}, undefined],
    ['not an error', 'not-allowed', 'install', {}, undefined],
  ])('%s', (_name, error, doing, scope, expected) => {
    expect(refusalOf(error, doing, scope)).toBe(expected);
  });
});
