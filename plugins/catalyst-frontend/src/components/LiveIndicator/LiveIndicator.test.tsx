import { act } from '@testing-library/react';
import { FakeLiveApi, renderCatalyst } from '../../__testUtils__/fakes';
import { LiveIndicator } from './LiveIndicator';

describe('LiveIndicator', () => {
  it('shows Live while the stream is up and Reconnecting after a drop, without a reload', async () => {
    const live = new FakeLiveApi('connecting');
    const { getByTestId } = await renderCatalyst(<LiveIndicator />, { live });
    expect(getByTestId('live-indicator')).toHaveTextContent('Connecting…');
    act(() => live.setConnection('live'));
    expect(getByTestId('live-indicator')).toHaveTextContent('Live');
    act(() => live.setConnection('reconnecting'));
    expect(getByTestId('live-indicator')).toHaveTextContent('Reconnecting…');
    expect(getByTestId('live-indicator')).toHaveAttribute('data-state', 'reconnecting');
  });
});
