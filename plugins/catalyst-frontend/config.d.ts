export interface Config {
  catalyst?: {
    signIn?: {
      /**
       * Sign-in providers offered on the sign-in page, in order: `guest` (embedded default only),
       * `oidc` (Keycloak), `microsoft` (Azure AD).
       * @visibility frontend
       */
      providers?: Array<'guest' | 'oidc' | 'microsoft'>;
    };
  };
}
