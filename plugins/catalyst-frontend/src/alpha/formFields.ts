import type { ExtensionDefinition } from '@backstage/frontend-plugin-api';
import { createFormField, FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import type { CATALYST_FIELD_DEFINITIONS } from '../scaffolder/fieldDefinitions';

type FieldKey = keyof typeof CATALYST_FIELD_DEFINITIONS;

/** `scaffolder-form-field:catalyst/<name>`, loaded when the scaffolder first renders a form. */
const formField = (name: string, key: FieldKey) =>
  FormFieldBlueprint.make({
    name,
    params: {
      field: () =>
        import('../scaffolder/fieldDefinitions').then(m => createFormField({ ...m.CATALYST_FIELD_DEFINITIONS[key] })),
    },
  });

/**
 * The field extensions of the generated install Templates and the New Environment template. Typed
 * as plain extensions: scaffolder-react 1.20 builds its blueprint on an older frontend-plugin-api
 * whose types cannot be named from here.
 */
export const formFields: ExtensionDefinition[] = [
  formField('environment-picker', 'environmentPicker'),
  formField('application-ref-picker', 'applicationRefPicker'),
  formField('domain-picker', 'domainPicker'),
  formField('password', 'password'),
  formField('dependency-choice', 'dependencyChoice'),
  formField('environment-name-preview', 'environmentNamePreview'),
];
