import { fireEvent, screen, within } from '@testing-library/react';
import { application, fakeCatalystApi, fieldProps, pending, renderField, validatorArgs } from '../__testUtils__/fields';
import {
  CatalystApplicationRefPicker,
  CatalystApplicationRefPickerOptions,
  catalystApplicationRefPickerValidation,
} from './CatalystApplicationRefPicker';

const filter: CatalystApplicationRefPickerOptions = { blueprint: 'bp-postgres', environment: 'current' };
const apps = [
  application('shared-postgres', 'bp-postgres'),
  application('blog', 'bp-wordpress', 'acme-dev', '1.4.0'),
  application('analytics-db', 'bp-postgres', 'acme-dev', '1.5.0'),
];
const props = (p: Partial<Parameters<typeof fieldProps<string, CatalystApplicationRefPickerOptions>>[0]> = {}) =>
  fieldProps<string, CatalystApplicationRefPickerOptions>({
    uiOptions: filter,
    wizard: { environment: 'acme-dev' },
    ...p,
  });

describe('CatalystApplicationRefPicker', () => {
  it('asks for the Environment first when none is chosen yet', async () => {
    await renderField(<CatalystApplicationRefPicker {...props({ wizard: {} })} />, fakeCatalystApi({}));
    expect(
      screen.getByText('Choose the Environment first: the bp-postgres Application must be in it.'),
    ).toBeInTheDocument();
  });

  it('shows progress while the Applications load', async () => {
    await renderField(<CatalystApplicationRefPicker {...props()} />, fakeCatalystApi({ listApplications: pending }));
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
  });

  it('says why when the Applications cannot be loaded', async () => {
    await renderField(
      <CatalystApplicationRefPicker {...props()} />,
      fakeCatalystApi({ listApplications: () => Promise.reject(new Error('forbidden')) }),
    );
    expect(await screen.findByText('Could not load the Applications of acme-dev: forbidden')).toBeInTheDocument();
  });

  it('says there is no matching Application in the Environment', async () => {
    await renderField(
      <CatalystApplicationRefPicker {...props()} />,
      fakeCatalystApi({ listApplications: async () => [application('blog', 'bp-wordpress')] }),
    );
    expect(await screen.findByText(/There is no bp-postgres Application in acme-dev yet/)).toBeInTheDocument();
  });

  it("lists only the filter's Blueprint's Applications of the chosen Environment, and sets the choice", async () => {
    const listApplications = jest.fn(async () => apps);
    const p = props({ schema: { title: 'The PostgreSQL Application to use' } });
    await renderField(<CatalystApplicationRefPicker {...p} />, fakeCatalystApi({ listApplications }));
    fireEvent.mouseDown(await screen.findByRole('button'));
    const listbox = within(await screen.findByRole('listbox'));
    expect(listbox.getAllByRole('option').map(o => o.getAttribute('data-testid'))).toEqual([
      'application-option-analytics-db',
      'application-option-shared-postgres',
    ]);
    expect(listbox.getByText('bp-postgres @ 1.5.0')).toBeInTheDocument();
    fireEvent.click(listbox.getByText('shared-postgres'));
    expect(p.onChange).toHaveBeenCalledWith('shared-postgres');
    expect(listApplications).toHaveBeenCalledWith('acme-dev');
  });

  it('uses the Environment the filter names instead of the chosen one', async () => {
    const listApplications = jest.fn(async () => apps);
    await renderField(
      <CatalystApplicationRefPicker {...props({ uiOptions: { blueprint: 'bp-postgres', environment: 'acme-stg' } })} />,
      fakeCatalystApi({ listApplications }),
    );
    await screen.findByRole('button');
    expect(listApplications).toHaveBeenCalledWith('acme-stg');
  });

  describe('validation', () => {
    const api = fakeCatalystApi({ listApplications: async () => apps });
    it.each([
      ['shared-postgres', []],
      ['blog', ['blog is not a bp-postgres Application in acme-dev']],
      ['gone', ['gone is not a bp-postgres Application in acme-dev']],
    ])('%s → %j', async (value, expected) => {
      const { field, context, errors } = validatorArgs(api, { environment: 'acme-dev' }, filter);
      await catalystApplicationRefPickerValidation(value, field as never, context);
      expect(errors).toEqual(expected);
    });
  });
});
