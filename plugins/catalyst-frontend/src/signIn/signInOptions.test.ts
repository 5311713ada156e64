import { mockApis } from '@backstage/test-utils';
import { endsIdentityProviderSession, providerIds, readSignInOptions, SignInOption } from './signInOptions';

/** The `catalyst` config key's value (JSON, as a config file holds it). */
type CatalystConfig = NonNullable<NonNullable<Parameters<typeof mockApis.config>[0]>['data']>;

const config = (catalyst?: CatalystConfig) => mockApis.config({ data: catalyst ? { catalyst } : {} });

describe('readSignInOptions', () => {
  it.each<[string, CatalystConfig | undefined, SignInOption[]]>([
    ['nothing configured: the guest only (the embedded default)', undefined, [{ kind: 'guest', providerId: 'guest' }]],
    [
      'the embedded default: the local identity provider, then the guest',
      { signIn: { providers: ['oidc', 'guest'] } },
      [
        { kind: 'oidc', providerId: 'oidc' },
        { kind: 'guest', providerId: 'guest' },
      ],
    ],
    [
      'in the configured order, unknown names and repeats skipped',
      { signIn: { providers: ['microsoft', 'github', 'oidc', 'microsoft'] } },
      [
        { kind: 'microsoft', providerId: 'microsoft' },
        { kind: 'oidc', providerId: 'oidc' },
      ],
    ],
    [
      'shared-sovereign: no per-Organization providers (the backend registers none)',
      { keycloakTopology: 'shared-sovereign', signIn: { providers: ['oidc', 'oidc-acme'] } },
      [{ kind: 'oidc', providerId: 'oidc' }],
    ],
    [
      'per-organization: one card with every Organization, where the first of them was, and no `oidc`',
      {
        keycloakTopology: 'per-organization',
        signIn: { providers: ['microsoft', 'oidc-acme', 'oidc', 'guest', 'oidc-globex'] },
      },
      [
        { kind: 'microsoft', providerId: 'microsoft' },
        {
          kind: 'organizations',
          organizations: [
            { organization: 'acme', providerId: 'oidc-acme' },
            { organization: 'globex', providerId: 'oidc-globex' },
          ],
        },
        { kind: 'guest', providerId: 'guest' },
      ],
    ],
    [
      'per-organization: provider ids that are no Organization slug are skipped',
      { keycloakTopology: 'per-organization', signIn: { providers: ['oidc-Acme', 'oidc-ab', 'oidc-acme'] } },
      [{ kind: 'organizations', organizations: [{ organization: 'acme', providerId: 'oidc-acme' }] }],
    ],
    ['an empty list: no card', { signIn: { providers: [] } }, []],
  ])('%s', (_name, catalyst, expected) => {
    expect(readSignInOptions(config(catalyst))).toEqual(expected);
  });
});

describe('providerIds', () => {
  it('lists every provider a remembered id may name, the Organizations’ among them', () => {
    const options = readSignInOptions(
      config({ keycloakTopology: 'per-organization', signIn: { providers: ['oidc-acme', 'oidc-globex', 'guest'] } }),
    );
    expect(providerIds(options)).toEqual(['oidc-acme', 'oidc-globex', 'guest']);
  });
});

describe('endsIdentityProviderSession', () => {
  it.each([
    [undefined, true],
    [true, true],
    [false, false],
  ])('catalyst.signIn.endIdentityProviderSession %s → %s', (value, expected) => {
    expect(
      endsIdentityProviderSession(config(value === undefined ? {} : { signIn: { endIdentityProviderSession: value } })),
    ).toBe(expected);
  });
});
