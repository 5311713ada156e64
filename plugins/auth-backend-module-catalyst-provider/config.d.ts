export interface Config {
  catalyst?: {
    /**
     * How Keycloak is laid out (DESIGN §8): `shared-sovereign` — one issuer for the Sovereign
     * (provider `oidc`; the Organization comes from a claim or the group paths) — or
     * `per-organization` — one issuer per Organization (providers `oidc-<org>`, one per
     * `auth.providers.oidc-<org>` entry; the issuer decides the Organization).
     */
    keycloakTopology?: 'shared-sovereign' | 'per-organization';
    /** How identity-provider claims map to a User, an Organization, teams and one Catalyst role. */
    identity?: {
      /** Default `preferred_username`; an e-mail-like value keeps its local part. Several: the first present. */
      usernameClaim?: string | string[];
      /** Default `groups`. */
      groupsClaim?: string;
      /** Dotted path; default `realm_access.roles` (Keycloak's realm roles). */
      rolesClaim?: string;
      /** Default `org`. */
      organizationClaim?: string;
      /** Role names in tokens → Catalyst roles (the Catalyst role names always map to themselves). */
      roles?: { [name: string]: 'sovereign-admin' | 'org-admin' | 'org-developer' | 'org-viewer' | 'security-officer' };
      /** Groups whose members are sovereign-admins; default `['/catalyst-admins']`. */
      sovereignAdminGroups?: string[];
      /** Group path or id → team and/or role. */
      groups?: { [group: string]: { organization?: string; team?: string; role?: string } };
      /** The role of an Organization member whose token names none; default none (no access). */
      defaultRole?: 'org-admin' | 'org-developer' | 'org-viewer' | 'security-officer';
      /**
       * User refs in the person's Organization's namespace (default), or in `default` — where the
       * Keycloak and Microsoft Graph catalog ingestion modules put the users they ingest.
       */
      userNamespace?: 'organization' | 'default';
      /** `local-part` (default) or `msgraph`: the whole value normalized as Microsoft Graph ingestion does. */
      userEntityName?: 'local-part' | 'msgraph';
      /** Entra ID (the `microsoft` provider): its claim shapes. */
      microsoft?: {
        /**
         * Default `['email', 'upn', 'preferred_username']`, the first present and usable: Microsoft
         * Graph ingestion names a user by `mail`, else `userPrincipalName`. `email` counts only when
         * Entra marks its domain verified (`xms_edov`, add it as an optional claim) or the token says
         * `email_verified`: a tenant's admins may set anyone's mail to any address.
         */
        usernameClaim?: string | string[];
        /** Default `roles` (app roles). */
        rolesClaim?: string;
        roles?: {
          [appRole: string]: 'sovereign-admin' | 'org-admin' | 'org-developer' | 'org-viewer' | 'security-officer';
        };
        /** Tenant id (`tid`) → Organization. */
        tenants?: { [tid: string]: string };
        /** Group object id → team and/or role. */
        groups?: { [objectId: string]: { organization?: string; team?: string; role?: string } };
        defaultRole?: 'org-admin' | 'org-developer' | 'org-viewer' | 'security-officer';
        /** Default `default`, where Microsoft Graph ingestion puts users. */
        userNamespace?: 'organization' | 'default';
        /**
         * Default `msgraph`: the User's name is the whole mail or UPN normalized as Microsoft Graph
         * ingestion's default user transformer does (`ada@acme.example` → `ada_acme.example`).
         */
        userEntityName?: 'local-part' | 'msgraph';
      };
    };
  };
}
