import { NotFoundError } from '@backstage/errors';
import {
  BlueprintDetail,
  BlueprintListQuery,
  BlueprintSummary,
  BlueprintUsageResponse,
  CATALYST_ERROR_CODES,
  InvalidBlueprintRelease,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import { blueprintDetail, blueprintSummaries, visibleToPrincipal } from './blueprintViews';
import type { GitBlueprintRegistry } from './GitBlueprintRegistry';

/** Where the usage table's rows come from: the read side's per-Blueprint view. */
export interface BlueprintUsageSource {
  blueprintUsage(
    blueprint: string,
    options: { environments: readonly string[]; organization?: string },
  ): Promise<BlueprintUsageResponse['items']>;
}

const notFound = (message: string) =>
  Object.assign(new NotFoundError(message), { code: CATALYST_ERROR_CODES.notFound });

/**
 * The marketplace's reads: Blueprints visible to the caller (public ones to everyone signed in,
 * an Organization's private ones to its readers; unlisted ones by exact name only), one
 * Blueprint's versions, a version's files, the release tags that failed registration, and the
 * Applications built from a Blueprint across the caller's Environments.
 */
export class BlueprintQueries {
  private constructor(
    private readonly deps: {
      registry: Pick<GitBlueprintRegistry, 'catalog' | 'invalid'>;
      authorization: Authorization;
      usage: BlueprintUsageSource;
    },
  ) {}

  static create(deps: BlueprintQueries['deps']): BlueprintQueries {
    return new BlueprintQueries(deps);
  }

  async list(principal: CatalystPrincipal, query: BlueprintListQuery = {}): Promise<BlueprintSummary[]> {
    const readable = await this.deps.authorization.readableOrganizations(principal);
    const term = query.q?.trim().toLowerCase();
    return blueprintSummaries(this.deps.registry.catalog(), readable).filter(b => {
      // unlisted Blueprints are found by their exact name only (BPA §9)
      if (b.visibility === 'unlisted' && b.name !== term && b.name !== `bp-${term}`) return false;
      if (query.category && b.card.category !== query.category) return false;
      if (query.organization && b.organization && b.organization !== query.organization) return false;
      if (!term) return true;
      return [b.name, b.card.title, b.card.tagline, b.card.category, ...(b.card.tags ?? [])]
        .filter(Boolean)
        .some(t => String(t).toLowerCase().includes(term));
    });
  }

  /** With `organization`, that Organization's own (shared-blueprints) Blueprint of the name wins. */
  async get(principal: CatalystPrincipal, name: string, organization?: string): Promise<BlueprintDetail> {
    const readable = await this.deps.authorization.readableOrganizations(principal);
    const detail = blueprintDetail(this.deps.registry.catalog(), name, readable, organization);
    if (!detail) throw notFound(`Blueprint ${name} does not exist`);
    return detail;
  }

  async files(
    principal: CatalystPrincipal,
    name: string,
    version: string,
  ): Promise<{ name: string; version: string; files: Record<string, string> }> {
    const readable = await this.deps.authorization.readableOrganizations(principal);
    const found = this.deps.registry
      .catalog()
      .versions(name)
      .find(v => v.blueprint.metadata.version === version && visibleToPrincipal(v, readable));
    if (!found) throw notFound(`Blueprint ${name}@${version} does not exist`);
    return { name, version, files: found.files };
  }

  async invalidReleases(principal: CatalystPrincipal): Promise<InvalidBlueprintRelease[]> {
    const readable = new Set(await this.deps.authorization.readableOrganizations(principal));
    return this.deps.registry
      .invalid()
      .filter(i => i.repository === 'catalog' || readable.has(i.repository.split('/')[0]));
  }

  /**
   * Every Application built from the Blueprint in the Environments the caller may read, with its
   * live status; `organization` narrows to that Organization's own Blueprint of the name.
   */
  async usage(principal: CatalystPrincipal, name: string, organization?: string): Promise<BlueprintUsageResponse> {
    const environments = await this.deps.authorization.readableEnvironments(principal);
    const items = await this.deps.usage.blueprintUsage(name, {
      environments,
      ...(organization ? { organization } : {}),
    });
    return { blueprint: name, items };
  }
}
