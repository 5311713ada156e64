import { JsonObject } from '@backstage/types';
import { Entity } from '@backstage/catalog-model';
import {
  ApplicationSummary,
  BlueprintSummary,
  CATALYST_ANNOTATIONS,
  CATALYST_ENTITY_API_VERSION,
  CATALYST_ENTITY_KINDS,
  catalystRefs,
  EnvironmentOverview,
  KUBERNETES_ANNOTATIONS,
  OrganizationSummary,
} from '@internal/plugin-catalyst-common';

/** Owner of public catalog Blueprints: the Sovereign's mirror of the public catalog. */
export const PUBLIC_CATALOG_GROUP = 'blueprint-catalog';

export interface CatalogInput {
  organizations: OrganizationSummary[];
  blueprints: BlueprintSummary[];
  environments: EnvironmentOverview[];
  applications: ApplicationSummary[];
  clusterFor: (environment: string) => string | undefined;
}

const categoryOf = (blueprints: BlueprintSummary[], name: string, organization: string) =>
  (
    blueprints.find(b => b.name === name && b.organization === organization) ??
    blueprints.find(b => b.name === name && b.namespace === 'default')
  )?.card.category ?? 'application';

/**
 * The catalog entities of docs/contracts.md §5, built from the registry, the Blueprint registry and
 * the Environment repos' heads. Pure and deterministic: the provider compares a hash of this output
 * to decide whether anything changed.
 */
export function buildCatalogEntities(input: CatalogInput): Entity[] {
  const out: Entity[] = [];
  out.push({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: PUBLIC_CATALOG_GROUP,
      namespace: 'default',
      title: 'Blueprint catalog',
      description: "Maintainers of the Sovereign's public Blueprint catalog (catalog.git)",
    },
    spec: { type: 'catalog', children: [] },
  });
  for (const org of input.organizations) {
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: {
        name: org.name,
        namespace: 'default',
        title: org.displayName,
        description: `Organization ${org.name}`,
        annotations: { [CATALYST_ANNOTATIONS.organization]: org.name },
      },
      spec: {
        type: 'organization',
        profile: { displayName: org.displayName },
        children: org.teams.map(t => catalystRefs.team(org.name, t)),
      },
    });
    for (const team of org.teams) {
      out.push({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: {
          name: team,
          namespace: org.name,
          title: team,
          annotations: { [CATALYST_ANNOTATIONS.organization]: org.name },
        },
        spec: { type: 'team', parent: catalystRefs.organizationGroup(org.name), children: [] },
      });
    }
  }
  for (const b of input.blueprints) {
    const ownerTeam = b.owner?.team;
    let owner = `group:default/${PUBLIC_CATALOG_GROUP}`;
    if (b.organization) {
      const teamExists = input.organizations.some(
        o => o.name === b.organization && ownerTeam && o.teams.includes(ownerTeam),
      );
      owner =
        teamExists && ownerTeam
          ? catalystRefs.team(b.organization, ownerTeam)
          : catalystRefs.organizationGroup(b.organization);
    }
    out.push({
      apiVersion: CATALYST_ENTITY_API_VERSION,
      kind: CATALYST_ENTITY_KINDS.blueprint,
      metadata: {
        name: b.name,
        namespace: b.namespace,
        title: b.card.title ?? b.name,
        ...(b.card.tagline ? { description: b.card.tagline } : {}),
        tags: (b.card.tags ?? []).filter(t => /^[a-z0-9:+#.-]+$/.test(t) && t.length <= 63),
        annotations: {
          [CATALYST_ANNOTATIONS.blueprint]: `${b.namespace}/${b.name}`,
          // private Blueprints are the Organization's: the permission policy hides them from others
          ...(b.organization ? { [CATALYST_ANNOTATIONS.organization]: b.organization } : {}),
        },
        ...(b.card.documentation ? { links: [{ url: b.card.documentation, title: 'Documentation' }] } : {}),
      },
      spec: {
        type: b.card.category ?? 'uncategorized',
        owner,
        visibility: b.visibility,
        source: b.source,
        latestVersion: b.latestVersion,
        versions: b.versions,
        composite: b.composite,
        depends: b.depends,
        // BlueprintCard is plain JSON; the entity type just cannot see that through optional fields
        card: b.card as unknown as JsonObject,
      },
    });
  }
  for (const env of input.environments) {
    out.push({
      apiVersion: CATALYST_ENTITY_API_VERSION,
      kind: CATALYST_ENTITY_KINDS.environment,
      metadata: {
        name: env.name,
        namespace: env.organization,
        title: env.name,
        description: `${env.envType} Environment of ${env.organization}`,
        annotations: {
          [CATALYST_ANNOTATIONS.environment]: env.name,
          [CATALYST_ANNOTATIONS.organization]: env.organization,
        },
      },
      spec: {
        type: env.envType,
        organization: env.organization,
        owner: catalystRefs.organizationGroup(env.organization),
        governed: env.governed,
        policyRules: env.policy?.rules ?? [],
        repository: env.repository,
        placement: env.placement,
      },
    });
  }
  for (const app of input.applications) {
    const cluster = input.clusterFor(app.environment);
    out.push({
      apiVersion: CATALYST_ENTITY_API_VERSION,
      kind: CATALYST_ENTITY_KINDS.application,
      metadata: {
        name: app.name,
        namespace: app.environment,
        title: app.name,
        description: `${app.blueprint} ${app.version} in ${app.environment}`,
        annotations: {
          [CATALYST_ANNOTATIONS.environment]: app.environment,
          [CATALYST_ANNOTATIONS.application]: app.name,
          [CATALYST_ANNOTATIONS.blueprint]: app.blueprint,
          [CATALYST_ANNOTATIONS.blueprintVersion]: app.version,
          [CATALYST_ANNOTATIONS.organization]: app.organization,
          [KUBERNETES_ANNOTATIONS.labelSelector]: `${CATALYST_ANNOTATIONS.application}=${app.name}`,
          [KUBERNETES_ANNOTATIONS.namespace]: app.name,
          ...(cluster ? { [KUBERNETES_ANNOTATIONS.cluster]: cluster } : {}),
        },
      },
      spec: {
        type: categoryOf(input.blueprints, app.blueprint, app.organization),
        environment: catalystRefs.environment(app.environment, app.organization),
        blueprint: catalystRefs.blueprint(
          app.blueprint,
          app.source === 'shared-blueprints' ? app.organization : undefined,
        ),
        version: app.version,
        ...(app.overlay ? { overlay: app.overlay } : {}),
        owner: catalystRefs.organizationGroup(app.organization),
        dependsOn: app.dependencies.map(d => catalystRefs.application(d.application, app.environment)),
        dependents: app.dependents,
        placement: app.placement,
      },
    });
  }
  return out;
}
