import { fireEvent, screen, within } from '@testing-library/react';
import { application, fakeCatalystApi, fieldProps, pending, renderField, validatorArgs } from '../__testUtils__/fields';
import {
  CatalystDependencyChoice,
  CatalystDependencyChoiceOptions,
  catalystDependencyChoiceValidation,
  DependencyChoiceValue,
} from './CatalystDependencyChoice';

const options: CatalystDependencyChoiceOptions = {
  path: 'db',
  blueprint: 'bp-postgres',
  range: '^1.5',
  when: ".config.postgres.mode == 'embedded'",
};
const props = (
  formData?: DependencyChoiceValue,
  wizard: Record<string, unknown> = { environment: 'acme-dev', name: 'marketing-site' },
) =>
  fieldProps<DependencyChoiceValue, CatalystDependencyChoiceOptions>({
    formData,
    uiOptions: options,
    wizard,
    schema: { type: 'object', title: 'db: PostgreSQL (bp-postgres ^1.5)' },
  });
const apps = [application('shared-postgres', 'bp-postgres'), application('blog', 'bp-wordpress', 'acme-dev', '1.4.0')];

describe('CatalystDependencyChoice', () => {
  it('creates a new Application by default, named after the Application being installed, and notes when it is needed', async () => {
    const p = props({ use: 'new' });
    await renderField(<CatalystDependencyChoice {...p} />, fakeCatalystApi({}));
    expect(screen.getByRole('radio', { name: 'Create a new Application' })).toBeChecked();
    expect(screen.getByText('Leave empty for marketing-site-postgres')).toBeInTheDocument();
    expect(screen.getByPlaceholderText('marketing-site-postgres')).toBeInTheDocument();
    expect(screen.getByText(".config.postgres.mode == 'embedded'")).toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'site-db' } });
    expect(p.onChange).toHaveBeenLastCalledWith({ use: 'new', name: 'site-db' });
  });

  it('flags a new name that is not an Application name', async () => {
    await renderField(<CatalystDependencyChoice {...props({ use: 'new', name: 'Site_DB' })} />, fakeCatalystApi({}));
    expect(screen.getByText(/must be a DNS label/)).toBeInTheDocument();
  });

  it('switches to using an existing Application', async () => {
    const p = props({ use: 'new' });
    await renderField(<CatalystDependencyChoice {...p} />, fakeCatalystApi({}));
    fireEvent.click(screen.getByRole('radio', { name: 'Use an existing Application' }));
    expect(p.onChange).toHaveBeenLastCalledWith({ use: 'existing' });
  });

  it('shows progress while the existing Applications load', async () => {
    await renderField(
      <CatalystDependencyChoice {...props({ use: 'existing' })} />,
      fakeCatalystApi({ listApplications: pending }),
    );
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('says why the existing Applications cannot be listed', async () => {
    await renderField(
      <CatalystDependencyChoice {...props({ use: 'existing' })} />,
      fakeCatalystApi({ listApplications: () => Promise.reject(new Error('forbidden')) }),
    );
    expect(await screen.findByText('Could not load the Applications of acme-dev: forbidden')).toBeInTheDocument();
  });

  it('says there is none to use in the Environment', async () => {
    await renderField(
      <CatalystDependencyChoice {...props({ use: 'existing' })} />,
      fakeCatalystApi({ listApplications: async () => [application('blog', 'bp-wordpress')] }),
    );
    expect(
      await screen.findByText('There is no bp-postgres Application in acme-dev: create a new one instead.'),
    ).toBeInTheDocument();
  });

  it('asks for the Environment first', async () => {
    await renderField(<CatalystDependencyChoice {...props({ use: 'existing' }, {})} />, fakeCatalystApi({}));
    expect(screen.getByText('Choose the Environment first.')).toBeInTheDocument();
  });

  it('offers the Applications of that Blueprint in the chosen Environment and sets the one chosen', async () => {
    const p = props({ use: 'existing' });
    await renderField(<CatalystDependencyChoice {...p} />, fakeCatalystApi({ listApplications: async () => apps }));
    fireEvent.mouseDown(await screen.findByRole('button'));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.textContent)).toEqual(['shared-postgres (bp-postgres @ 1.6.0)']);
    fireEvent.click(listbox.getByText('shared-postgres (bp-postgres @ 1.6.0)'));
    expect(p.onChange).toHaveBeenLastCalledWith({ use: 'existing', application: 'shared-postgres' });
  });

  describe('validation', () => {
    const api = fakeCatalystApi({ listApplications: async () => apps });
    it.each<[DependencyChoiceValue, string[]]>([
      [{ use: 'new' }, []],
      [{ use: 'new', name: 'site-db' }, []],
      [{ use: 'new', name: 'kube-db' }, [expect.stringContaining('is reserved')]],
      [{ use: 'existing' }, ['Choose the Application to use, or create a new one']],
      [{ use: 'existing', application: 'shared-postgres' }, []],
      [{ use: 'existing', application: 'blog' }, ['blog is not a bp-postgres Application in acme-dev']],
    ])('%j → %j', async (value, expected) => {
      const { field, context, errors } = validatorArgs(
        api,
        { environment: 'acme-dev', name: 'marketing-site' },
        options,
      );
      await catalystDependencyChoiceValidation(value, field as never, context);
      expect(errors).toEqual(expected);
    });
  });
});
