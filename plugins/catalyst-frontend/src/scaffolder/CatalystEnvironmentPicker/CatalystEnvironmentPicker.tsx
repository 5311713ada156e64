import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { FormControl, FormHelperText, ListItemText, MenuItem, TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { catalystApiRef } from '../../api';
import { environmentNote, environmentProblem } from '../validation';

/** `ui:options` of the picker. */
export interface CatalystEnvironmentPickerOptions {
  /** Only this Organization's Environments (a private Blueprint installs only there). */
  organization?: string;
}

/**
 * Chooses the Environment to install into, among those the user may read. The ones the user may not
 * install into are listed disabled with the reason, so it is clear why they cannot be chosen; governed
 * ones say that the install opens a change request.
 */
export function CatalystEnvironmentPicker(
  props: FieldExtensionComponentProps<string, CatalystEnvironmentPickerOptions>,
) {
  const { formData, onChange, schema, uiSchema, rawErrors, required, idSchema, disabled } = props;
  const api = useApi(catalystApiRef);
  const organization = uiSchema?.['ui:options']?.organization;
  const {
    value: environments,
    loading,
    error,
  } = useAsync(() => api.listEnvironments(organization ? { organization } : {}), [api, organization]);
  const label = schema.title ?? 'Environment';
  const id = idSchema?.$id ?? 'environment';

  if (loading) return <Progress aria-label={`Loading ${label}`} />;
  if (error) {
    return (
      <FormControl error fullWidth>
        <FormHelperText>Could not load the Environments: {error.message}</FormHelperText>
      </FormControl>
    );
  }
  if (!environments?.length) {
    return (
      <FormControl error={required} fullWidth>
        <FormHelperText>
          There is no Environment you can see{organization ? ` in ${organization}` : ''}. Ask an org-admin for access or
          a new Environment.
        </FormHelperText>
      </FormControl>
    );
  }
  const chosen = environments.find(e => e.name === formData);
  const problem = chosen ? environmentProblem(chosen) : undefined;
  return (
    <TextField
      id={id}
      select
      fullWidth
      margin="normal"
      variant="outlined"
      label={label}
      required={required}
      disabled={disabled}
      value={chosen ? chosen.name : ''}
      onChange={e => onChange(e.target.value as string)}
      error={!!rawErrors?.length || !!problem}
      helperText={problem ?? (chosen && environmentNote(chosen)) ?? schema.description}
      SelectProps={{ renderValue: v => String(v) }}
    >
      {environments.map(env => {
        const reason = environmentProblem(env);
        return (
          <MenuItem key={env.name} value={env.name} disabled={!!reason} data-testid={`environment-option-${env.name}`}>
            <ListItemText
              primary={env.name}
              secondary={
                reason ??
                environmentNote(env) ??
                `${env.applicationCount} Application${env.applicationCount === 1 ? '' : 's'}`
              }
            />
          </MenuItem>
        );
      })}
    </TextField>
  );
}

/** The chosen Environment must still exist and take installs (checked again when the step is submitted). */
export const catalystEnvironmentPickerValidation: CustomFieldValidator<
  string,
  CatalystEnvironmentPickerOptions
> = async (value, validation, { apiHolder }) => {
  if (!value) return;
  const api = apiHolder.get(catalystApiRef);
  if (!api) return;
  try {
    const problem = environmentProblem(await api.getEnvironment(value));
    if (problem) validation.addError(problem);
  } catch (e) {
    validation.addError(`Environment ${value}: ${e instanceof Error ? e.message : String(e)}`);
  }
};
