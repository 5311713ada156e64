import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { CustomFieldValidator, FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  Box,
  FormControl,
  FormControlLabel,
  FormHelperText,
  FormLabel,
  makeStyles,
  MenuItem,
  Radio,
  RadioGroup,
  TextField,
} from '@material-ui/core';
import { dependencyApplicationName } from '@internal/plugin-catalyst-common';
import useAsync from 'react-use/esm/useAsync';
import { catalystApiRef } from '../../api';
import { chosenEnvironment, chosenName, wizardData } from '../formContext';
import { applicationNameProblem, matchingApplications } from '../validation';

/** The field's value: an install choice for one dependency, keyed by its alias path in the form. */
export type DependencyChoiceValue = { use: 'new'; name?: string } | { use: 'existing'; application?: string };

/** `ui:options` the generated Template gives each dependency. */
export interface CatalystDependencyChoiceOptions {
  /** Alias path (`db`, `cms.db`). */
  path?: string;
  blueprint?: string;
  /** Semver range of the dependency. */
  range?: string;
  /** The condition under which the Blueprint needs it, without braces. */
  when?: string;
  /** Alias path of the dependency that brings this one in. */
  parent?: string;
}

const useStyles = makeStyles(theme => ({
  nested: { marginLeft: theme.spacing(4), maxWidth: 480 },
}));

/**
 * One dependency of the Blueprint being installed: create a new Application for it (named
 * `{name}-{short name}` unless renamed) or use an existing Application of that Blueprint in the
 * chosen Environment. When the Blueprint needs it only under a condition, the condition is shown;
 * whether it applies is decided by the backend from the configuration.
 */
export function CatalystDependencyChoice(
  props: FieldExtensionComponentProps<DependencyChoiceValue, CatalystDependencyChoiceOptions>,
) {
  const { formData, onChange, schema, uiSchema, rawErrors, idSchema, disabled } = props;
  const classes = useStyles();
  const api = useApi(catalystApiRef);
  const options = uiSchema?.['ui:options'] ?? {};
  const data = wizardData(props);
  const environment = chosenEnvironment(data);
  const value: DependencyChoiceValue =
    formData?.use === 'existing' ? formData : { use: 'new', ...(formData?.name ? { name: formData.name } : {}) };
  const blueprint = options.blueprint ?? 'this Blueprint';
  const defaultName = options.blueprint
    ? dependencyApplicationName(chosenName(data) ?? '<name>', options.blueprint)
    : undefined;
  const id = idSchema?.$id ?? `dependency-${options.path ?? 'x'}`;

  const {
    value: existing,
    loading,
    error,
  } = useAsync(
    async () =>
      value.use === 'existing' && environment
        ? matchingApplications(await api.listApplications(environment), options.blueprint)
        : undefined,
    [api, environment, options.blueprint, value.use],
  );
  const nameProblem = value.use === 'new' && value.name ? applicationNameProblem(value.name) : undefined;

  let existingPart: JSX.Element | null = null;
  if (value.use === 'existing') {
    if (!environment) existingPart = <FormHelperText error>Choose the Environment first.</FormHelperText>;
    else if (loading) existingPart = <Progress aria-label={`Loading ${blueprint} Applications`} />;
    else if (error)
      existingPart = (
        <FormHelperText error>
          Could not load the Applications of {environment}: {error.message}
        </FormHelperText>
      );
    else if (!existing?.length) {
      existingPart = (
        <FormHelperText error>
          There is no {blueprint} Application in {environment}: create a new one instead.
        </FormHelperText>
      );
    } else {
      existingPart = (
        <TextField
          id={`${id}-application`}
          select
          fullWidth
          variant="outlined"
          margin="dense"
          label="Application"
          disabled={disabled}
          value={existing.some(a => a.name === value.application) ? value.application : ''}
          onChange={e => onChange({ use: 'existing', application: e.target.value as string })}
          SelectProps={{ renderValue: v => String(v) }}
        >
          {existing.map(a => (
            <MenuItem key={a.name} value={a.name} data-testid={`dependency-option-${a.name}`}>
              {a.name} ({a.blueprint} @ {a.version})
            </MenuItem>
          ))}
        </TextField>
      );
    }
  }

  return (
    <FormControl component="fieldset" fullWidth margin="normal" error={!!rawErrors?.length}>
      <FormLabel component="legend">{schema.title ?? options.path}</FormLabel>
      {schema.description && <FormHelperText>{schema.description}</FormHelperText>}
      <RadioGroup
        aria-label={schema.title ?? options.path}
        name={id}
        value={value.use}
        onChange={e => onChange(e.target.value === 'existing' ? { use: 'existing' } : { use: 'new' })}
      >
        <FormControlLabel value="new" control={<Radio disabled={disabled} />} label="Create a new Application" />
        {value.use === 'new' && (
          <Box className={classes.nested}>
            <TextField
              id={`${id}-name`}
              fullWidth
              variant="outlined"
              margin="dense"
              label="Name"
              placeholder={defaultName}
              disabled={disabled}
              value={value.name ?? ''}
              onChange={e => onChange(e.target.value ? { use: 'new', name: e.target.value } : { use: 'new' })}
              error={!!nameProblem}
              helperText={nameProblem ?? (defaultName ? `Leave empty for ${defaultName}` : undefined)}
            />
          </Box>
        )}
        <FormControlLabel
          value="existing"
          control={<Radio disabled={disabled} />}
          label="Use an existing Application"
        />
        {existingPart && <Box className={classes.nested}>{existingPart}</Box>}
      </RadioGroup>
      {options.when && (
        <FormHelperText>
          Only needed when <code>{options.when}</code>; otherwise Catalyst skips it and this choice is not used.
        </FormHelperText>
      )}
      {rawErrors?.map(e => (
        <FormHelperText key={e} error>
          {e}
        </FormHelperText>
      ))}
    </FormControl>
  );
}

export const catalystDependencyChoiceValidation: CustomFieldValidator<
  DependencyChoiceValue,
  CatalystDependencyChoiceOptions
> = async (value, validation, { apiHolder, formData, uiSchema }) => {
  if (!value) return;
  if (value.use === 'new') {
    const problem = value.name ? applicationNameProblem(value.name) : undefined;
    if (problem) validation.addError(problem);
    return;
  }
  if (!value.application) {
    validation.addError('Choose the Application to use, or create a new one');
    return;
  }
  const environment = chosenEnvironment(formData);
  const api = apiHolder.get(catalystApiRef);
  if (!environment || !api) return;
  const blueprint = uiSchema?.['ui:options']?.blueprint;
  try {
    const found = matchingApplications(await api.listApplications(environment), blueprint).some(
      a => a.name === value.application,
    );
    if (!found)
      validation.addError(
        `${value.application} is not ${blueprint ? `a ${blueprint} Application` : 'an Application'} in ${environment}`,
      );
  } catch (e) {
    validation.addError(`Could not check ${value.application}: ${e instanceof Error ? e.message : String(e)}`);
  }
};
