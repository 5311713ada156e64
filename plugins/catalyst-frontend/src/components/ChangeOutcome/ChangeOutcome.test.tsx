import type { ChangeResponse } from '@internal/plugin-catalyst-common';
import { siteHistory } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { ChangeOutcome } from './ChangeOutcome';

const commit: ChangeResponse = {
  action: 'promote',
  environment: 'acme-stg',
  commit: { ...siteHistory[0], sha: 'e'.repeat(40), subject: 'Promote site from acme-dev' },
  applications: ['site'],
  replayed: false,
  changed: true,
};

describe('ChangeOutcome', () => {
  it('links a commit to the Application’s History on that commit (201)', async () => {
    const { getByTestId, getByRole } = await renderCatalyst(<ChangeOutcome result={commit} done="Copied site" />);
    expect(getByTestId('change-outcome')).toHaveTextContent('Copied site as commit eeeeeee in acme-stg: Promote site');
    expect(getByRole('link', { name: 'eeeeeee' })).toHaveAttribute(
      'href',
      `/catalyst/applications/acme-stg/site/history?commit=${'e'.repeat(40)}`,
    );
  });

  it('links the change request a governed Environment opened (202)', async () => {
    const result = {
      ...commit,
      environment: 'acme-prod',
      changeRequest: { id: 'cr-7', number: 7, state: 'open' as const, merged: false },
    };
    const { getByTestId, getByRole } = await renderCatalyst(<ChangeOutcome result={result} done="Copied site" />);
    expect(getByTestId('change-outcome')).toHaveTextContent(
      'Copied site as change request cr-7: acme-prod is governed, so it waits for the approvals and rules of its policy.',
    );
    expect(getByRole('link', { name: 'change request cr-7' })).toHaveAttribute(
      'href',
      '/catalyst/change-requests/cr-7',
    );
  });

  it('says when the change request merged at once', async () => {
    const result = {
      ...commit,
      environment: 'acme-prod',
      changeRequest: { id: 'cr-8', number: 8, state: 'merged' as const, merged: true },
    };
    const { getByTestId } = await renderCatalyst(<ChangeOutcome result={result} done="Copied site" />);
    expect(getByTestId('change-outcome')).toHaveTextContent('merged at once');
  });

  it('says when nothing changed', async () => {
    const { getByTestId } = await renderCatalyst(
      <ChangeOutcome result={{ ...commit, changed: false, replayed: true }} done="Copied site" />,
    );
    expect(getByTestId('change-outcome')).toHaveTextContent('Nothing changed: acme-stg already has it.');
  });
});
