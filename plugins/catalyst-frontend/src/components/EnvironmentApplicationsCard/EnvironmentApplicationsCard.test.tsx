import { fireEvent, within } from '@testing-library/react';
import { blogApplication, postgresApplication, siteApplication, view } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { applyLiveEntries, emptyLiveEnvironment } from '../../live/liveEnvironment';
import { EnvironmentApplicationsCard } from './EnvironmentApplicationsCard';

const categoryOf = (b: string) =>
  (({ 'bp-static-site': 'web', 'bp-postgres': 'database' } as Record<string, string>)[b]);
const liveWith = (...views: ReturnType<typeof view>[]) =>
  applyLiveEntries(
    emptyLiveEnvironment('acme-dev'),
    { put: Object.fromEntries(views.map(v => [`application.${v.name}`, v])), delete: [] },
    true,
  );

describe('EnvironmentApplicationsCard', () => {
  it('groups Applications by live status with counts and reasons, and backing services with their users', async () => {
    const live = liveWith(
      view('site', 'Running'),
      view('blog', 'Degraded', { reason: '2/3 pods, restart pending' }),
      view('site-postgres', 'Running'),
    );
    const { getByTestId } = await renderCatalyst(
      <EnvironmentApplicationsCard
        environment="acme-dev"
        applications={[siteApplication, blogApplication, postgresApplication]}
        live={live}
        categoryOf={categoryOf}
      />,
    );
    expect(getByTestId('section-Running')).toHaveTextContent('Running(1)');
    expect(within(getByTestId('section-Running')).getByTestId('application-card-site')).toBeInTheDocument();
    expect(getByTestId('section-Degraded')).toHaveTextContent('Degraded(1)');
    expect(getByTestId('section-Degraded')).toHaveTextContent('2/3 pods, restart pending');
    const backing = getByTestId('section-backing');
    expect(backing).toHaveTextContent('Backing services (1)');
    expect(backing).toHaveTextContent('Used by: blog, site');
  });

  it('shows Applications the read side has not seen yet apart', async () => {
    const { getByTestId } = await renderCatalyst(
      <EnvironmentApplicationsCard
        environment="acme-dev"
        applications={[blogApplication]}
        live={liveWith()}
        categoryOf={categoryOf}
      />,
    );
    expect(getByTestId('section-unknown')).toHaveTextContent('Not yet seen by the read side (1)');
  });

  it('filters by name and says when nothing matches', async () => {
    const { getByLabelText, queryByTestId, getByText } = await renderCatalyst(
      <EnvironmentApplicationsCard
        environment="acme-dev"
        applications={[siteApplication, blogApplication]}
        live={liveWith(view('site', 'Running'), view('blog', 'Running'))}
        categoryOf={categoryOf}
      />,
    );
    fireEvent.change(getByLabelText('Filter'), { target: { value: 'blo' } });
    expect(queryByTestId('application-card-site')).not.toBeInTheDocument();
    expect(queryByTestId('application-card-blog')).toBeInTheDocument();
    fireEvent.change(getByLabelText('Filter'), { target: { value: 'zzz' } });
    expect(getByText('No Application matches')).toBeInTheDocument();
  });

  it('says when the Environment has no Applications', async () => {
    const { getByText } = await renderCatalyst(
      <EnvironmentApplicationsCard
        environment="acme-dev"
        applications={[]}
        live={liveWith()}
        categoryOf={categoryOf}
      />,
    );
    expect(getByText('No Applications yet')).toBeInTheDocument();
  });
});
