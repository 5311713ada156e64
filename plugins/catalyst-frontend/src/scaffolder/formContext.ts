import { parseEnvironmentName, WHERE_FIELDS } from '@internal/plugin-catalyst-common';

/** Everything the wizard's steps collected so far. */
export type WizardData = Record<string, unknown>;

/**
 * The scaffolder passes the whole wizard's data (every step so far) as `formContext.formData`;
 * pickers on later steps read the chosen Environment and name from it.
 */
export function wizardData(props: { formContext?: unknown; registry?: { formContext?: unknown } }): WizardData {
  const ctx = (props.formContext ?? props.registry?.formContext) as { formData?: unknown } | undefined;
  const data = ctx?.formData;
  return data && typeof data === 'object' && !Array.isArray(data) ? (data as WizardData) : {};
}

const stringAt = (data: WizardData, key: string) =>
  typeof data[key] === 'string' && data[key] !== '' ? (data[key] as string) : undefined;

/** The Environment chosen in the "Where" step, if any. */
export function chosenEnvironment(data: WizardData): string | undefined {
  return stringAt(data, WHERE_FIELDS.environment);
}

/** The Application name chosen in the "Where" step, if any. */
export function chosenName(data: WizardData): string | undefined {
  return stringAt(data, WHERE_FIELDS.name);
}

/** `acme-dev` → `acme`. */
export function organizationOf(environment: string | undefined): string | undefined {
  if (!environment) return undefined;
  const parsed = parseEnvironmentName(environment, 'environment');
  return parsed.ok ? parsed.organization : undefined;
}

/**
 * The Environment an `x-catalyst-ui-filter` means: `current` (or none) is the one chosen in the
 * form; anything else names an Environment.
 */
export function filterEnvironment(filter: string | undefined, data: WizardData): string | undefined {
  return !filter || filter === 'current' ? chosenEnvironment(data) : filter;
}
