import { LoggerService } from '@backstage/backend-plugin-api';
import { EnvironmentPolicyRule } from '@internal/plugin-catalyst-common';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import type { GitIdentity } from '../git/GitRepository';
import { seedBlueprints } from './blueprints';
import { seedBlueprintRepos } from './seedBlueprintRepos';

/** The identity seed commits and rows are made by. */
export const SEED_ACTOR = 'catalyst:seed';

/**
 * acme-prod is governed (DESIGN §3): two approvals from platform and security, a day of soak in
 * acme-stg, and merges only in office hours (Berlin).
 */
export const SEED_PROD_POLICY: EnvironmentPolicyRule[] = [
  { kind: 'pr-required', approvers: ['team-platform', 'team-security'], minApprovals: 2 },
  { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
  { kind: 'change-window', cron: '0 9 * * 1-5', duration: '8h', timezone: 'Europe/Berlin' },
];

/** The seeded Organizations: acme (dev, stg, governed prod) and a second one, globex, with its own dev. */
export const SEED_ORGANIZATIONS = [
  {
    name: 'acme',
    displayName: 'ACME Corp',
    teams: ['team-platform', 'team-security', 'team-apps'],
    environments: ['dev', 'stg', 'prod'],
  },
  { name: 'globex', displayName: 'Globex', teams: ['team-ops'], environments: ['dev'] },
] as const;

/** acme, the Organization most of the seed's journeys are about. */
export const SEED_ORGANIZATION = SEED_ORGANIZATIONS[0];

/**
 * First-start data of the embedded default (DESIGN §3): Organizations `acme` (three Environments,
 * prod governed) and `globex` (one) with their teams in the registry, and the Blueprint catalog + acme's shared-blueprints repos with
 * released versions. Environment repos are created from the registry by the environment-controller.
 * Idempotent: every step checks before it writes.
 */
export async function seedEmbeddedData(options: {
  store: DatabaseOrganizationStore;
  gitRoot: string;
  sovereign: string;
  logger: LoggerService;
  now: () => Date;
}): Promise<void> {
  const { store, logger, now } = options;
  for (const org of SEED_ORGANIZATIONS) {
    if (!(await store.getOrganization(org.name))) {
      await store.createOrganization({
        name: org.name,
        displayName: org.displayName,
        sovereign: options.sovereign,
        teams: [...org.teams],
        createdBy: SEED_ACTOR,
        createdAt: now().toISOString(),
      });
      logger.info(`Seeded Organization ${org.name}`, { organization: org.name });
    }
    for (const envType of org.environments) {
      const name = `${org.name}-${envType}`;
      if (!(await store.getEnvironment(name))) {
        await store.createEnvironment({
          name,
          organization: org.name,
          envType,
          placement: { preset: 'small', regions: [] },
          ...(name === 'acme-prod' ? { initialPolicyRules: SEED_PROD_POLICY } : {}),
          createdBy: SEED_ACTOR,
          createdAt: now().toISOString(),
        });
        logger.info(`Seeded Environment ${name}`, { environment: name });
      }
    }
  }
  const identity = (): GitIdentity => ({
    name: 'Catalyst seed',
    email: 'catalyst@localhost',
    timestamp: Math.floor(now().getTime() / 1000),
  });
  const repos = await seedBlueprintRepos(options.gitRoot, seedBlueprints(), identity);
  for (const repo of repos) {
    if (repo.released.length) {
      logger.info(`Seeded ${repo.released.length} Blueprint releases into ${repo.path}`, { repo: repo.path });
    }
  }
}
