import { act } from '@testing-library/react';
import { view } from '../../__testUtils__/fixtures';
import { FakeLiveApi, renderCatalyst } from '../../__testUtils__/fakes';
import { emptyLiveEnvironment } from '../../live/liveEnvironment';
import { ApplicationEvents, eventKind } from './ApplicationEvents';

const now = () => Date.parse('2026-11-23T12:00:00Z');
const entry = (id: string, summary: string, time: string, type = 'io.catalyst.application.configured') => ({
  id,
  type,
  time,
  summary,
  actor: 'user:default/layla',
});

describe('ApplicationEvents', () => {
  it('shows progress until the live snapshot arrives', async () => {
    const { getByTestId } = await renderCatalyst(<ApplicationEvents environment="acme-dev" application="site" />, {
      live: new FakeLiveApi(),
    });
    expect(getByTestId('progress')).toBeInTheDocument();
  });

  it('says why live events are not available', async () => {
    const live = new FakeLiveApi();
    const refused = { ...emptyLiveEnvironment('acme-dev'), error: 'Not allowed to read Environment acme-dev' };
    jest.spyOn(live, 'getEnvironment').mockReturnValue(refused);
    const { getByText } = await renderCatalyst(<ApplicationEvents environment="acme-dev" application="site" />, {
      live,
    });
    expect(getByText('Not allowed to read Environment acme-dev')).toBeInTheDocument();
  });

  it('says when there are no events yet', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', { applications: [view('site', 'Installing')] });
    const { getByText } = await renderCatalyst(<ApplicationEvents environment="acme-dev" application="site" />, {
      live,
    });
    expect(getByText('No events yet')).toBeInTheDocument();
  });

  it('lists the recent events and adds new ones as they arrive', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', {
      activity: {
        site: [
          entry(
            'e1',
            'Installed site (bp-static-site 1.2.0)',
            '2026-11-23T11:00:00Z',
            'io.catalyst.application.installed',
          ),
        ],
      },
    });
    const { getByText, getAllByRole } = await renderCatalyst(
      <ApplicationEvents environment="acme-dev" application="site" now={now} />,
      { live },
    );
    expect(getByText('Installed site (bp-static-site 1.2.0)')).toBeInTheDocument();
    expect(getByText('1 hour ago')).toBeInTheDocument();
    expect(getByText('application installed')).toBeInTheDocument();
    expect(getByText('layla')).toBeInTheDocument();
    act(() =>
      live.set('acme-dev', {
        activity: {
          site: [
            entry('e2', 'Configured site', '2026-11-23T11:59:50Z'),
            entry('e1', 'Installed site (bp-static-site 1.2.0)', '2026-11-23T11:00:00Z'),
          ],
        },
      }),
    );
    expect(getByText('Configured site')).toBeInTheDocument();
    expect(getAllByRole('row')).toHaveLength(3);
  });

  it('shows a short list on the Overview', async () => {
    const live = new FakeLiveApi();
    live.set('acme-dev', {
      activity: {
        site: [
          entry('e3', 'Configured site again', '2026-11-23T11:59:50Z'),
          entry('e2', 'Configured site', '2026-11-23T11:30:00Z'),
          entry('e1', 'Installed site', '2026-11-23T11:00:00Z', 'io.catalyst.application.installed'),
        ],
      },
    });
    const { getByText, queryByText, queryByRole } = await renderCatalyst(
      <ApplicationEvents environment="acme-dev" application="site" now={now} limit={2} />,
      { live },
    );
    expect(getByText('Configured site again')).toBeInTheDocument();
    expect(getByText('just now · application configured · by layla')).toBeInTheDocument();
    expect(queryByText('Installed site')).not.toBeInTheDocument();
    expect(queryByRole('table')).not.toBeInTheDocument();
  });

  it.each([
    ['io.catalyst.application.rolled-back', 'application rolled back'],
    ['io.catalyst.git.commit', 'git commit'],
  ])('names %s', (type, expected) => expect(eventKind(type)).toBe(expected));
});
