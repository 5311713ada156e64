/**
 * The scaffolder field extensions the generated Templates use, and the `ui:options` each reads.
 * The frontend registers components under the same names (catalyst-frontend `src/scaffolder`);
 * these belong in catalyst-common beside CATALYST_TEMPLATE_TYPE once it has a home for UI contracts.
 *
 * @public
 */
export const CATALYST_FIELDS = {
  environmentPicker: 'CatalystEnvironmentPicker',
  applicationRefPicker: 'CatalystApplicationRefPicker',
  domainPicker: 'CatalystDomainPicker',
  password: 'CatalystPassword',
  dependencyChoice: 'CatalystDependencyChoice',
} as const;

/** Form keys of the "Where" step that other fields read through the form context. @public */
export const WHERE_FIELDS = {
  environment: 'environment',
  name: 'name',
  version: 'version',
  overlay: 'overlay',
} as const;
