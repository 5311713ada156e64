import type { ConfigApi } from '@backstage/core-plugin-api';

/** `oidc-<org>`: one Keycloak issuer per Organization (the same rule as the auth module's). */
const ORGANIZATION_PROVIDER = /^oidc-([a-z][a-z0-9-]{2,31})$/;

/** One card of the sign-in page. */
export type SignInOption =
  /** Keycloak with one issuer for the Sovereign (`shared-sovereign`): provider `oidc`. */
  | { kind: 'oidc'; providerId: 'oidc' }
  /** Keycloak with one issuer per Organization (`per-organization`): the person picks theirs first. */
  | { kind: 'organizations'; organizations: Array<{ organization: string; providerId: string }> }
  /** Azure AD / Entra ID: provider `microsoft`. */
  | { kind: 'microsoft'; providerId: 'microsoft' }
  /** A read-only look around (the embedded default only; Backstage refuses it in production). */
  | { kind: 'guest'; providerId: 'guest' };

export type KeycloakTopology = 'shared-sovereign' | 'per-organization';

/**
 * The sign-in page's cards, from the frontend-visible config: `catalyst.signIn.providers` in order
 * (default: guest only), filtered by `catalyst.keycloakTopology` the way the backend's auth module
 * registers providers, so the page never offers a provider the backend does not serve — `oidc` only
 * under `shared-sovereign`, `oidc-<org>` only under `per-organization`, where they make one card with
 * an Organization picker at the place of the first of them. Unknown names are skipped.
 */
export function readSignInOptions(config: ConfigApi): SignInOption[] {
  const topology = (config.getOptionalString('catalyst.keycloakTopology') ?? 'shared-sovereign') as KeycloakTopology;
  const names = config.getOptionalStringArray('catalyst.signIn.providers') ?? ['guest'];
  const options: SignInOption[] = [];
  let organizations: Extract<SignInOption, { kind: 'organizations' }> | undefined;
  for (const name of new Set(names)) {
    const organization = ORGANIZATION_PROVIDER.exec(name)?.[1];
    if (organization) {
      if (topology !== 'per-organization') continue;
      if (!organizations) {
        organizations = { kind: 'organizations', organizations: [] };
        options.push(organizations);
      }
      organizations.organizations.push({ organization, providerId: name });
    } else if (name === 'oidc') {
      if (topology === 'shared-sovereign') options.push({ kind: 'oidc', providerId: 'oidc' });
    } else if (name === 'microsoft') {
      options.push({ kind: 'microsoft', providerId: 'microsoft' });
    } else if (name === 'guest') {
      options.push({ kind: 'guest', providerId: 'guest' });
    }
  }
  return options;
}

/** Every provider id the options offer (the ones a stored "last used" id may name). */
export function providerIds(options: SignInOption[]): string[] {
  return options.flatMap(o => (o.kind === 'organizations' ? o.organizations.map(x => x.providerId) : [o.providerId]));
}

/**
 * Whether sign-out also ends the session at the identity provider (RP-initiated logout), so the next
 * sign-in asks for credentials again: `catalyst.signIn.endIdentityProviderSession`, default true.
 */
export function endsIdentityProviderSession(config: ConfigApi): boolean {
  return config.getOptionalBoolean('catalyst.signIn.endIdentityProviderSession') ?? true;
}
