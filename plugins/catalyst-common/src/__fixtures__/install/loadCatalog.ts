import { BlueprintVersionInput, InMemoryBlueprintCatalog } from '../../blueprint/catalog';
import { CATALYST_API_VERSION } from '../../kinds/common';
import { deepMerge, isJsonObject } from '../../install/values';

interface FixtureBlueprint {
  name: string;
  versions: string[];
  source?: 'catalog' | 'shared-blueprints';
  organization?: string;
  files: string;
  spec: Record<string, unknown>;
  overrides?: Record<string, Record<string, unknown>>;
}

/** Expands the compact catalog fixture (one entry per Blueprint) into registered versions. */
export function loadFixtureCatalog(fixture: unknown): InMemoryBlueprintCatalog {
  const { fileSets, blueprints } = fixture as {
    fileSets: Record<string, Record<string, string>>;
    blueprints: FixtureBlueprint[];
  };
  const inputs: BlueprintVersionInput[] = blueprints.flatMap(b =>
    b.versions.map(version => {
      const override = b.overrides?.[version];
      return {
        source: b.source ?? 'catalog',
        ...(b.organization ? { organization: b.organization } : {}),
        files: fileSets[b.files],
        tag: `${b.name}/v${version}`,
        blueprint: {
          apiVersion: CATALYST_API_VERSION,
          kind: 'Blueprint',
          metadata: { name: b.name, version },
          spec: isJsonObject(override) ? deepMerge(b.spec, override) : b.spec,
        },
      };
    }),
  );
  const built = InMemoryBlueprintCatalog.fromVersions(inputs);
  if (!built.ok) {
    throw new Error(`fixture catalog is invalid: ${JSON.stringify(built.errors, null, 2)}`);
  }
  return built.catalog;
}
