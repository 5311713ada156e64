import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ChangeRequestSummary } from '@internal/plugin-catalyst-common';
import { useCatalystLiveApplication, useCatalystLiveEnvironment } from '../../hooks/useCatalystLive';
import { changeRequestRouteRef } from '../../routes';
import { displayActor } from '../../utils/relativeTime';

function describe(cr: ChangeRequestSummary | undefined): string {
  if (!cr) return '';
  const parts = [
    cr.title ?? undefined,
    cr.author ? `by ${displayActor(cr.author)}` : undefined,
    `${cr.approvals.length} approval${cr.approvals.length === 1 ? '' : 's'} so far`,
    cr.conflicted ? 'conflicts with the Environment: needs a rebase' : undefined,
  ];
  return parts.filter(Boolean).join(' · ');
}

export interface PendingChangeRequestsProps {
  environment: string;
  application: string;
}

/**
 * "Pending approval" on the destination Application while a change request for it is open, with a
 * link to each request. From the live read model (the Application's `openChangeRequests` and the
 * Environment's change requests), so it appears when one is opened and goes when it closes.
 */
export function PendingChangeRequests(props: PendingChangeRequestsProps) {
  const { environment, application } = props;
  const link = useRouteRef(changeRequestRouteRef);
  const { view } = useCatalystLiveApplication(environment, application);
  const { live } = useCatalystLiveEnvironment(environment);
  const ids = view?.openChangeRequests ?? [];
  if (ids.length === 0) return null;
  return (
    <Box display="flex" flexDirection="column" gridGap={8} data-testid="pending-change-requests">
      {ids.map(id => (
        <Alert key={id} severity="info" data-testid={`pending-${id}`}>
          Pending approval in {environment}: <Link to={link({ id })}>change request {id}</Link>
          {live?.changeRequests[id] ? ` — ${describe(live.changeRequests[id])}` : ''}
        </Alert>
      ))}
    </Box>
  );
}
