import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { FormControl, FormHelperText, ListItemText, MenuItem, TextField } from '@material-ui/core';
import useAsync from 'react-use/esm/useAsync';
import { catalystApiRef } from '../../api';
import { filterEnvironment, wizardData } from '../formContext';
import { matchingApplications } from '../validation';

/** `ui:options` of the picker: the Blueprint's `x-catalyst-ui-filter`. */
export interface CatalystApplicationRefPickerOptions {
  /** Only Applications of this Blueprint (`bp-postgres`). */
  blueprint?: string;
  /** `current` (default): the Environment chosen in the form; otherwise an Environment name. */
  environment?: string;
}

/**
 * Chooses an existing Application (`x-catalyst-ui-hint: application-ref`): those of the filter's
 * Blueprint in the Environment being installed into, e.g. the PostgreSQL a WordPress should use.
 */
export function CatalystApplicationRefPicker(
  props: FieldExtensionComponentProps<string, CatalystApplicationRefPickerOptions>,
) {
  const { formData, onChange, schema, uiSchema, rawErrors, required, idSchema, disabled } = props;
  const api = useApi(catalystApiRef);
  const options = uiSchema?.['ui:options'] ?? {};
  const environment = filterEnvironment(options.environment, wizardData(props));
  const {
    value: applications,
    loading,
    error,
  } = useAsync(
    async () =>
      environment ? matchingApplications(await api.listApplications(environment), options.blueprint) : undefined,
    [api, environment, options.blueprint],
  );
  const label = schema.title ?? 'Application';
  const what = options.blueprint ? `${options.blueprint} Application` : 'Application';

  if (!environment) {
    return (
      <FormControl error={required} fullWidth>
        <FormHelperText>Choose the Environment first: the {what} must be in it.</FormHelperText>
      </FormControl>
    );
  }
  if (loading) return <Progress aria-label={`Loading ${label}`} />;
  if (error) {
    return (
      <FormControl error fullWidth>
        <FormHelperText>
          Could not load the Applications of {environment}: {error.message}
        </FormHelperText>
      </FormControl>
    );
  }
  if (!applications?.length) {
    return (
      <FormControl error={required} fullWidth>
        <FormHelperText>
          There is no {what} in {environment} yet. Install one first, or choose another option.
        </FormHelperText>
      </FormControl>
    );
  }
  return (
    <TextField
      id={idSchema?.$id ?? 'application'}
      select
      fullWidth
      margin="normal"
      variant="outlined"
      label={label}
      required={required}
      disabled={disabled}
      value={applications.some(a => a.name === formData) ? formData : ''}
      onChange={e => onChange(e.target.value as string)}
      error={!!rawErrors?.length}
      helperText={schema.description ?? `A ${what} in ${environment}`}
      SelectProps={{ renderValue: v => String(v) }}
    >
      {applications.map(a => (
        <MenuItem key={a.name} value={a.name} data-testid={`application-option-${a.name}`}>
          <ListItemText primary={a.name} secondary={`${a.blueprint} @ ${a.version}`} />
        </MenuItem>
      ))}
    </TextField>
  );
}

/** The chosen Application must exist in the Environment and be of the filter's Blueprint. */
export const catalystApplicationRefPickerValidation: CustomFieldValidator<
  string,
  CatalystApplicationRefPickerOptions
> = async (value, validation, { apiHolder, formData, uiSchema }) => {
  if (!value) return;
  const options = uiSchema?.['ui:options'] ?? {};
  const environment = filterEnvironment(options.environment, formData);
  const api = apiHolder.get(catalystApiRef);
  if (!environment || !api) return;
  try {
    const found = matchingApplications(await api.listApplications(environment), options.blueprint).some(
      a => a.name === value,
    );
    if (!found)
      validation.addError(
        `${value} is not ${
          options.blueprint ? `a ${options.blueprint} Application` : 'an Application'
        } in ${environment}`,
      );
  } catch (e) {
    validation.addError(`Could not check ${value}: ${e instanceof Error ? e.message : String(e)}`);
  }
};
