import { renderInTestApp } from '@backstage/test-utils';
import { APPLICATION_STATUSES } from '@internal/plugin-catalyst-common';
import { lightTheme } from '@backstage/theme';
import { ApplicationStatusBadge, isApplicationStatus, statusColours } from './ApplicationStatusBadge';

describe('ApplicationStatusBadge', () => {
  /** The glyph in front of the label (hidden from screen readers, which read the label). */
  const glyphOf = (badge: HTMLElement) => {
    const glyph = badge.querySelector('[aria-hidden="true"]');
    expect(glyph).not.toBeNull();
    return glyph!.textContent ?? '';
  };

  it.each(APPLICATION_STATUSES.map(s => [s]))('labels %s with its own glyph', async status => {
    const { getByTestId } = await renderInTestApp(<ApplicationStatusBadge status={status} />);
    const badge = getByTestId('application-status');
    expect(badge).toHaveAttribute('data-status', status);
    const glyph = glyphOf(badge);
    expect(glyph).toMatch(/^\S$/u);
    // the label is the text after the glyph, so the status reads the same without colour
    expect(badge.textContent).toBe(`${glyph}${status}`);
  });

  it('gives each status a glyph no other status has, and the unknown status another one', async () => {
    const { getAllByTestId } = await renderInTestApp(
      <>
        {APPLICATION_STATUSES.map(status => (
          <ApplicationStatusBadge key={status} status={status} />
        ))}
        <ApplicationStatusBadge status={undefined} />
      </>,
    );
    const glyphs = getAllByTestId('application-status').map(glyphOf);
    expect(glyphs).toHaveLength(APPLICATION_STATUSES.length + 1);
    expect(new Set(glyphs).size).toBe(glyphs.length);
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
