import {
  Entity,
  parseEntityRef,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { CatalogProcessor, CatalogProcessorEmit, processingResult } from '@backstage/plugin-catalog-node';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CATALYST_ANNOTATIONS,
  CATALYST_ENTITY_API_VERSION,
  CATALYST_ENTITY_KINDS,
  CATALYST_RELATIONS,
  isRoleGroupName,
} from '@internal/plugin-catalyst-common';
import { z } from 'zod';

const ref = z.string().regex(/^[a-z]+:[^:/\s]+\/[^:/\s]+$/, 'must be a full entity ref (kind:namespace/name)');

/** The spec each custom kind must have (docs/contracts.md §5): malformed entities are rejected, not stored. */
const specSchemas: Record<string, z.ZodType> = {
  [CATALYST_ENTITY_KINDS.blueprint]: z.object({
    type: z.string().min(1),
    owner: ref,
    visibility: z.enum(['listed', 'unlisted', 'private']),
    latestVersion: z.string().min(1),
    versions: z.array(z.string()),
  }),
  [CATALYST_ENTITY_KINDS.environment]: z.object({
    type: z.string().min(1),
    organization: z.string().min(1),
    owner: ref,
    governed: z.boolean(),
  }),
  [CATALYST_ENTITY_KINDS.application]: z.object({
    type: z.string().min(1),
    environment: ref,
    blueprint: ref,
    version: z.string().min(1),
    owner: ref,
    dependsOn: z.array(ref),
  }),
};

function isCatalystKind(entity: Entity): boolean {
  return entity.apiVersion === CATALYST_ENTITY_API_VERSION && entity.kind in specSchemas;
}

/**
 * Teaches the catalog Catalyst's kinds (Blueprint, Environment, Application): validates their spec
 * and emits their relations — partOf the Environment, dependsOn other Applications, ownedBy Groups,
 * installedFrom the Blueprint.
 */
export class CatalystEntitiesProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'CatalystEntitiesProcessor';
  }

  /**
   * Groups named `catalyst-*` are refused from every source: Catalyst's sign-in resolver puts
   * Group refs of these names into tokens to carry a person's role, so a catalog Group of such a
   * name (with members) would hand that role to whoever a resolver finds in it.
   */
  async preProcessEntity(entity: Entity, location?: LocationSpec): Promise<Entity> {
    const name = `${entity.kind} ${entity.metadata.namespace ?? 'default'}/${entity.metadata.name}`;
    if (entity.kind.toLocaleLowerCase('en-US') === 'group' && isRoleGroupName(entity.metadata.name)) {
      throw new Error(`${name}: names starting with "catalyst-" are reserved for Catalyst's roles`);
    }
    // Catalyst's kinds and its Organization annotation come from Catalyst's own providers only
    // (locations of type `catalyst`). From a registered location (anyone may register one under
    // Backstage's defaults) they would pose as an Organization's Environment or Application: seen by
    // its members, offered its Kubernetes workloads, named in its pages.
    const claimsOrganization = entity.metadata.annotations?.[CATALYST_ANNOTATIONS.organization] !== undefined;
    if (location && location.type !== 'catalyst' && (isCatalystKind(entity) || claimsOrganization)) {
      throw new Error(
        `${name} from ${location.type}:${location.target}: ${
          claimsOrganization ? `the annotation ${CATALYST_ANNOTATIONS.organization}` : `the kind ${entity.kind}`
        } is Catalyst's own; such entities come from Catalyst's registry only`,
      );
    }
    return entity;
  }

  async validateEntityKind(entity: Entity): Promise<boolean> {
    if (!isCatalystKind(entity)) return false;
    const parsed = specSchemas[entity.kind].safeParse(entity.spec);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${entity.kind} ${entity.metadata.name}: spec.${issue.path.join('.')}: ${issue.message}`);
    }
    return true;
  }

  async postProcessEntity(entity: Entity, _location: LocationSpec, emit: CatalogProcessorEmit): Promise<Entity> {
    if (!isCatalystKind(entity)) return entity;
    const self = { kind: entity.kind, namespace: entity.metadata.namespace ?? 'default', name: entity.metadata.name };
    const pair = (target: string, forward: string, backward: string) => {
      const t = parseEntityRef(target);
      emit(processingResult.relation({ source: self, type: forward, target: t }));
      emit(processingResult.relation({ source: t, type: backward, target: self }));
    };
    const spec = entity.spec as Record<string, unknown>;
    pair(String(spec.owner), RELATION_OWNED_BY, RELATION_OWNER_OF);
    if (entity.kind === CATALYST_ENTITY_KINDS.environment) {
      pair(`group:default/${String(spec.organization)}`, RELATION_PART_OF, RELATION_HAS_PART);
    }
    if (entity.kind === CATALYST_ENTITY_KINDS.application) {
      pair(String(spec.environment), RELATION_PART_OF, RELATION_HAS_PART);
      pair(String(spec.blueprint), CATALYST_RELATIONS.installedFrom, CATALYST_RELATIONS.installedAs);
      for (const dep of spec.dependsOn as string[]) pair(dep, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF);
    }
    return entity;
  }
}
