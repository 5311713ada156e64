import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { CATALYST_FIELD_DEFINITIONS as FIELDS } from './fieldDefinitions';

/**
 * The field extensions of the generated install Templates (and of the New Environment template),
 * for apps on the legacy frontend system. Register them inside the app's
 * `<ScaffolderFieldExtensions>`; they call the catalyst API (`catalystApiRef`), which the catalyst
 * plugin provides. Apps on the new frontend system get them from `/alpha` instead.
 */

/** @public */
export const CatalystEnvironmentPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension(FIELDS.environmentPicker),
);

/** @public */
export const CatalystApplicationRefPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension(FIELDS.applicationRefPicker),
);

/** @public */
export const CatalystDomainPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension(FIELDS.domainPicker),
);

/** @public */
export const CatalystPasswordFieldExtension = scaffolderPlugin.provide(createScaffolderFieldExtension(FIELDS.password));

/** @public */
export const CatalystDependencyChoiceFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension(FIELDS.dependencyChoice),
);

/** The `{org}-{env_type}` name of the New Environment template, shown as it is chosen. @public */
export const CatalystEnvironmentNamePreviewFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension(FIELDS.environmentNamePreview),
);
