import { fireEvent, waitFor, within } from '@testing-library/react';
import { governedProdEnvironment } from '../../__testUtils__/fixtures';
import { fakeCatalystApi, renderCatalyst } from '../../__testUtils__/fakes';
import { EnvironmentFreeze } from './EnvironmentFreeze';

const now = () => Date.parse('2026-11-23T12:00:00Z');

describe('EnvironmentFreeze', () => {
  it('freezes with a reason, then lifts the freeze', async () => {
    const api = fakeCatalystApi({
      freezeEnvironment: async (environment, body) => ({
        environment,
        frozen: true,
        reason: body.reason,
        by: 'user:default/sam',
        since: '2026-11-23T12:00:00Z',
      }),
      liftFreeze: async environment => ({ environment, frozen: false }),
    });
    const { findByRole, getByRole, getByTestId } = await renderCatalyst(
      <EnvironmentFreeze environment={governedProdEnvironment} now={now} />,
      { api },
    );
    const toggle = await findByRole('checkbox', { name: 'Freeze' });
    await waitFor(() => expect(toggle).toBeEnabled());
    expect(getByTestId('freeze-state')).toHaveTextContent('Change requests merge when their rules pass.');
    fireEvent.click(toggle);
    const dialog = getByRole('dialog');
    expect(within(dialog).getByRole('button', { name: 'Freeze' })).toBeDisabled();
    fireEvent.change(within(dialog).getByLabelText('Reason'), { target: { value: 'INC-7: database failover' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Freeze' }));
    await waitFor(() =>
      expect(api.freezeEnvironment).toHaveBeenCalledWith('acme-prod', { reason: 'INC-7: database failover' }),
    );
    await waitFor(() => expect(getByTestId('environment-freeze')).toHaveAttribute('data-frozen', 'true'));
    expect(getByTestId('freeze-state')).toHaveTextContent(
      'No change request merges — frozen by sam just now: INC-7: database failover',
    );
    // the closing dialog hides the page from the accessibility tree until it is gone
    fireEvent.click(await findByRole('checkbox', { name: 'Freeze' }));
    await waitFor(() => expect(api.liftFreeze).toHaveBeenCalledWith('acme-prod'));
    await waitFor(() => expect(getByTestId('environment-freeze')).toHaveAttribute('data-frozen', 'false'));
  });

  it('shows a freeze set earlier, and who may lift it to those who may not', async () => {
    // another Environment name: usePermission caches decisions per resource for the whole test file
    const frozen = {
      ...governedProdEnvironment,
      name: 'acme-uat',
      freeze: { reason: 'quarter close', by: 'user:default/sam', since: '2026-11-23T10:00:00Z' },
    };
    const { findByTestId, getByRole } = await renderCatalyst(<EnvironmentFreeze environment={frozen} now={now} />, {
      allow: false,
    });
    expect(await findByTestId('freeze-refusal')).toHaveTextContent(
      'Freezing acme-uat needs org-admin or security-officer on acme (catalyst.freeze)',
    );
    expect(getByRole('checkbox', { name: 'Freeze' })).toBeDisabled();
    expect(getByRole('checkbox', { name: 'Freeze' })).toBeChecked();
    expect(await findByTestId('freeze-state')).toHaveTextContent('frozen by sam 2 hours ago: quarter close');
  });

  it('explains a refusal by its error code', async () => {
    const api = fakeCatalystApi({
      freezeEnvironment: () =>
        Promise.reject(
          Object.assign(new Error('Request failed with 403'), {
            statusCode: 403,
            body: { error: { name: 'NotAllowedError', message: 'no', code: 'not-allowed', environment: 'acme-prod' } },
          }),
        ),
    });
    const { findByRole, getByRole, findByTestId } = await renderCatalyst(
      <EnvironmentFreeze environment={governedProdEnvironment} now={now} />,
      { api },
    );
    const toggle = await findByRole('checkbox', { name: 'Freeze' });
    await waitFor(() => expect(toggle).toBeEnabled());
    fireEvent.click(toggle);
    fireEvent.change(within(getByRole('dialog')).getByLabelText('Reason'), { target: { value: 'x' } });
    fireEvent.click(within(getByRole('dialog')).getByRole('button', { name: 'Freeze' }));
    expect(await findByTestId('freeze-failed')).toHaveTextContent(
      'Freezing acme-prod needs org-admin or security-officer on acme (catalyst.freeze)',
    );
  });
});
