/**
 * The scaffolder's UI contract between the Template generator (catalyst-scaffolder), which writes
 * `ui:field` names and form keys into generated Templates, and the frontend, which registers field
 * extensions under the same names and reads the same keys from the form data.
 */

/** Names of Catalyst's scaffolder field extensions (`ui:field`). @public */
export const CATALYST_FIELDS = {
  environmentPicker: 'CatalystEnvironmentPicker',
  applicationRefPicker: 'CatalystApplicationRefPicker',
  domainPicker: 'CatalystDomainPicker',
  password: 'CatalystPassword',
  dependencyChoice: 'CatalystDependencyChoice',
  environmentNamePreview: 'CatalystEnvironmentNamePreview',
} as const;

/** @public */
export type CatalystFieldName = (typeof CATALYST_FIELDS)[keyof typeof CATALYST_FIELDS];

/**
 * Form keys of an install Template's "Where" step (Environment, Application name, version,
 * overlay), which later fields read from the form data (the Application-ref picker lists the
 * chosen Environment's Applications, the dependency choice names new ones after the Application).
 *
 * @public
 */
export const WHERE_FIELDS = {
  environment: 'environment',
  name: 'name',
  version: 'version',
  overlay: 'overlay',
} as const;
