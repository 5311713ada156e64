import {
  APPLICATION_STATUSES,
  ApplicationStatus,
  ApplicationSummary,
  ApplicationView,
} from '@internal/plugin-catalyst-common';

/** Blueprint categories whose Applications serve others (reference §1.5 "Backing services"). */
export const BACKING_SERVICE_CATEGORIES = ['database', 'cache'];

/** One Application of an Environment as the Environment page shows it. */
export interface EnvironmentApplication {
  name: string;
  /** What Git says (absent while only the read model still knows it, e.g. during removal). */
  summary?: ApplicationSummary;
  /** What the read model says (absent until the projector has seen it). */
  view?: ApplicationView;
  category?: string;
  /** Applications of the Environment that depend on this one. */
  usedBy: string[];
}

export interface ApplicationGroups {
  /** One section per status that occurs, in badge order. */
  byStatus: Array<{ status: ApplicationStatus; applications: EnvironmentApplication[] }>;
  /** No live status yet. */
  unknown: EnvironmentApplication[];
  /** Databases, caches and anything another Application depends on: their own section. */
  backing: EnvironmentApplication[];
}

/**
 * Groups an Environment's Applications for its page: backing services apart, the rest by live
 * status. Git and the read model are merged by name, so an Application shows as soon as either
 * knows it.
 */
export function groupApplications(
  summaries: readonly ApplicationSummary[],
  views: Readonly<Record<string, ApplicationView>>,
  categoryOf: (blueprint: string) => string | undefined,
): ApplicationGroups {
  const names = [...new Set([...summaries.map(s => s.name), ...Object.keys(views)])].sort();
  const byName = new Map(summaries.map(s => [s.name, s]));
  const usedBy = new Map<string, Set<string>>();
  const addUse = (dependency: string, dependent: string) => {
    const set = usedBy.get(dependency) ?? new Set<string>();
    set.add(dependent);
    usedBy.set(dependency, set);
  };
  for (const s of summaries) {
    for (const d of s.dependents) addUse(s.name, d);
    for (const d of s.dependencies) addUse(d.application, s.name);
  }
  for (const v of Object.values(views)) for (const d of v.dependsOn) addUse(d, v.name);

  const groups: ApplicationGroups = { byStatus: [], unknown: [], backing: [] };
  const sections = new Map<ApplicationStatus, EnvironmentApplication[]>();
  for (const name of names) {
    const summary = byName.get(name);
    const view = views[name];
    const blueprint = summary?.blueprint ?? view?.blueprint ?? undefined;
    const category = blueprint ? categoryOf(blueprint) : undefined;
    const entry: EnvironmentApplication = {
      name,
      ...(summary ? { summary } : {}),
      ...(view ? { view } : {}),
      ...(category ? { category } : {}),
      usedBy: [...(usedBy.get(name) ?? [])].sort(),
    };
    if ((category && BACKING_SERVICE_CATEGORIES.includes(category)) || entry.usedBy.length > 0)
      groups.backing.push(entry);
    else if (!view) groups.unknown.push(entry);
    else sections.set(view.status, [...(sections.get(view.status) ?? []), entry]);
  }
  for (const status of APPLICATION_STATUSES) {
    const applications = sections.get(status);
    if (applications) groups.byStatus.push({ status, applications });
  }
  return groups;
}
