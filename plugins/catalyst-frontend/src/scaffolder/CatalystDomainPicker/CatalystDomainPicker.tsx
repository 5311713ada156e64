import { useApi } from '@backstage/core-plugin-api';
import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { TextField } from '@material-ui/core';
import Autocomplete from '@material-ui/lab/Autocomplete';
import useAsync from 'react-use/esm/useAsync';
import { catalystApiRef } from '../../api';
import { chosenEnvironment, organizationOf, wizardData } from '../formContext';
import { hostnameProblem } from '../validation';
import { organizationDomains, UsedDomain } from './organizationDomains';

/** `ui:options` of the picker. */
export interface CatalystDomainPickerOptions {
  /** Whose domains to suggest; default: the Organization of the Environment chosen in the form. */
  organization?: string;
}

/**
 * A host name (`x-catalyst-ui-hint: domain-picker`): suggestions from the domains the Organization's
 * Applications already use, or any new host name typed in, checked as a host name as it is typed.
 */
export function CatalystDomainPicker(props: FieldExtensionComponentProps<string, CatalystDomainPickerOptions>) {
  const { formData, onChange, schema, uiSchema, rawErrors, required, idSchema, disabled } = props;
  const api = useApi(catalystApiRef);
  const organization = uiSchema?.['ui:options']?.organization ?? organizationOf(chosenEnvironment(wizardData(props)));
  const {
    value: used,
    loading,
    error,
  } = useAsync(
    async (): Promise<UsedDomain[]> => (organization ? organizationDomains(api, organization) : []),
    [api, organization],
  );
  const value = formData ?? '';
  const problem = value ? hostnameProblem(value) : undefined;
  let hint = 'Type a host name, e.g. www.example.com';
  if (error) hint = `Type a host name (suggestions could not be loaded: ${error.message})`;
  else if (used?.length) hint = `Type a new host name or choose one ${organization} already uses`;

  return (
    <Autocomplete<UsedDomain | string, false, false, true>
      id={idSchema?.$id ?? 'domain'}
      freeSolo
      disabled={disabled}
      loading={loading}
      options={used ?? []}
      inputValue={value}
      onInputChange={(_, v, reason) => {
        if (reason !== 'reset' || v) onChange(v.trim() === '' ? undefined : v.trim());
      }}
      getOptionLabel={o => (typeof o === 'string' ? o : o.domain)}
      renderOption={o => (typeof o === 'string' ? o : `${o.domain} — used by ${o.usedBy}`)}
      renderInput={params => (
        <TextField
          {...params}
          margin="normal"
          variant="outlined"
          label={schema.title ?? 'Domain'}
          required={required}
          error={!!rawErrors?.length || !!problem}
          helperText={problem ?? schema.description ?? hint}
        />
      )}
    />
  );
}

export const catalystDomainPickerValidation: CustomFieldValidator<string, CatalystDomainPickerOptions> = (
  value,
  validation,
) => {
  if (!value) return;
  const problem = hostnameProblem(value);
  if (problem) validation.addError(problem);
};
