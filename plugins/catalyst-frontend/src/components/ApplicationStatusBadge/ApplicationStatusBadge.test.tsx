import { renderInTestApp } from '@backstage/test-utils';
import { APPLICATION_STATUSES } from '@internal/plugin-catalyst-common';
import { lightTheme } from '@backstage/theme';
import { ApplicationStatusBadge, isApplicationStatus, statusColours } from './ApplicationStatusBadge';

describe('ApplicationStatusBadge', () => {
  it.each(APPLICATION_STATUSES.map(s => [s]))('labels %s with its own glyph', async status => {
    const { getByTestId } = await renderInTestApp(<ApplicationStatusBadge status={status} />);
    const badge = getByTestId('application-status');
    expect(badge).toHaveTextContent(status);
    expect(badge).toHaveAttribute('data-status', status);
  });

  it.each([
    ['Running', 'ok'],
    ['Installing', 'progress'],
    ['Updating', 'progress'],
    ['Degraded', 'warning'],
    ['Failed', 'error'],
    ['Paused', 'paused'],
    ['Pending approval', 'approval'],
  ] as const)('paints %s in the %s colour (green, blue, amber, red, grey, purple)', async (status, tone) => {
    const { getByTestId } = await renderInTestApp(<ApplicationStatusBadge status={status} />);
    expect(getByTestId('application-status')).toHaveAttribute('data-tone', tone);
  });

  it('uses a distinct colour per tone in the light theme', () => {
    expect(new Set(Object.values(statusColours(lightTheme))).size).toBe(7);
  });

  it('says when the status is not known yet', async () => {
    const { getByTestId } = await renderInTestApp(<ApplicationStatusBadge status={undefined} />);
    expect(getByTestId('application-status')).toHaveTextContent('Status unknown');
  });

  it('recognises the seven status values only', () => {
    expect(isApplicationStatus('Running')).toBe(true);
    expect(isApplicationStatus('running')).toBe(false);
    expect(isApplicationStatus(undefined)).toBe(false);
  });
});
