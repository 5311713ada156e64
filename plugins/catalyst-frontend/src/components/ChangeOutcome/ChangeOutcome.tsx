import { Link } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Alert } from '@material-ui/lab';
import type { ChangeResponse } from '@internal/plugin-catalyst-common';
import { changeRequestRouteRef, rootRouteRef } from '../../routes';

export interface ChangeOutcomeProps {
  result: ChangeResponse;
  /** What was done, e.g. "Copied site to acme-prod" or "Saved"; the sentence goes on with where it went. */
  done: string;
  'data-testid'?: string;
}

/**
 * Where a write went: a commit on the Environment's main (linked to the Application's History on
 * that commit), or — answered 202 in a governed Environment — the change request it opened, which
 * merges when the Environment's policy allows it (or merged at once, when every rule already passed).
 */
export function ChangeOutcome(props: ChangeOutcomeProps) {
  const { result, done } = props;
  const changeRequestLink = useRouteRef(changeRequestRouteRef);
  const root = useRouteRef(rootRouteRef);
  const testId = props['data-testid'] ?? 'change-outcome';
  const cr = result.changeRequest;
  if (cr) {
    const link = <Link to={changeRequestLink({ id: cr.id })}>change request {cr.id}</Link>;
    return (
      <Alert severity={cr.merged ? 'success' : 'info'} data-testid={testId}>
        {cr.merged ? (
          <>
            {done} through {link}: every rule of {result.environment}'s policy already passed, so it merged at once.
          </>
        ) : (
          <>
            {done} as {link}: {result.environment} is governed, so it waits for the approvals and rules of its policy.
          </>
        )}
      </Alert>
    );
  }
  if (!result.changed) {
    return (
      <Alert severity="info" data-testid={testId}>
        Nothing changed: {result.environment} already has it.
      </Alert>
    );
  }
  const application = result.applications[0];
  const sha = result.commit.sha;
  return (
    <Alert severity="success" data-testid={testId}>
      {done} as commit{' '}
      {application ? (
        <Link
          to={`${root()}/applications/${encodeURIComponent(result.environment)}/${encodeURIComponent(
            application,
          )}/history?commit=${sha}`}
        >
          {sha.slice(0, 7)}
        </Link>
      ) : (
        <code>{sha.slice(0, 7)}</code>
      )}{' '}
      in {result.environment}: {result.commit.subject}
    </Alert>
  );
}
