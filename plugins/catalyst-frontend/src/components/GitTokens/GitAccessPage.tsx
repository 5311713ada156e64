import { Content, Header, Page } from '@backstage/core-components';
import { useSearchParams } from 'react-router-dom';
import { GitTokensCard } from './GitTokensCard';

/**
 * `/catalyst/git-access`: the person's Git tokens. An Environment page's "Manage Git tokens" adds
 * `?organization=<org>&environment=<env>`, which preselect the new token's Organization and clone example.
 */
export function GitAccessPage() {
  const [params] = useSearchParams();
  return (
    <Page themeId="tool">
      <Header
        title="Git access"
        subtitle="Clone and push Environment repos and shared Blueprints with git, as yourself"
      />
      <Content>
        <GitTokensCard
          organization={params.get('organization') ?? undefined}
          environment={params.get('environment') ?? undefined}
        />
      </Content>
    </Page>
  );
}
