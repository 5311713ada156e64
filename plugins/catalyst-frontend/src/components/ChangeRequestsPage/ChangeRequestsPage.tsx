import { Content, Header, Page } from '@backstage/core-components';
import { ChangeRequestsTable } from '../ChangeRequestsTable';
import { LiveIndicator } from '../LiveIndicator';

/** `/catalyst/change-requests`: the change requests of every Environment the person may read. */
export function ChangeRequestsPage() {
  return (
    <Page themeId="tool">
      <Header title="Change requests" subtitle="Changes waiting for the policies of governed Environments">
        <LiveIndicator />
      </Header>
      <Content>
        <ChangeRequestsTable />
      </Content>
    </Page>
  );
}
