import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { CATALYST_FIELDS, CatalystFieldName } from '@internal/plugin-catalyst-common';
import { CatalystApplicationRefPicker, catalystApplicationRefPickerValidation } from './CatalystApplicationRefPicker';
import { CatalystDependencyChoice, catalystDependencyChoiceValidation } from './CatalystDependencyChoice';
import { CatalystDomainPicker, catalystDomainPickerValidation } from './CatalystDomainPicker';
import {
  CatalystEnvironmentNamePreview,
  catalystEnvironmentNamePreviewValidation,
} from './CatalystEnvironmentNamePreview';
import { CatalystEnvironmentPicker, catalystEnvironmentPickerValidation } from './CatalystEnvironmentPicker';
import { CatalystPassword, catalystPasswordValidation } from './CatalystPassword';

/** One field of the generated Templates: its `ui:field` name, the component and its validator. */
export interface CatalystFieldDefinition<TValue = any, TOptions = any> {
  name: CatalystFieldName;
  component: (props: FieldExtensionComponentProps<TValue, TOptions>) => JSX.Element | null;
  validation: CustomFieldValidator<TValue, TOptions>;
}

const define = <TValue, TOptions>(d: CatalystFieldDefinition<TValue, TOptions>) => d;

/**
 * Every field extension, in one table both frontend systems register from: the legacy app through
 * `<ScaffolderFieldExtensions>` (`extensions.ts`), the new one through FormFieldBlueprint (`alpha`).
 */
export const CATALYST_FIELD_DEFINITIONS = {
  environmentPicker: define({
    name: CATALYST_FIELDS.environmentPicker,
    component: CatalystEnvironmentPicker,
    validation: catalystEnvironmentPickerValidation,
  }),
  applicationRefPicker: define({
    name: CATALYST_FIELDS.applicationRefPicker,
    component: CatalystApplicationRefPicker,
    validation: catalystApplicationRefPickerValidation,
  }),
  domainPicker: define({
    name: CATALYST_FIELDS.domainPicker,
    component: CatalystDomainPicker,
    validation: catalystDomainPickerValidation,
  }),
  password: define({
    name: CATALYST_FIELDS.password,
    component: CatalystPassword,
    validation: catalystPasswordValidation,
  }),
  dependencyChoice: define({
    name: CATALYST_FIELDS.dependencyChoice,
    component: CatalystDependencyChoice,
    validation: catalystDependencyChoiceValidation,
  }),
  environmentNamePreview: define({
    name: CATALYST_FIELDS.environmentNamePreview,
    component: CatalystEnvironmentNamePreview,
    validation: catalystEnvironmentNamePreviewValidation,
  }),
} satisfies Record<keyof typeof CATALYST_FIELDS, CatalystFieldDefinition>;
