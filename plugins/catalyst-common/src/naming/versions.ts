import semver from 'semver';
import { CatalystIssue } from '../issues';
import { NameCheck, validateBlueprintName } from './names';

const MAX_RANGE_LENGTH = 256;

/**
 * An exact version `MAJOR.MINOR.PATCH[-prerelease]`. Leading `v`/`=` and build metadata are refused:
 * the version is written into tags and file contents, so only the canonical form is accepted.
 *
 * @public
 */
export function validateVersion(version: unknown, path: string): NameCheck {
  if (typeof version !== 'string' || version.length > MAX_RANGE_LENGTH || semver.valid(version) !== version) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-version',
          path,
          message: `"${String(version).slice(0, 80)}" is not a semantic version like 1.4.0`,
        },
      ],
    };
  }
  return { ok: true };
}

/**
 * A semver range (`^1.4`, `~2.0.1`, `>=1.2 <2`, `1.2.x`, an exact `1.4.0`, or `*`).
 *
 * @public
 */
export function validateVersionRange(range: unknown, path: string): NameCheck {
  if (
    typeof range !== 'string' ||
    range.trim() === '' ||
    range.length > MAX_RANGE_LENGTH ||
    semver.validRange(range) === null
  ) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-version-range',
          path,
          message: `"${String(range).slice(0, 80)}" is not a version range like ^1.4, ~2.0, 1.2.x or >=1.0 <2`,
        },
      ],
    };
  }
  return { ok: true };
}

/**
 * Does `version` fall into `range`? Pre-releases are matched like releases so `1.2.x` also covers
 * `1.2.3-rc.1` in upgrade patterns. Invalid input is simply "no".
 *
 * @public
 */
export function versionSatisfies(version: string, range: string): boolean {
  try {
    return semver.satisfies(version, range, { includePrerelease: true });
  } catch {
    return false;
  }
}

/**
 * Highest of `versions` inside `range` (releases only unless the range names a pre-release),
 * or undefined.
 *
 * @public
 */
export function highestSatisfying(versions: readonly string[], range: string): string | undefined {
  try {
    return semver.maxSatisfying([...versions], range) ?? undefined;
  } catch {
    return undefined;
  }
}

/** semver comparison for sorting: negative when `a` sorts before `b`. @public */
export function compareVersions(a: string, b: string): number {
  return semver.compare(a, b);
}

/** Release tag of a Blueprint version: `bp-<name>/v<semver>`. @public */
export function blueprintTag(blueprint: string, version: string): string {
  return `${blueprint}/v${version}`;
}

/** @public */
export type ParsedBlueprintTag =
  | { ok: true; blueprint: string; version: string }
  | { ok: false; errors: CatalystIssue[] };

/**
 * Parses `bp-<name>/v<semver>`. Any other shape (extra slashes, missing `v`, a bad name or version)
 * is `invalid-tag`.
 *
 * @public
 */
export function parseBlueprintTag(tag: unknown, path = 'tag'): ParsedBlueprintTag {
  const invalid = (why: string): ParsedBlueprintTag => ({
    ok: false,
    errors: [
      {
        code: 'invalid-tag',
        path,
        message: `tag "${String(tag).slice(0, 80)}" ${why}; expected bp-<name>/v<semver>`,
      },
    ],
  });
  if (typeof tag !== 'string') return invalid('is not a string');
  const parts = tag.split('/');
  if (parts.length !== 2) return invalid('must have exactly one "/"');
  const [blueprint, v] = parts;
  if (!validateBlueprintName(blueprint, path).ok) return invalid(`names an invalid Blueprint "${blueprint}"`);
  if (!v.startsWith('v')) return invalid('has no "v" before the version');
  const version = v.slice(1);
  if (!validateVersion(version, path).ok) return invalid(`has an invalid version "${version}"`);
  return { ok: true, blueprint, version };
}
