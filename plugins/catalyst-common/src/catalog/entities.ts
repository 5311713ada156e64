/**
 * Names shared by the entity provider (backend), the Template provider (scaffolder) and the entity
 * pages (frontend), so none of them repeats a literal (docs/contracts.md §5).
 */

/** apiVersion of Catalyst's catalog kinds. @public */
export const CATALYST_ENTITY_API_VERSION = 'catalyst.openova.io/v1alpha1';

/** @public */
export const CATALYST_ENTITY_KINDS = {
  blueprint: 'Blueprint',
  environment: 'Environment',
  application: 'Application',
} as const;

/** @public */
export const CATALYST_ANNOTATIONS = {
  environment: 'catalyst.openova.io/environment',
  application: 'catalyst.openova.io/application',
  blueprint: 'catalyst.openova.io/blueprint',
  blueprintVersion: 'catalyst.openova.io/blueprint-version',
  organization: 'catalyst.openova.io/organization',
} as const;

/** Backstage's own annotations Catalyst sets on Applications for the kubernetes plugin. @public */
export const KUBERNETES_ANNOTATIONS = {
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
  cluster: 'backstage.io/kubernetes-cluster',
} as const;

/** Relation types Catalyst adds besides Backstage's built-in ones. @public */
export const CATALYST_RELATIONS = {
  installedFrom: 'installedFrom',
  installedAs: 'installedAs',
} as const;

/** The Template type of generated install templates. @public */
export const CATALYST_TEMPLATE_TYPE = 'catalyst-blueprint';

/** Entity ref helpers: one spelling everywhere. @public */
export const catalystRefs = {
  organizationGroup: (org: string) => `group:default/${org}`,
  team: (org: string, team: string) => `group:${org}/${team}`,
  blueprint: (name: string, organization?: string) => `blueprint:${organization ?? 'default'}/${name}`,
  environment: (environment: string, organization: string) => `environment:${organization}/${environment}`,
  application: (application: string, environment: string) => `application:${environment}/${application}`,
  template: (name: string, organization?: string) => `template:${organization ?? 'default'}/install-${name}`,
};
