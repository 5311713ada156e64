/**
 * Names of the field extensions and the "Where" keys the generated install Templates use. The
 * Template generator (catalyst-scaffolder `src/templates/fieldNames.ts`) writes the same names; both
 * belong in catalyst-common once it has a home for UI contracts.
 */
export const CATALYST_FIELDS = {
  environmentPicker: 'CatalystEnvironmentPicker',
  applicationRefPicker: 'CatalystApplicationRefPicker',
  domainPicker: 'CatalystDomainPicker',
  password: 'CatalystPassword',
  dependencyChoice: 'CatalystDependencyChoice',
  environmentNamePreview: 'CatalystEnvironmentNamePreview',
} as const;

/** Form keys of the "Where" step other fields read from the form data. */
export const WHERE_FIELDS = { environment: 'environment', name: 'name' } as const;
