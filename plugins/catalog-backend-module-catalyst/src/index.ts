/**
 * The catalog's Catalyst module: Catalyst's entity kinds and entities, and one install Template per
 * Blueprint, read from the catalyst plugin's REST API.
 *
 * @packageDocumentation
 */
export { catalogModuleCatalyst as default } from './module';
export { CatalystEntitiesProcessor } from './CatalystEntitiesProcessor';
export { CatalystEntityProvider } from './CatalystEntityProvider';
export { CatalystTemplateProvider } from './templates/CatalystTemplateProvider';
export { blueprintTemplate, templateOwner, CATALYST_VISIBILITY_LABEL } from './templates/blueprintTemplate';
export type { BlueprintTemplateEntity, BlueprintTemplateOptions } from './templates/blueprintTemplate';
export { dependencyEntries } from './templates/dependencyEntries';
export type { DependencyEntry } from './templates/dependencyEntries';
export { toFormSchema } from './templates/formSchema';
