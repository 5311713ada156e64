import {
  availableOverlays,
  BlueprintCatalog,
  BlueprintDetail,
  BlueprintSummary,
  BlueprintVersion,
  defaultOverlay,
  isCompositeBlueprint,
} from '@internal/plugin-catalyst-common';

/** Public versions are visible to everyone signed in; private ones to readers of their Organization. */
export function visibleToPrincipal(v: BlueprintVersion, readableOrganizations: readonly string[]): boolean {
  return v.source === 'catalog' || (v.organization !== undefined && readableOrganizations.includes(v.organization));
}

const namespaceOf = (v: BlueprintVersion) => v.organization ?? 'default';

/** Versions grouped by (namespace, name), highest version first. */
function groups(catalog: BlueprintCatalog, orgs: readonly string[], name?: string): Map<string, BlueprintVersion[]> {
  const out = new Map<string, BlueprintVersion[]>();
  for (const n of name ? [name] : catalog.names()) {
    for (const v of catalog.versions(n)) {
      if (!visibleToPrincipal(v, orgs)) continue;
      const key = `${namespaceOf(v)}/${n}`;
      out.set(key, [...(out.get(key) ?? []), v]);
    }
  }
  return out;
}

function summary(versions: BlueprintVersion[]): BlueprintSummary {
  const latest = versions[0];
  const spec = latest.blueprint.spec;
  return {
    name: latest.blueprint.metadata.name,
    namespace: namespaceOf(latest),
    source: latest.source,
    ...(latest.organization ? { organization: latest.organization } : {}),
    visibility: spec.visibility,
    latestVersion: latest.blueprint.metadata.version,
    versions: versions.map(v => v.blueprint.metadata.version),
    card: { ...(spec.card ?? {}) },
    ...(spec.owner ? { owner: spec.owner } : {}),
    composite: isCompositeBlueprint(latest.blueprint),
    depends: (spec.depends ?? []).map(d => d.blueprint),
  };
}

/** The marketplace's Blueprints: every visible (namespace, name), by title. */
export function blueprintSummaries(catalog: BlueprintCatalog, orgs: readonly string[]): BlueprintSummary[] {
  return [...groups(catalog, orgs).values()]
    .map(summary)
    .sort(
      (a, b) =>
        (a.card.title ?? a.name).localeCompare(b.card.title ?? b.name) || a.namespace.localeCompare(b.namespace),
    );
}

/**
 * One Blueprint with every version's schema and README. With `organization`, that Organization's own
 * shared-blueprints version wins over the public one of the same name (as installs resolve it).
 */
export function blueprintDetail(
  catalog: BlueprintCatalog,
  name: string,
  orgs: readonly string[],
  organization?: string,
): BlueprintDetail | undefined {
  const found = groups(catalog, orgs, name);
  const versions =
    (organization ? found.get(`${organization}/${name}`) : undefined) ??
    found.get(`default/${name}`) ??
    [...found.values()][0];
  if (!versions) return undefined;
  return {
    ...summary(versions),
    versionDetails: versions.map(v => {
      const spec = v.blueprint.spec;
      const overlay = defaultOverlay(v);
      return {
        version: v.blueprint.metadata.version,
        ...(v.commit ? { commit: v.commit } : {}),
        configSchema: (spec.configSchema ?? { type: 'object' }) as Record<string, unknown>,
        ...(spec.placementSchema ? { placementSchema: spec.placementSchema as Record<string, unknown> } : {}),
        depends: (spec.depends ?? []).map(d => ({ ...d })) as BlueprintDetail['versionDetails'][number]['depends'],
        overlays: [...availableOverlays(v)],
        ...(spec.manifests?.overlays && Object.keys(spec.manifests.overlays).length
          ? { overlayValues: spec.manifests.overlays as Record<string, Record<string, unknown>> }
          : {}),
        ...(overlay ? { defaultOverlay: overlay } : {}),
        ...(spec.upgrades ? { upgrades: spec.upgrades } : {}),
        ...(spec.manifests?.source.kind ? { sourceKind: spec.manifests.source.kind } : {}),
        ...(v.files['README.md'] !== undefined ? { readme: v.files['README.md'] } : {}),
      };
    }),
  };
}
