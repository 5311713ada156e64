import {
  Content,
  ContentHeader,
  EmptyState,
  Header,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Chip, Typography } from '@material-ui/core';
import { CATALYST_ENTITY_KINDS, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { useCatalystEnvironments } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironments } from '../../hooks/useCatalystLive';
import { LiveEnvironment } from '../../live/liveEnvironment';
import { describePolicy } from '../../utils/describePolicy';
import { LiveIndicator } from '../LiveIndicator';
import { countByStatus, StatusCounts } from '../StatusCounts';

interface Row {
  environment: EnvironmentOverview;
  live?: LiveEnvironment;
  id: string;
}

/** Every Environment the user may read, with live status counts (one stream for all of them). */
export function EnvironmentsContent() {
  const { environments, loading, error } = useCatalystEnvironments();
  const names = (environments ?? []).map(e => e.name);
  const { environments: live } = useCatalystLiveEnvironments(names);
  const entityRoute = useRouteRef(entityRouteRef);

  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !environments) return <Progress />;
  if (environments.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No Environments"
        description="You may not read any Environment yet. An org-admin creates Environments and grants roles in them."
      />
    );
  }

  const columns: TableColumn<Row>[] = [
    {
      title: 'Environment',
      field: 'id',
      render: ({ environment: e }) => (
        <Link
          to={entityRoute({
            kind: CATALYST_ENTITY_KINDS.environment.toLocaleLowerCase('en-US'),
            namespace: e.organization,
            name: e.name,
          })}
        >
          {e.name}
        </Link>
      ),
    },
    { title: 'Organization', render: ({ environment: e }) => e.organization },
    { title: 'Type', render: ({ environment: e }) => e.envType },
    {
      title: 'Applications',
      render: ({ environment: e, live: l }) =>
        l?.ready ? (
          <StatusCounts counts={countByStatus(Object.values(l.applications))} />
        ) : (
          `${e.applicationCount} (status loading)`
        ),
    },
    {
      title: 'Policy',
      render: ({ environment: e }) => (
        <>
          {e.governed && <Chip size="small" label="Governed" style={{ marginRight: 8 }} />}
          <Typography variant="body2" component="span">
            {describePolicy(e.policy?.rules)}
          </Typography>
        </>
      ),
    },
  ];

  return (
    <Table<Row>
      title="Environments"
      options={{ paging: false, search: false, padding: 'dense' }}
      columns={columns}
      data={environments.map(e => ({ environment: e, live: live[e.name], id: e.name }))}
    />
  );
}

export function EnvironmentsPage() {
  return (
    <Page themeId="home">
      <Header title="Environments" subtitle="Where your Applications run" />
      <Content>
        <ContentHeader title="">
          <LiveIndicator />
        </ContentHeader>
        <EnvironmentsContent />
      </Content>
    </Page>
  );
}
