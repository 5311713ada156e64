import { useState } from 'react';
import {
  EmptyState,
  InfoCard,
  Link,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Box, Button, Menu, MenuItem, Typography } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { ApplicationStatusView, BlueprintUsageEntry, CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';
import { useCatalystBlueprintUsage } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironments } from '../../hooks/useCatalystLive';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';
import { useInstallLink } from '../InstallButton';
import { LiveIndicator } from '../LiveIndicator';

interface Row extends BlueprintUsageEntry {
  id: string;
  /** The stream's view once it has one, else the status the request answered with. */
  view?: ApplicationStatusView;
}

export interface BlueprintUsageCardProps {
  blueprint: { name: string; organization?: string };
}

/**
 * "Applications using this Blueprint" across the user's Environments (reference §6.4): Application,
 * Environment, Version, live Status, Open; and "Install in another Environment".
 */
export function BlueprintUsageCard(props: BlueprintUsageCardProps) {
  const { blueprint } = props;
  const { usages, environments, loading, error } = useCatalystBlueprintUsage(blueprint.name, blueprint.organization);
  const { environments: live } = useCatalystLiveEnvironments([
    ...new Set((usages ?? []).map(u => u.application.environment)),
  ]);
  const entityRoute = useRouteRef(entityRouteRef);
  const installLink = useInstallLink();
  const [menu, setMenu] = useState<HTMLElement | null>(null);

  const applicationLink = (u: BlueprintUsageEntry) =>
    entityRoute({
      kind: CATALYST_ENTITY_KINDS.application.toLocaleLowerCase('en-US'),
      namespace: u.application.environment,
      name: u.application.name,
    });

  const installable = (environments ?? []).filter(e => e.canInstall !== false);
  const action = (
    <>
      <Button
        color="primary"
        startIcon={<AddIcon />}
        onClick={e => setMenu(e.currentTarget)}
        disabled={installable.length === 0}
        aria-haspopup="true"
      >
        Install in another Environment
      </Button>
      <Menu anchorEl={menu} keepMounted open={Boolean(menu)} onClose={() => setMenu(null)}>
        {installable.map(e => (
          <MenuItem key={e.name} component="a" href={installLink(blueprint, e.name)} onClick={() => setMenu(null)}>
            {e.name}
            {usages?.some(u => u.application.environment === e.name) ? ' (has it already)' : ''}
          </MenuItem>
        ))}
      </Menu>
    </>
  );

  let content;
  if (error) content = <ResponseErrorPanel error={error} />;
  else if (loading || !usages) content = <Progress />;
  else if (usages.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No Application uses this Blueprint yet"
        description="Install it into one of your Environments to create the first one."
      />
    );
  } else {
    const columns: TableColumn<Row>[] = [
      { title: 'Application', field: 'id', render: r => <Link to={applicationLink(r)}>{r.application.name}</Link> },
      { title: 'Environment', render: r => r.application.environment },
      {
        title: 'Version',
        render: r =>
          r.view?.targetVersion && r.view.targetVersion !== r.application.version
            ? `${r.view.version ?? r.application.version} → ${r.view.targetVersion}`
            : r.application.version,
      },
      {
        title: 'Status',
        render: r => (
          <Box>
            <ApplicationStatusBadge status={r.view?.status} />
            {r.view?.reason && (
              <Typography variant="caption" color="textSecondary" display="block">
                {r.view.reason}
              </Typography>
            )}
          </Box>
        ),
      },
      { title: '', render: r => <Link to={applicationLink(r)}>Open</Link> },
    ];
    content = (
      <Table<Row>
        options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
        columns={columns}
        data={usages.map(u => ({
          ...u,
          id: `${u.application.environment}/${u.application.name}`,
          view: live[u.application.environment]?.applications[u.application.name] ?? u.live,
        }))}
      />
    );
  }

  return (
    <InfoCard
      title={`Applications using this Blueprint${usages ? ` (${usages.length})` : ''}`}
      action={
        <Box display="flex" alignItems="center" gridGap={8} mt={1}>
          <LiveIndicator />
          {action}
        </Box>
      }
    >
      {content}
    </InfoCard>
  );
}
