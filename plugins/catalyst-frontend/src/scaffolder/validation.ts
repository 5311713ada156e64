import { validateApplicationName } from '@internal/plugin-catalyst-common';
import type { ApplicationSummary, EnvironmentOverview } from '@internal/plugin-catalyst-common';

/**
 * Pure checks behind the field extensions' validators (and their inline messages), so the form says
 * what the catalyst backend would say before the task starts.
 */

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A DNS host name (RFC 1123): dot-separated labels of at most 63, at most 253 in all, lower case. */
export function hostnameProblem(value: string): string | undefined {
  if (value.length > 253) return 'A host name has at most 253 characters';
  if (value !== value.toLowerCase()) return 'Use lower case';
  const labels = value.split('.');
  if (labels.some(l => l.length === 0)) return 'A host name has no empty parts (check the dots)';
  const bad = labels.find(l => l.length > 63 || !LABEL.test(l));
  if (bad) return `"${bad}" is not a host name part: letters, digits and hyphens, not starting or ending with a hyphen`;
  return undefined;
}

/**
 * Why an Environment cannot take an install from this form, or undefined when it can. The server's
 * `canInstall` decides; in a governed Environment it is true for those who may open a change request.
 */
export function environmentProblem(
  env: Pick<EnvironmentOverview, 'name' | 'governed' | 'canInstall'>,
): string | undefined {
  if (env.canInstall === false) return `You may not install into ${env.name}`;
  return undefined;
}

/** What installing here means beyond a commit: in a governed Environment, a change request. */
export function environmentNote(env: Pick<EnvironmentOverview, 'name' | 'governed'>): string | undefined {
  return env.governed
    ? `${env.name} is governed by its EnvironmentPolicy: the install opens a change request, which merges once its rules pass`
    : undefined;
}

/** Problem with a new dependency Application's name, or undefined. */
export function applicationNameProblem(name: string): string | undefined {
  const checked = validateApplicationName(name, 'name');
  return checked.ok ? undefined : checked.errors[0].message;
}

/** Applications of the Environment a picker may offer: those of the filter's Blueprint (all without one). */
export function matchingApplications(
  applications: ApplicationSummary[],
  blueprint: string | undefined,
): ApplicationSummary[] {
  return applications.filter(a => !blueprint || a.blueprint === blueprint).sort((a, b) => a.name.localeCompare(b.name));
}

/** A password as typed into a masked field: a pasted leading or trailing space is invisible, so refuse it. */
export function passwordProblem(value: string): string | undefined {
  if (value !== value.trim()) return 'The value starts or ends with a space (hidden in a masked field)';
  return undefined;
}
