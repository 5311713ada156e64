import { applicationEntity } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { CatalystEntityGuard } from './CatalystEntityGuard';

describe('CatalystEntityGuard', () => {
  it('passes the Catalyst names of the entity', async () => {
    const { getByText } = await renderCatalyst(
      <CatalystEntityGuard>{n => `${n.environment}/${n.application}`}</CatalystEntityGuard>,
      { entity: applicationEntity },
    );
    expect(getByText('acme-dev/site')).toBeInTheDocument();
  });

  it('shows the missing-annotation state for an entity without them', async () => {
    const { getByText, queryByText } = await renderCatalyst(
      <CatalystEntityGuard>{() => 'content'}</CatalystEntityGuard>,
      {
        entity: { ...applicationEntity, metadata: { name: 'site', annotations: {} } },
      },
    );
    expect(getByText('catalyst.openova.io/application', { selector: 'code' })).toBeInTheDocument();
    expect(queryByText('content')).not.toBeInTheDocument();
  });
});
