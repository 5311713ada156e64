import { postgresApplication, siteApplication, view } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { ApplicationCard } from './ApplicationCard';

describe('ApplicationCard', () => {
  it('shows the Blueprint, the status with its reason, pods and dependency links', async () => {
    const { getByText, getByRole, getByTestId } = await renderCatalyst(
      <ApplicationCard
        environment="acme-dev"
        application={{
          name: 'site',
          summary: siteApplication,
          view: view('site', 'Updating', {
            version: '1.1.0',
            targetVersion: '1.2.0',
            reason: 'rolling out web: 1/2 updated',
            pods: { ready: 1, total: 2 },
          }),
          usedBy: [],
        }}
      />,
    );
    expect(getByRole('link', { name: 'site' })).toHaveAttribute('href', '/catalog/acme-dev/application/site');
    expect(getByText('bp-static-site @ 1.1.0 → 1.2.0')).toBeInTheDocument();
    expect(getByTestId('application-status')).toHaveTextContent('Updating');
    expect(getByText('1 / 2 pods · rolling out web: 1/2 updated')).toBeInTheDocument();
    expect(getByRole('link', { name: 'site-postgres' })).toHaveAttribute(
      'href',
      '/catalog/acme-dev/application/site-postgres',
    );
  });

  it('lists who uses a backing service', async () => {
    const { getByText, getByRole } = await renderCatalyst(
      <ApplicationCard
        environment="acme-dev"
        showUsedBy
        application={{ name: 'site-postgres', summary: postgresApplication, usedBy: ['blog', 'site'] }}
      />,
    );
    expect(getByText(/Used by:/)).toHaveTextContent('Used by: blog, site');
    expect(getByRole('link', { name: 'blog' })).toHaveAttribute('href', '/catalog/acme-dev/application/blog');
    expect(getByText('bp-postgres @ 1.6.0')).toBeInTheDocument();
  });

  it('says the status is unknown before the read model has the Application', async () => {
    const { getByTestId } = await renderCatalyst(
      <ApplicationCard environment="acme-dev" application={{ name: 'site', summary: siteApplication, usedBy: [] }} />,
    );
    expect(getByTestId('application-status')).toHaveTextContent('Status unknown');
  });

  it('links the change requests it waits for', async () => {
    const { getByTestId, getByRole } = await renderCatalyst(
      <ApplicationCard
        environment="acme-prod"
        application={{
          name: 'site',
          view: view('site', 'Pending approval', { openChangeRequests: ['cr-7'] }),
          usedBy: [],
        }}
      />,
    );
    expect(getByTestId('application-status')).toHaveTextContent('Pending approval');
    expect(getByTestId('application-card-pending')).toHaveTextContent('Waiting for cr-7');
    expect(getByRole('link', { name: 'cr-7' })).toHaveAttribute('href', '/catalyst/change-requests/cr-7');
  });
});
