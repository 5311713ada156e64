export interface Config {
  /** Catalyst backend settings. The embedded default is in app-config.yaml; production in app-config.production.yaml. */
  catalyst?: {
    /**
     * Where the embedded default keeps its bare Git repos (`<dataDir>/git`). Set by the launcher from
     * CATALYST_DATA_DIR; defaults to `.catalyst` in the working directory's repository root.
     */
    dataDir?: string;
    /** NATS JetStream, the event spine. */
    nats?: {
      /** e.g. ["nats://127.0.0.1:4222"]; a cluster lists several URLs. */
      servers: string[];
      /** Seconds to wait for the first connection before the backend refuses to start. Default 5. */
      connectTimeoutSeconds?: number;
      /** @visibility secret */
      token?: string;
      user?: string;
      /** @visibility secret */
      password?: string;
      /**
       * Copies JetStream keeps of every stream and KV bucket Catalyst creates: 1 (default) on one
       * nats-server, 3 on a three-node cluster, so losing a node loses no event and no read model.
       */
      replicas?: number;
    };
    /**
     * Repos on a Git host over smart HTTP (production: Gitea) instead of bare repos in the data dir:
     * Environments at `<baseUrl>/<org>/<org>-<env_type>.git`, Blueprint sources at
     * `<baseUrl>/<org>/shared-blueprints.git` and `<baseUrl>/<catalogOwner>/catalog.git`. The repos
     * must exist on the host.
     */
    git?: {
      remote?: {
        baseUrl: string;
        /** @visibility secret */
        token?: string;
        username?: string;
        /** The host account holding catalog.git; default the Sovereign's name. */
        catalogOwner?: string;
      };
    };
    /** Who holds which Catalyst role where (DESIGN §8). */
    access?: {
      bindings?: Array<{
        /** A User or Group entity ref (group:acme/team-platform), or service:<subject> for a token of backend.auth.externalAccess (its configured subject). */
        subject: string;
        role: 'sovereign-admin' | 'org-admin' | 'org-developer' | 'org-viewer' | 'security-officer';
        /** An Organization, or '*' (sovereign-admin only). */
        organization: string;
        /** Limit the grant to these Environments. */
        environments?: string[];
      }>;
    };
    /** First-start seed data (Sovereign `local`, Organization `acme`, Blueprint catalog). */
    seed?: {
      /** Default false; the embedded default enables it. Seeding is idempotent. */
      enabled?: boolean;
    };
    /**
     * How Keycloak is laid out (DESIGN §8): one issuer for the Sovereign, or one per Organization.
     */
    keycloakTopology?: 'shared-sovereign' | 'per-organization';
    /** The Sovereign this portal is: its name (Organization slug rules). */
    sovereign?: {
      name?: string;
    };
    /**
     * Clusters the Environments run on (read by the informers and by the Backstage kubernetes plugin).
     * `devcluster` serves every Environment at `<url>/clusters/<environment>` (development stand-in);
     * `kubernetes` is a real API server for the listed Environments.
     */
    clusters?: Array<{
      name: string;
      type: 'devcluster' | 'kubernetes';
      url: string;
      /** Environment names, or ['*'] for all. */
      environments: string[];
      auth?: {
        /** @visibility secret */
        serviceAccountToken?: string;
        /** @visibility secret */
        caData?: string;
        skipTLSVerify?: boolean;
      };
    }>;
  };
}
