import { waitFor } from '@testing-library/react';
import { devEnvironment, governedProdEnvironment, prodEnvironment, view } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { applyLiveEntries, emptyLiveEnvironment } from '../../live/liveEnvironment';
import { EnvironmentOverviewCard } from './EnvironmentOverviewCard';

describe('EnvironmentOverviewCard', () => {
  it('says the policy in words and links Install to the marketplace for this Environment', async () => {
    const { getByTestId, getByRole, getByText } = await renderCatalyst(
      <EnvironmentOverviewCard environment={prodEnvironment} />,
      {
        allow: true,
      },
    );
    expect(getByText('Environment: acme-prod')).toBeInTheDocument();
    expect(getByTestId('policy-in-words')).toHaveTextContent(
      'Changes need approval from team-platform and team-security; must soak 24h in acme-stg',
    );
    expect(getByText('Governed')).toBeInTheDocument();
    // acme-prod's overview says canInstall: false (governed), so Install is disabled, saying why
    expect(getByRole('button', { name: 'Install' })).toHaveAttribute('aria-disabled', 'true');
    expect(getByRole('button', { name: 'Install' })).toHaveAttribute(
      'title',
      'acme-prod is governed by its EnvironmentPolicy: changes arrive as change requests, not directly',
    );
  });

  it('enables Install where the user may install, and shows live counts and the last change', async () => {
    const live = applyLiveEntries(
      emptyLiveEnvironment('acme-dev'),
      {
        put: {
          'application.a': view('a', 'Running'),
          'application.b': view('b', 'Failed'),
          'environment.summary': {
            lastCommit: {
              sha: 'x',
              author: 'layla',
              message: 'Configure a\n\nbody',
              time: '2026-11-23T10:00:00Z',
              applications: ['a'],
              touchesPolicies: false,
            },
          },
        },
        delete: [],
      },
      true,
    );
    const now = () => Date.parse('2026-11-23T12:00:00Z');
    const { getByRole, getByTestId, getByText } = await renderCatalyst(
      <EnvironmentOverviewCard environment={devEnvironment} live={live} now={now} />,
    );
    expect(getByRole('button', { name: 'Install' })).toHaveAttribute(
      'href',
      '/catalyst/marketplace?environment=acme-dev',
    );
    expect(getByTestId('count-Failed')).toHaveTextContent('1');
    expect(getByText(/^Configure a — layla/)).toHaveTextContent('Configure a — layla, 2 hours ago');
    expect(getByTestId('policy-in-words')).toHaveTextContent('No EnvironmentPolicy rules');
  });

  it('disables Install for users without the install permission', async () => {
    // another Environment name: usePermission caches decisions per resource for the whole test file
    const uat = { ...devEnvironment, name: 'acme-uat', envType: 'uat' };
    const { getByRole } = await renderCatalyst(<EnvironmentOverviewCard environment={uat} />, { allow: false });
    expect(getByRole('button', { name: 'Install' })).toHaveAttribute('aria-disabled', 'true');
    // who may install, from the role table the server's policy uses
    await waitFor(() =>
      expect(getByRole('button', { name: 'Install' })).toHaveAttribute(
        'title',
        'Installing in acme-uat needs org-admin or org-developer on acme (catalyst.install)',
      ),
    );
  });

  it('in a governed Environment: Install opens a change request, the freeze switch and the waiting requests', async () => {
    const stg = { ...governedProdEnvironment, name: 'acme-gov' };
    const { getByRole, getByTestId } = await renderCatalyst(<EnvironmentOverviewCard environment={stg} />, {
      allow: true,
    });
    await waitFor(() => expect(getByRole('button', { name: 'Install' })).not.toHaveAttribute('aria-disabled', 'true'));
    expect(getByRole('button', { name: 'Install' })).toHaveAttribute(
      'title',
      'Installing in acme-gov opens a change request for its EnvironmentPolicy',
    );
    expect(getByTestId('environment-freeze')).toBeInTheDocument();
    expect(getByTestId('open-change-requests')).toHaveTextContent('1 waiting');
  });

  it('has no freeze switch and no change requests where no policy governs', async () => {
    const { queryByTestId, getByText } = await renderCatalyst(<EnvironmentOverviewCard environment={devEnvironment} />);
    expect(getByText('Environment: acme-dev')).toBeInTheDocument();
    expect(queryByTestId('environment-freeze')).toBeNull();
    expect(queryByTestId('open-change-requests')).toBeNull();
  });
});
