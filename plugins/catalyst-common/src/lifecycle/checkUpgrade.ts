import { CatalystIssue } from '../issues';
import { CatalystBlueprint } from '../kinds/blueprint';
import { compareVersions, validateVersion, versionSatisfies } from '../naming';

/** @public */
export interface UpgradeOptions {
  /** Going back to an older version on purpose (a revert): `upgrades` rules do not apply. */
  rollback?: boolean;
}

/** @public */
export type UpgradeCheck =
  | {
      ok: true;
      kind: 'upgrade' | 'rollback' | 'unchanged';
      from: string;
      to: string;
    }
  | { ok: false; errors: CatalystIssue[] };

/**
 * May `app`, running `fromVersion`, move to the Blueprint version `to`? `upgrades.blocks` win over
 * `upgrades.from`; an empty `from` allows every older version; patterns are semver ranges such as
 * `1.2.x`. A lower version is refused unless `rollback` is set.
 * Codes: `invalid-version`, `blueprint-mismatch`, `downgrade`, `invalid-rollback`, `upgrade-blocked`,
 * `upgrade-not-allowed`.
 *
 * @public
 */
export function checkUpgrade(
  app: { name: string; blueprint: string },
  fromVersion: string,
  to: CatalystBlueprint,
  options: UpgradeOptions = {},
): UpgradeCheck {
  const valid = validateVersion(fromVersion, 'fromVersion');
  if (!valid.ok) return valid;
  const target = to.metadata.version;
  const validTarget = validateVersion(target, 'metadata.version');
  if (!validTarget.ok) return validTarget;
  if (to.metadata.name !== app.blueprint) {
    return {
      ok: false,
      errors: [
        {
          code: 'blueprint-mismatch',
          path: 'metadata.name',
          message: `${app.name} runs ${app.blueprint}; it cannot be upgraded to ${to.metadata.name}`,
        },
      ],
    };
  }
  const cmp = compareVersions(target, fromVersion);
  if (cmp === 0) return { ok: true, kind: 'unchanged', from: fromVersion, to: target };
  if (cmp < 0) {
    if (options.rollback) return { ok: true, kind: 'rollback', from: fromVersion, to: target };
    return {
      ok: false,
      errors: [
        {
          code: 'downgrade',
          path: 'metadata.version',
          message: `${target} is older than the running ${fromVersion}; use a rollback to go back`,
        },
      ],
    };
  }
  if (options.rollback) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-rollback',
          path: 'metadata.version',
          message: `${target} is newer than ${fromVersion}; a rollback goes back`,
        },
      ],
    };
  }
  const blocks = to.spec.upgrades?.blocks ?? [];
  const blocked = blocks.findIndex(p => versionSatisfies(fromVersion, p));
  if (blocked >= 0) {
    return {
      ok: false,
      errors: [
        {
          code: 'upgrade-blocked',
          path: `spec.upgrades.blocks[${blocked}]`,
          message: `${to.metadata.name} ${target} has no upgrade path from ${fromVersion} (blocked: ${blocks[blocked]}); reinstall instead`,
        },
      ],
    };
  }
  const from = to.spec.upgrades?.from ?? [];
  if (from.length > 0 && !from.some(p => versionSatisfies(fromVersion, p))) {
    return {
      ok: false,
      errors: [
        {
          code: 'upgrade-not-allowed',
          path: 'spec.upgrades.from',
          message: `${to.metadata.name} ${target} upgrades only from ${from.join(
            ', ',
          )}; upgrade ${fromVersion} through an intermediate version first`,
        },
      ],
    };
  }
  return { ok: true, kind: 'upgrade', from: fromVersion, to: target };
}
