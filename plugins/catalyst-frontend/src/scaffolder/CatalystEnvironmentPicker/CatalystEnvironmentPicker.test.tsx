import { fireEvent, screen, within } from '@testing-library/react';
import { environment, fakeCatalystApi, fieldProps, pending, renderField, validatorArgs } from '../__testUtils__/fields';
import { CatalystEnvironmentPicker, catalystEnvironmentPickerValidation } from './CatalystEnvironmentPicker';

const environments = [
  environment('acme-dev', { applicationCount: 2 }),
  environment('acme-prod', {
    governed: true,
    policy: { rules: [{ kind: 'pr-required', approvers: ['team-security'] }] },
  }),
  environment('acme-stg', { canInstall: false }),
];

describe('CatalystEnvironmentPicker', () => {
  it('shows progress while the Environments load', async () => {
    await renderField(
      <CatalystEnvironmentPicker {...fieldProps<string>({})} />,
      fakeCatalystApi({ listEnvironments: pending }),
    );
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('says why when the Environments cannot be loaded', async () => {
    const api = fakeCatalystApi({ listEnvironments: () => Promise.reject(new Error('catalyst is down')) });
    await renderField(<CatalystEnvironmentPicker {...fieldProps<string>({})} />, api);
    expect(await screen.findByText('Could not load the Environments: catalyst is down')).toBeInTheDocument();
  });

  it("says there is nothing to choose when the user sees no Environment of the Blueprint's Organization", async () => {
    const listEnvironments = jest.fn(async () => []);
    await renderField(
      <CatalystEnvironmentPicker
        {...fieldProps<string, { organization: string }>({ uiOptions: { organization: 'acme' } })}
      />,
      fakeCatalystApi({ listEnvironments }),
    );
    expect(await screen.findByText(/There is no Environment you can see in acme/)).toBeInTheDocument();
    expect(listEnvironments).toHaveBeenCalledWith({ organization: 'acme' });
  });

  it('lists the Environments, disables those the user may not install into with the reason, says governed ones open a change request, and sets the choice', async () => {
    const props = fieldProps<string>({ schema: { title: 'Environment' } });
    await renderField(
      <CatalystEnvironmentPicker {...props} />,
      fakeCatalystApi({ listEnvironments: async () => environments }),
    );
    fireEvent.mouseDown(await screen.findByRole('button'));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getByTestId('environment-option-acme-dev')).not.toHaveAttribute('aria-disabled', 'true');
    expect(listbox.getByText('2 Applications')).toBeInTheDocument();
    // the server's canInstall is true in a governed Environment for those who may open a change request
    expect(listbox.getByTestId('environment-option-acme-prod')).not.toHaveAttribute('aria-disabled', 'true');
    expect(
      listbox.getByText(/acme-prod is governed by its EnvironmentPolicy: the install opens a change request/),
    ).toBeInTheDocument();
    expect(listbox.getByTestId('environment-option-acme-stg')).toHaveAttribute('aria-disabled', 'true');
    expect(listbox.getByText('You may not install into acme-stg')).toBeInTheDocument();
    fireEvent.click(listbox.getByText('acme-dev'));
    expect(props.onChange).toHaveBeenCalledWith('acme-dev');
  });

  it('shows a preselected Environment that cannot take the install with its reason (e.g. from an Install link)', async () => {
    await renderField(
      <CatalystEnvironmentPicker {...fieldProps<string>({ formData: 'acme-stg' })} />,
      fakeCatalystApi({ listEnvironments: async () => environments }),
    );
    expect(await screen.findByText('You may not install into acme-stg')).toBeInTheDocument();
  });

  it('says under a preselected governed Environment that the install opens a change request', async () => {
    await renderField(
      <CatalystEnvironmentPicker {...fieldProps<string>({ formData: 'acme-prod' })} />,
      fakeCatalystApi({ listEnvironments: async () => environments }),
    );
    expect(await screen.findByText(/the install opens a change request/)).toBeInTheDocument();
  });

  describe('validation', () => {
    it.each([
      ['acme-dev', []],
      ['acme-prod', []],
      ['acme-stg', ['You may not install into acme-stg']],
    ])('%s → %j', async (name, expected) => {
      const api = fakeCatalystApi({ getEnvironment: async n => environments.find(e => e.name === n)! });
      const { field, context, errors } = validatorArgs(api);
      await catalystEnvironmentPickerValidation(name, field as never, context);
      expect(errors).toEqual(expected);
    });

    it('reports an Environment that does not exist', async () => {
      const api = fakeCatalystApi({
        getEnvironment: () => Promise.reject(new Error('Environment acme-qa does not exist')),
      });
      const { field, context, errors } = validatorArgs(api);
      await catalystEnvironmentPickerValidation('acme-qa', field as never, context);
      expect(errors).toEqual(['Environment acme-qa: Environment acme-qa does not exist']);
    });
  });
});
