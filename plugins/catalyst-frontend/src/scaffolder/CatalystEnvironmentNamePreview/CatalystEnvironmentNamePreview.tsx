import { useEffect } from 'react';
import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { ResponseError } from '@backstage/errors';
import { FormControl, FormHelperText, FormLabel, Typography } from '@material-ui/core';
import { parseEnvironmentName } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { wizardData, WizardData } from '../formContext';

/** `ui:options`: where the Organization and the env type are in the form. */
export interface CatalystEnvironmentNamePreviewOptions {
  /** Default `organization`; a slug or a Group entity ref (`group:default/acme`, from EntityPicker). */
  organizationField?: string;
  /** Default `envType`. */
  envTypeField?: string;
}

/** `group:default/acme` → `acme`; a slug stays as it is. */
function slugOf(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  return value.slice(value.lastIndexOf('/') + 1).replace(/^group:/, '');
}

/** The `{org}-{env_type}` name the form's choices make, or undefined while one is missing. */
export function previewName(data: WizardData, options: CatalystEnvironmentNamePreviewOptions = {}): string | undefined {
  const org = slugOf(data[options.organizationField ?? 'organization']);
  const envType = slugOf(data[options.envTypeField ?? 'envType']);
  return org && envType ? `${org}-${envType}` : undefined;
}

/**
 * Shows the name the new Environment will get, `{org}-{env_type}`, as the Organization and type are
 * chosen, and keeps it as the field's value so the review step shows it too.
 */
export function CatalystEnvironmentNamePreview(
  props: FieldExtensionComponentProps<string, CatalystEnvironmentNamePreviewOptions>,
) {
  const { formData, onChange, schema, uiSchema, rawErrors } = props;
  const name = previewName(wizardData(props), uiSchema?.['ui:options']);
  useEffect(() => {
    if (name !== formData) onChange(name);
  }, [name, formData, onChange]);
  const parsed = name ? parseEnvironmentName(name, 'name') : undefined;
  const problem = parsed && !parsed.ok ? parsed.errors[0].message : undefined;
  return (
    <FormControl fullWidth margin="normal" error={!!problem || !!rawErrors?.length}>
      <FormLabel>{schema.title ?? 'Environment name'}</FormLabel>
      <Typography variant="h6" component="p" aria-live="polite" data-testid="environment-name-preview">
        {name ?? '{org}-{env_type}'}
      </Typography>
      <FormHelperText>
        {problem ??
          (name
            ? 'The name is fixed: one Environment per type in an Organization'
            : 'Choose the Organization and the type')}
      </FormHelperText>
    </FormControl>
  );
}

const isNotFound = (e: unknown) =>
  e instanceof ResponseError ? e.statusCode === 404 : (e as Error | undefined)?.name === 'NotFoundError';

/** The name must be a valid Environment name that does not exist yet. */
export const catalystEnvironmentNamePreviewValidation: CustomFieldValidator<
  string,
  CatalystEnvironmentNamePreviewOptions
> = async (value, validation, { apiHolder }) => {
  if (!value) return;
  const parsed = parseEnvironmentName(value, 'name');
  if (!parsed.ok) {
    validation.addError(parsed.errors[0].message);
    return;
  }
  const api = apiHolder.get(catalystApiRef);
  if (!api) return;
  try {
    await api.getEnvironment(value);
    validation.addError(`${value} already exists: an Organization has one Environment per type`);
  } catch (e) {
    if (!isNotFound(e)) validation.addError(`Could not check ${value}: ${e instanceof Error ? e.message : String(e)}`);
  }
};
