import { CatalystIssue } from '../issues';

/** What uninstall needs to know of an Application; an `Application` document fits. @public */
export interface UninstallSubject {
  metadata: { name: string };
  spec: {
    dependencies?: ReadonlyArray<{ application: string; mode?: string }>;
  };
}

/** @public */
export type UninstallCheck =
  | {
      ok: true;
      /** Embedded dependencies nothing else uses any more; the UI may offer to remove them too. */
      orphans: string[];
    }
  | { ok: false; errors: CatalystIssue[]; dependents: string[] };

/**
 * May `name` be removed from an Environment? Refused (`has-dependents`) while other Applications
 * depend on it, listing them; `unknown-application` if it is not there.
 *
 * @public
 */
export function checkUninstall(environmentApps: readonly UninstallSubject[], name: string): UninstallCheck {
  if (!environmentApps.some(a => a.metadata.name === name)) {
    return {
      ok: false,
      errors: [
        {
          code: 'unknown-application',
          path: 'name',
          message: `Application ${name} is not in this Environment`,
        },
      ],
      dependents: [],
    };
  }
  const dependentsOf = (target: string) =>
    environmentApps
      .filter(a => a.metadata.name !== target && (a.spec.dependencies ?? []).some(d => d.application === target))
      .map(a => a.metadata.name)
      .sort();
  const dependents = dependentsOf(name);
  if (dependents.length > 0) {
    return {
      ok: false,
      errors: [
        {
          code: 'has-dependents',
          path: 'name',
          message: `${name} is used by ${dependents.join(', ')}; uninstall or reconfigure them first`,
        },
      ],
      dependents,
    };
  }
  // Grow the removal set with embedded dependencies whose every dependent is being removed.
  const removing = new Set([name]);
  for (let changed = true; changed; ) {
    changed = false;
    for (const app of environmentApps) {
      if (!removing.has(app.metadata.name)) continue;
      for (const dep of app.spec.dependencies ?? []) {
        if (dep.mode !== 'embedded' || removing.has(dep.application)) continue;
        if (!environmentApps.some(a => a.metadata.name === dep.application)) continue;
        if (dependentsOf(dep.application).every(d => removing.has(d))) {
          removing.add(dep.application);
          changed = true;
        }
      }
    }
  }
  removing.delete(name);
  return { ok: true, orphans: [...removing].sort() };
}
