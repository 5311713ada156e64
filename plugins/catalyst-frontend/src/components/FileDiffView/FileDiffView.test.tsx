import { renderInTestApp } from '@backstage/test-utils';
import { within } from '@testing-library/react';
import { FileDiffView } from './FileDiffView';

describe('FileDiffView', () => {
  it('shows each changed file with its hunks and marked lines', async () => {
    const { getByTestId } = await renderInTestApp(
      <FileDiffView
        files={[
          {
            path: 'values.yaml',
            change: 'modified',
            before: 'replicas: 1\ndomain: a\n',
            after: 'replicas: 2\ndomain: a\n',
          },
          { path: 'new.yaml', change: 'added', after: 'kind: X\n' },
        ]}
      />,
    );
    const values = getByTestId('diff-values.yaml');
    expect(within(values).getByText('modified')).toBeInTheDocument();
    expect(within(values).getByText('@@ -1,2 +1,2 @@')).toBeInTheDocument();
    const rows = values.querySelectorAll('tr[data-op]');
    expect([...rows].map(r => `${r.getAttribute('data-op')}|${r.lastElementChild!.textContent}`)).toEqual([
      '-|-replicas: 1',
      '+|+replicas: 2',
      ' | domain: a',
    ]);
    expect(within(getByTestId('diff-new.yaml')).getByText('added')).toBeInTheDocument();
  });

  it('says when nothing differs', async () => {
    const { getByText } = await renderInTestApp(<FileDiffView files={[]} emptyText="Same files." />);
    expect(getByText('Same files.')).toBeInTheDocument();
  });
});
