import { EmptyState, Link, Progress, ResponseErrorPanel, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, FormControlLabel, Switch } from '@material-ui/core';
import { useState } from 'react';
import type { ChangeRequestSummaryItem } from '@internal/plugin-catalyst-common';
import { useCatalystChangeRequests } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironment } from '../../hooks/useCatalystLive';
import { changeRequestRouteRef } from '../../routes';
import { isWaiting } from '../../utils/changeRequestWords';
import { displayActor, relativeTime } from '../../utils/relativeTime';
import { ChangeRequestStateChip } from '../ChangeRequestPage';

export interface ChangeRequestsTableProps {
  /** Only this Environment's requests (followed live); without it, every readable Environment's. */
  environment?: string;
  application?: string;
  title?: string;
  now?: () => number;
}

/**
 * Change requests, newest first, waiting ones only unless the switch says all. With an
 * Environment, the list reloads whenever the read model's change requests of it change (opened,
 * approved, merged, closed), so a request opened elsewhere appears without a reload.
 */
export function ChangeRequestsTable(props: ChangeRequestsTableProps) {
  const { environment, application, title = 'Change requests', now = Date.now } = props;
  const link = useRouteRef(changeRequestRouteRef);
  const [all, setAll] = useState(false);
  const { live } = useCatalystLiveEnvironment(environment);
  // the read model's map is a new object whenever one of its requests changes
  const refreshKey = live?.changeRequests
    ? Object.values(live.changeRequests)
        .map(c => `${c.id}:${c.status}:${c.approvals.length}:${c.conflicted}:${c.closedAt ?? ''}`)
        .sort()
        .join(',')
    : null;
  const { changeRequests, loading, error } = useCatalystChangeRequests({ environment, application }, refreshKey);

  if (error) return <ResponseErrorPanel error={error} />;
  if (!changeRequests) return loading ? <Progress /> : null;

  const shown = all ? changeRequests : changeRequests.filter(c => isWaiting(c.state));
  const toggle = (
    <FormControlLabel
      control={<Switch checked={all} onChange={(_e, checked) => setAll(checked)} color="primary" />}
      label="Show closed ones too"
    />
  );
  if (changeRequests.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No change requests"
        description={
          environment
            ? `Changes to ${environment} arrive here when its EnvironmentPolicy governs it.`
            : 'Changes to governed Environments arrive here.'
        }
      />
    );
  }

  const columns: TableColumn<ChangeRequestSummaryItem>[] = [
    {
      title: 'Change request',
      field: 'id',
      render: c => (
        <Box>
          <Link to={link({ id: c.id })}>{c.id}</Link> {c.title}
        </Box>
      ),
    },
    ...(environment ? [] : [{ title: 'Environment', field: 'environment' }]),
    { title: 'From', render: c => (c.source ? `${c.source.environment}/${c.source.application}` : '—') },
    { title: 'State', render: c => <ChangeRequestStateChip state={c.state} /> },
    {
      title: 'Rules',
      render: c => {
        if (!isWaiting(c.state)) return '—';
        return c.mergeable ? 'all pass' : 'waiting';
      },
    },
    { title: 'Approvals', field: 'approvals', type: 'numeric' },
    { title: 'Author', render: c => displayActor(c.author) },
    { title: 'Updated', render: c => <span title={c.updatedAt}>{relativeTime(c.updatedAt, now())}</span> },
  ];

  return (
    <Box data-testid="change-requests">
      <Box display="flex" justifyContent="flex-end">
        {toggle}
      </Box>
      <Table<ChangeRequestSummaryItem>
        title={title}
        subtitle={all ? `${changeRequests.length} in all` : `${shown.length} waiting`}
        options={{ paging: shown.length > 10, pageSize: 10, search: false, padding: 'dense' }}
        columns={columns}
        data={shown}
        emptyContent={
          <Box p={2} data-testid="no-waiting-change-requests">
            Nothing waits: every change request is closed.
          </Box>
        }
      />
    </Box>
  );
}
