import {
  BlueprintDetail,
  BlueprintVersionDetail,
  blueprintShortName,
  highestSatisfying,
} from '@internal/plugin-catalyst-common';

/** One `depends[]` entry of the install tree, keyed by its alias path as install choices are. @public */
export interface DependencyEntry {
  /** `db`, or `cms.db` for the database of a bundle's CMS. */
  path: string;
  alias: string;
  blueprint: string;
  /** The semver range the entry asks for. */
  range: string;
  /** The entry's `when` condition, when it has one. */
  when?: string;
  /** The Blueprint that declares the entry. */
  declaredBy: string;
  /** Alias path of the entry that brings `declaredBy` in; `` for the installed Blueprint's own entries. */
  parent: string;
  /** The dependency Blueprint's card title, when its Blueprint is known. */
  title?: string;
  /** The version the range resolves to now, when its Blueprint is known. */
  version?: string;
}

const MAX_DEPTH = 8;

/** The latest version, or the highest inside `range`. */
export function versionDetailFor(detail: BlueprintDetail, range?: string): BlueprintVersionDetail | undefined {
  const version = range ? highestSatisfying(detail.versions, range) : detail.latestVersion;
  return detail.versionDetails.find(v => v.version === version);
}

/**
 * Every dependency a user may choose for when installing `root`'s latest version: its own `depends[]`,
 * then — through each dependency Blueprint's version that the range resolves to — theirs, with alias
 * paths as the backend keys choices (`cms.db`). `lookup` gives the dependency Blueprints; unknown ones
 * are listed without their own dependencies. Cycles stop at the repeated Blueprint (the backend reports
 * them at install).
 */
export function dependencyEntries(
  root: BlueprintDetail,
  lookup: (name: string) => BlueprintDetail | undefined,
): DependencyEntry[] {
  const out: DependencyEntry[] = [];
  const walk = (version: BlueprintVersionDetail | undefined, declaredBy: string, parent: string, chain: string[]) => {
    if (!version || chain.length > MAX_DEPTH) return;
    for (const dep of version.depends) {
      const alias = dep.alias ?? blueprintShortName(dep.blueprint);
      const path = parent ? `${parent}.${alias}` : alias;
      const detail = lookup(dep.blueprint);
      const resolved = detail ? versionDetailFor(detail, dep.version) : undefined;
      out.push({
        path,
        alias,
        blueprint: dep.blueprint,
        range: dep.version,
        ...(dep.when ? { when: dep.when } : {}),
        declaredBy,
        parent,
        ...(detail?.card.title ? { title: detail.card.title } : {}),
        ...(resolved ? { version: resolved.version } : {}),
      });
      if (!chain.includes(dep.blueprint)) walk(resolved, dep.blueprint, path, [...chain, dep.blueprint]);
    }
  };
  walk(versionDetailFor(root), root.name, '', [root.name]);
  return out;
}
