import { ENV_TYPES, parseEnvironmentName } from '@internal/plugin-catalyst-common';

/**
 * Names of everything the read side creates in NATS, in one place so the projector, the SSE hubs,
 * the publishers, tests and benches cannot disagree. Every name is built from an Environment or
 * Organization name that passed {@link parseEnvironmentName} first.
 */

/** An Environment as the registry reports it. */
export interface ReadSideEnvironment {
  name: string;
  organization: string;
  envType: string;
}

/** `CATALYST_<ORG>`: stream names allow no dots; Organization slugs have no underscores, so this is 1:1. */
export function streamName(organization: string): string {
  return `CATALYST_${organization.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The subjects of an Organization's stream: `ws.<org>-<env_type>.>` for every env type (one
 * Environment per env type, DESIGN §4), plus any registered Environment outside that set. Each is a
 * whole token, so `acme` never captures `acme-foo-dev`.
 */
export function streamSubjects(organization: string, environments: string[]): string[] {
  const names = new Set<string>(ENV_TYPES.map(t => `${organization}-${t}`));
  for (const env of environments) names.add(env);
  return [...names].sort().map(env => `ws.${env}.>`);
}

/** KV bucket holding one Environment's read model (DESIGN §6). */
export function stateBucketName(environment: string): string {
  return `ws-${environment}-state`;
}

/** The projector's durable consumer on the Organization stream. */
export function projectorDurableName(environment: string): string {
  return `projector-${environment}`;
}

/**
 * The Blueprint usage view, shared by every Environment's projector (each writes its own
 * Applications' records, `<blueprint>.<environment>.<application>`) and mirrored by every replica.
 */
export const BLUEPRINT_USAGE_BUCKET = 'catalyst-blueprint-usage';

/** Per-Environment ownership leases (projector, informers, Git watcher run where the lease is). */
export const LEASE_BUCKET = 'catalyst-readside-leases';

/** Last `main` head the Git watcher published, per Environment. */
export const GIT_HEADS_BUCKET = 'catalyst-git-heads';

/** Request subject the owner of an Environment answers to rebuild it (see ReadSide.rebuild). */
export function rebuildSubject(environment: string): string {
  return `catalyst.readside.rebuild.${environment}`;
}

/** Checks an Environment name before it becomes part of a subject, bucket or path. */
export function assertEnvironmentName(name: string): { organization: string; envType: string } {
  const parsed = parseEnvironmentName(name);
  if (!parsed.ok) throw new Error(`"${name}" is not an Environment name: ${parsed.errors[0]?.message}`);
  return { organization: parsed.organization, envType: parsed.envType };
}
