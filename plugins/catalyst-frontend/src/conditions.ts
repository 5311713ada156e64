import { Entity } from '@backstage/catalog-model';
import { CATALYST_ANNOTATIONS, CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';

/**
 * Entity-page conditions for Catalyst's kinds (docs/contracts.md §5), in one place so the app's
 * EntityPage and the plugin's own cards agree.
 */

const kindIs = (entity: Entity, kind: string) =>
  entity.kind.toLocaleLowerCase('en-US') === kind.toLocaleLowerCase('en-US');

export const isCatalystBlueprint = (entity: Entity) => kindIs(entity, CATALYST_ENTITY_KINDS.blueprint);
export const isCatalystEnvironment = (entity: Entity) => kindIs(entity, CATALYST_ENTITY_KINDS.environment);
export const isCatalystApplication = (entity: Entity) => kindIs(entity, CATALYST_ENTITY_KINDS.application);

/** The annotation a Catalyst kind must carry for its pages to know what to load. */
export function requiredAnnotation(entity: Entity): string | undefined {
  if (isCatalystBlueprint(entity)) return CATALYST_ANNOTATIONS.blueprint;
  if (isCatalystEnvironment(entity)) return CATALYST_ANNOTATIONS.environment;
  if (isCatalystApplication(entity)) return CATALYST_ANNOTATIONS.application;
  return undefined;
}

/** A Catalyst entity with the annotations its pages need (Applications also need their Environment). */
export function isCatalystAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  const required = requiredAnnotation(entity);
  if (!required || !annotations[required]) return false;
  return !isCatalystApplication(entity) || Boolean(annotations[CATALYST_ANNOTATIONS.environment]);
}

/** What a Catalyst entity points at in the catalyst API. */
export interface CatalystEntityNames {
  environment?: string;
  application?: string;
  /** `bp-x` */
  blueprint?: string;
  /** The Organization of a private Blueprint (`undefined` for the public catalog). */
  blueprintOrganization?: string;
  organization?: string;
}

export function catalystNamesOf(entity: Entity): CatalystEntityNames {
  const a = entity.metadata.annotations ?? {};
  const out: CatalystEntityNames = {};
  if (a[CATALYST_ANNOTATIONS.environment]) out.environment = a[CATALYST_ANNOTATIONS.environment];
  if (a[CATALYST_ANNOTATIONS.application]) out.application = a[CATALYST_ANNOTATIONS.application];
  if (a[CATALYST_ANNOTATIONS.organization]) out.organization = a[CATALYST_ANNOTATIONS.organization];
  const bp = a[CATALYST_ANNOTATIONS.blueprint];
  if (bp) {
    // Blueprints carry `<namespace>/bp-x`, Applications just `bp-x`
    const slash = bp.indexOf('/');
    if (slash === -1) out.blueprint = bp;
    else {
      const ns = bp.slice(0, slash);
      out.blueprint = bp.slice(slash + 1);
      if (ns !== 'default') out.blueprintOrganization = ns;
    }
  }
  return out;
}
