import { renderInTestApp } from '@backstage/test-utils';
import { countByStatus, StatusCounts } from './StatusCounts';

describe('StatusCounts', () => {
  it('shows the statuses that occur with their counts', async () => {
    const counts = countByStatus([{ status: 'Running' }, { status: 'Running' }, { status: 'Degraded' }]);
    expect(counts).toEqual({ Running: 2, Degraded: 1 });
    const { getByTestId, queryByTestId } = await renderInTestApp(<StatusCounts counts={counts} />);
    expect(getByTestId('count-Running')).toHaveTextContent('2●Running');
    expect(getByTestId('count-Degraded')).toHaveTextContent('1◒Degraded');
    expect(queryByTestId('count-Failed')).not.toBeInTheDocument();
  });

  it('says when there is nothing to count', async () => {
    const { getByText } = await renderInTestApp(<StatusCounts counts={{}} />);
    expect(getByText('No Applications')).toBeInTheDocument();
  });
});
