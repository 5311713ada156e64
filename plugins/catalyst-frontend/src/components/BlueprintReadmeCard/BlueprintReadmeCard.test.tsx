import { fireEvent } from '@testing-library/react';
import { staticSiteDetail } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { BlueprintReadmeCard } from './BlueprintReadmeCard';

describe('BlueprintReadmeCard', () => {
  it('renders the latest README as markdown and switches versions', async () => {
    const { getByText, getByRole, findByText, queryByText } = await renderCatalyst(
      <BlueprintReadmeCard blueprint={staticSiteDetail} />,
    );
    expect(getByText('one page').tagName).toBe('STRONG');
    fireEvent.mouseDown(getByRole('button', { name: /1.2.0 \(latest\)/ }));
    fireEvent.click(await findByText('1.0.0', { selector: 'li' }));
    expect(await findByText('Version one.')).toBeInTheDocument();
    expect(queryByText('one page')).not.toBeInTheDocument();
    expect(getByText('Sizes: small, medium, large')).toBeInTheDocument();
  });

  it('says when a version has no README', async () => {
    const b = {
      ...staticSiteDetail,
      versionDetails: staticSiteDetail.versionDetails.map(v => ({ ...v, readme: undefined })),
    };
    const { getByText } = await renderCatalyst(<BlueprintReadmeCard blueprint={b} />);
    expect(getByText('This version has no README.')).toBeInTheDocument();
  });
});
