export interface Config {
  catalyst?: {
    /**
     * How Keycloak is laid out (declared for the backend by the auth module): the sign-in page offers
     * `oidc` only under `shared-sovereign` and `oidc-<org>` only under `per-organization`, as the
     * backend registers them, so it never offers a provider the backend does not serve.
     * @visibility frontend
     */
    keycloakTopology?: 'shared-sovereign' | 'per-organization';
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order: `guest` (embedded default only),
       * `oidc` (Keycloak, one issuer), `oidc-<org>` (Keycloak, one issuer per Organization: one card
       * with an Organization picker), `microsoft` (Azure AD / Entra ID). Unknown names are skipped.
       * @visibility frontend
       */
      providers?: string[];
      /**
       * Whether sign-out also ends the session at the identity provider (OpenID Connect
       * RP-initiated logout), so the next sign-in asks for credentials again. Default true.
       * @visibility frontend
       */
      endIdentityProviderSession?: boolean;
    };
  };
}
