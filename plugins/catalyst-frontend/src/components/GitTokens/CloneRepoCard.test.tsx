import { devEnvironment, prodEnvironment } from '../../__testUtils__/fixtures';
import { renderCatalyst } from '../../__testUtils__/fakes';
import { CloneRepoCard } from './CloneRepoCard';

describe('CloneRepoCard', () => {
  it("gives the Environment's clone URL on the Git surface, how to sign in, and where tokens are made", async () => {
    const { findByText, getByRole, findByTestId } = await renderCatalyst(
      <CloneRepoCard environment={devEnvironment} />,
    );
    expect(await findByText('git clone http://example.com/api/catalyst/git/acme/acme-dev.git')).toBeInTheDocument();
    expect(getByRole('button', { name: 'Manage Git tokens' })).toHaveAttribute(
      'href',
      '/catalyst/git-access?organization=acme&environment=acme-dev',
    );
    expect(await findByTestId('clone-rights')).toHaveTextContent('You may clone and push');
  });

  it('says a governed Environment takes pushes to branches as change requests', async () => {
    const { findByTestId } = await renderCatalyst(<CloneRepoCard environment={prodEnvironment} />);
    expect(await findByTestId('clone-rights')).toHaveTextContent(
      'acme-prod is governed: a push to main is refused; push a branch and it becomes a change request',
    );
  });

  it('says who may push to those who may only clone', async () => {
    // another Environment name: usePermission caches decisions per resource for the whole test file
    const uat = { ...devEnvironment, name: 'acme-uat' };
    const { findByTestId } = await renderCatalyst(<CloneRepoCard environment={uat} />, { allow: false });
    expect(await findByTestId('clone-rights')).toHaveTextContent(
      'You may clone it; pushing: Changing settings in acme-uat needs',
    );
  });

  it('sends people to the Git host when the repo lives there', async () => {
    const remote = { ...devEnvironment, repository: 'https://git.example.org/acme/acme-dev.git' };
    const { findByText, queryByRole } = await renderCatalyst(<CloneRepoCard environment={remote} />);
    expect(await findByText('git clone https://git.example.org/acme/acme-dev.git')).toBeInTheDocument();
    expect(await findByText(/lives on your Git host/)).toBeInTheDocument();
    expect(queryByRole('button', { name: 'Manage Git tokens' })).not.toBeInTheDocument();
  });
});
