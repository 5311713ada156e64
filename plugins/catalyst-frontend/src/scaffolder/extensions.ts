import { scaffolderPlugin } from '@backstage/plugin-scaffolder';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { CatalystApplicationRefPicker, catalystApplicationRefPickerValidation } from './CatalystApplicationRefPicker';
import { CatalystDependencyChoice, catalystDependencyChoiceValidation } from './CatalystDependencyChoice';
import { CatalystDomainPicker, catalystDomainPickerValidation } from './CatalystDomainPicker';
import {
  CatalystEnvironmentNamePreview,
  catalystEnvironmentNamePreviewValidation,
} from './CatalystEnvironmentNamePreview';
import { CatalystEnvironmentPicker, catalystEnvironmentPickerValidation } from './CatalystEnvironmentPicker';
import { CatalystPassword, catalystPasswordValidation } from './CatalystPassword';
import { CATALYST_FIELDS } from '@internal/plugin-catalyst-common';

/**
 * The field extensions of the generated install Templates (and of the New Environment template). Register them inside the app's
 * `<ScaffolderFieldExtensions>`; they call the catalyst API (`catalystApiRef`), which the catalyst
 * plugin provides.
 */

/** @public */
export const CatalystEnvironmentPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CATALYST_FIELDS.environmentPicker,
    component: CatalystEnvironmentPicker,
    validation: catalystEnvironmentPickerValidation,
  }),
);

/** @public */
export const CatalystApplicationRefPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CATALYST_FIELDS.applicationRefPicker,
    component: CatalystApplicationRefPicker,
    validation: catalystApplicationRefPickerValidation,
  }),
);

/** @public */
export const CatalystDomainPickerFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CATALYST_FIELDS.domainPicker,
    component: CatalystDomainPicker,
    validation: catalystDomainPickerValidation,
  }),
);

/** @public */
export const CatalystPasswordFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CATALYST_FIELDS.password,
    component: CatalystPassword,
    validation: catalystPasswordValidation,
  }),
);

/** @public */
export const CatalystDependencyChoiceFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CATALYST_FIELDS.dependencyChoice,
    component: CatalystDependencyChoice,
    validation: catalystDependencyChoiceValidation,
  }),
);

/** The `{org}-{env_type}` name of the New Environment template, shown as it is chosen. @public */
export const CatalystEnvironmentNamePreviewFieldExtension = scaffolderPlugin.provide(
  createScaffolderFieldExtension({
    name: CATALYST_FIELDS.environmentNamePreview,
    component: CatalystEnvironmentNamePreview,
    validation: catalystEnvironmentNamePreviewValidation,
  }),
);
