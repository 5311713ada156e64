import { useState } from 'react';
import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { IconButton, InputAdornment, TextField } from '@material-ui/core';
import Visibility from '@material-ui/icons/Visibility';
import VisibilityOff from '@material-ui/icons/VisibilityOff';
import { passwordProblem } from '../validation';

/**
 * A secret setting (`x-catalyst-ui-hint: password`): masked while typed, with a button to check what
 * was typed. The generated Template also masks it on the review step.
 */
export function CatalystPassword(props: FieldExtensionComponentProps<string>) {
  const { formData, onChange, schema, rawErrors, required, idSchema, disabled } = props;
  const [shown, setShown] = useState(false);
  const value = formData ?? '';
  const problem = value ? passwordProblem(value) : undefined;
  const label = schema.title ?? 'Password';
  return (
    <TextField
      id={idSchema?.$id ?? 'password'}
      type={shown ? 'text' : 'password'}
      autoComplete="new-password"
      fullWidth
      margin="normal"
      variant="outlined"
      label={label}
      required={required}
      disabled={disabled}
      value={value}
      onChange={e => onChange(e.target.value === '' ? undefined : e.target.value)}
      error={!!rawErrors?.length || !!problem}
      helperText={problem ?? schema.description}
      InputProps={{
        endAdornment: (
          <InputAdornment position="end">
            <IconButton
              aria-label={shown ? `Hide ${label}` : `Show ${label}`}
              onClick={() => setShown(s => !s)}
              edge="end"
            >
              {shown ? <VisibilityOff /> : <Visibility />}
            </IconButton>
          </InputAdornment>
        ),
      }}
    />
  );
}

export const catalystPasswordValidation: CustomFieldValidator<string> = (value, validation) => {
  if (!value) return;
  const problem = passwordProblem(value);
  if (problem) validation.addError(problem);
};
