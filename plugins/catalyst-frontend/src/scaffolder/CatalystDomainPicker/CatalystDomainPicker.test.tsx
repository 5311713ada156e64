import { fireEvent, screen } from '@testing-library/react';
import type { ApplicationDetail } from '@internal/plugin-catalyst-common';
import {
  application,
  environment,
  fakeCatalystApi,
  fieldProps,
  pending,
  renderField,
  validatorArgs,
} from '../__testUtils__/fields';
import { CatalystDomainPicker, catalystDomainPickerValidation } from './CatalystDomainPicker';
import { organizationDomains } from './organizationDomains';

const detail = (name: string, env: string, values: Record<string, unknown>): ApplicationDetail => ({
  ...application(name, 'bp-wordpress', env),
  values,
  files: {},
});
const details: Record<string, ApplicationDetail> = {
  'acme-dev/blog': detail('blog', 'acme-dev', { domain: 'blog.acme.example', adminEmail: 'web@acme.example' }),
  'acme-dev/db': detail('db', 'acme-dev', { storage: '1Gi', databases: ['blog'] }),
  'acme-stg/www': detail('www', 'acme-stg', {
    domain: 'www.acme.example',
    nested: { adminHost: 'admin.acme.example', host: 'not a host' },
  }),
};
const api = fakeCatalystApi({
  listEnvironments: async () => [environment('acme-dev'), environment('acme-stg')],
  listApplications: async env =>
    env === 'acme-dev'
      ? [application('blog', 'bp-wordpress'), application('db', 'bp-postgres')]
      : [application('www', 'bp-static-site', 'acme-stg')],
  getApplication: async (env, app) => details[`${env}/${app}`],
});

describe('organizationDomains', () => {
  it("collects the host names the Organization's Applications use, each once, with who uses it", async () => {
    await expect(organizationDomains(api, 'acme')).resolves.toEqual([
      { domain: 'admin.acme.example', usedBy: 'www in acme-stg' },
      { domain: 'blog.acme.example', usedBy: 'blog in acme-dev' },
      { domain: 'www.acme.example', usedBy: 'www in acme-stg' },
    ]);
  });
});

describe('CatalystDomainPicker', () => {
  const props = (formData?: string) =>
    fieldProps<string>({ formData, schema: { title: 'Domain' }, wizard: { environment: 'acme-dev' } });

  it('shows that suggestions are loading', async () => {
    await renderField(<CatalystDomainPicker {...props()} />, fakeCatalystApi({ listEnvironments: pending }));
    fireEvent.mouseDown(screen.getByRole('textbox'));
    expect(await screen.findByText('Loading…')).toBeInTheDocument();
  });

  it('still takes a typed host name when suggestions cannot be loaded', async () => {
    const p = props();
    await renderField(
      <CatalystDomainPicker {...p} />,
      fakeCatalystApi({ listEnvironments: () => Promise.reject(new Error('down')) }),
    );
    expect(await screen.findByText('Type a host name (suggestions could not be loaded: down)')).toBeInTheDocument();
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'new.acme.example' } });
    expect(p.onChange).toHaveBeenLastCalledWith('new.acme.example');
  });

  it('asks for a host name when the Organization uses none yet', async () => {
    await renderField(<CatalystDomainPicker {...props()} />, fakeCatalystApi({ listEnvironments: async () => [] }));
    expect(await screen.findByText('Type a host name, e.g. www.example.com')).toBeInTheDocument();
  });

  it('suggests the domains already in use and sets the one chosen', async () => {
    const p = props();
    await renderField(<CatalystDomainPicker {...p} />, api);
    expect(await screen.findByText('Type a new host name or choose one acme already uses')).toBeInTheDocument();
    fireEvent.mouseDown(screen.getByRole('textbox'));
    fireEvent.click(await screen.findByText('blog.acme.example — used by blog in acme-dev'));
    expect(p.onChange).toHaveBeenLastCalledWith('blog.acme.example');
  });

  it('flags a value that is not a host name as it is shown', async () => {
    await renderField(
      <CatalystDomainPicker {...props('My Site')} />,
      fakeCatalystApi({ listEnvironments: async () => [] }),
    );
    expect(await screen.findByText('Use lower case')).toBeInTheDocument();
  });

  describe('validation', () => {
    it.each([
      ['www.acme.example', []],
      ['localhost', []],
      ['WWW.acme.example', ['Use lower case']],
      ['a..b', ['A host name has no empty parts (check the dots)']],
      [
        '-bad.acme.example',
        ['"-bad" is not a host name part: letters, digits and hyphens, not starting or ending with a hyphen'],
      ],
      [`${'a'.repeat(64)}.example`, [expect.stringContaining('is not a host name part')]],
    ])('%s → %j', (value, expected) => {
      const { field, context, errors } = validatorArgs(api);
      catalystDomainPickerValidation(value, field as never, context);
      expect(errors).toEqual(expected);
    });
  });
});
