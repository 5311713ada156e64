/**
 * Catalyst for the scaffolder: the `catalyst:*` actions (a scaffolder module) and one install
 * Template per Blueprint (a catalog module). The default export is a feature loader adding both, so
 * `backend.add(import('@internal/plugin-scaffolder-backend-module-catalyst'))` is all a backend needs;
 * each module is also exported on its own.
 *
 * @packageDocumentation
 */
import { createBackendFeatureLoader } from '@backstage/backend-plugin-api';
import { catalystTemplatesCatalogModule } from './catalogModule';
import { catalystScaffolderModule } from './module';

export { catalystScaffolderModule } from './module';
export { catalystTemplatesCatalogModule } from './catalogModule';
export * from './actions';
export { blueprintTemplate, templateOwner, CATALYST_VISIBILITY_LABEL } from './templates/blueprintTemplate';
export type { BlueprintTemplateEntity, BlueprintTemplateOptions } from './templates/blueprintTemplate';
export { dependencyEntries } from './templates/dependencyEntries';
export type { DependencyEntry } from './templates/dependencyEntries';
export { toFormSchema } from './templates/formSchema';
export { CATALYST_FIELDS, WHERE_FIELDS } from './templates/fieldNames';
export { CatalystTemplateProvider } from './templates/CatalystTemplateProvider';

/** @public */
const catalystScaffolderFeatures = createBackendFeatureLoader({
  *loader() {
    yield catalystScaffolderModule;
    yield catalystTemplatesCatalogModule;
  },
});

export default catalystScaffolderFeatures;
