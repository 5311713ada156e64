import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { EmptyState, InfoCard, Progress, ResponseErrorPanel, Table, TableColumn } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { ChangeResponse, HistoryEntry } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useCatalystHistory } from '../../hooks/useCatalystData';
import { useCatalystLiveApplication } from '../../hooks/useCatalystLive';
import { refusalOf } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { displayActor, relativeTime } from '../../utils/relativeTime';
import { ChangeOutcome } from '../ChangeOutcome';
import { FileDiffView } from '../FileDiffView';

interface Row extends HistoryEntry {
  id: string;
}

function messageOf(error: Error): string {
  const e = error as Error & { body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e.body?.error?.message ?? e.cause?.message ?? e.message;
}

function CommitDiff(props: { environment: string; application: string; sha: string }) {
  const api = useApi(catalystApiRef);
  const { value, loading, error } = useAsync(
    () => api.getCommit(props.environment, props.sha, { application: props.application }),
    [api, props.environment, props.sha, props.application],
  );
  if (error) return <ResponseErrorPanel error={error} />;
  if (loading || !value) return <Progress />;
  return (
    <>
      {value.message.split('\n').slice(1).join('\n').trim() && (
        <Typography variant="body2" component="pre" style={{ whiteSpace: 'pre-wrap', marginBottom: 16 }}>
          {value.message.split('\n').slice(1).join('\n').trim()}
        </Typography>
      )}
      <FileDiffView
        files={(value.changes ?? []).map(c => ({ path: c.path, change: c.change, before: c.before, after: c.after }))}
        emptyText="This commit changed no file of the Application."
      />
    </>
  );
}

export interface ApplicationHistoryProps {
  environment: string;
  application: string;
  now?: () => number;
}

/**
 * History: the commits that touched the Application; one selected shows its diff and can be rolled
 * back. The selection is the page's `?commit=` (a full sha or a prefix of 7+), so the link a
 * finished install or configure task ends with opens on its commit, and a selection can be shared.
 */
export function ApplicationHistory(props: ApplicationHistoryProps) {
  const { environment, application, now = Date.now } = props;
  const api = useApi(catalystApiRef);
  const live = useCatalystLiveApplication(environment, application);
  const [done, setDone] = useState<ChangeResponse | undefined>();
  const { history, loading, error } = useCatalystHistory(
    environment,
    application,
    `${live.view?.desired?.revision ?? ''}:${done?.commit.sha ?? ''}`,
  );
  const [params, setParams] = useSearchParams();
  const requested = params.get('commit') ?? undefined;
  const setSelected = (sha: string | undefined) =>
    setParams(
      previous => {
        const next = new URLSearchParams(previous);
        if (sha) next.set('commit', sha);
        else next.delete('commit');
        return next;
      },
      { replace: true },
    );
  const [confirming, setConfirming] = useState(false);
  const [rollingBack, setRollingBack] = useState(false);
  const [failure, setFailure] = useState<string | undefined>();
  const { allowed, reason } = useCatalystPermission({ doing: 'rollback', environment });

  if (error) return <ResponseErrorPanel error={error} />;
  if (!history) return loading ? <Progress /> : null;
  if (history.length === 0) {
    return <EmptyState missing="data" title="No history" description={`No commit has touched ${application} yet.`} />;
  }

  const wanted = requested && /^[0-9a-f]{7,40}$/.test(requested) ? requested : undefined;
  const match = wanted ? history.find(h => h.sha.startsWith(wanted)) : undefined;
  const current = match ?? history[0];
  const rollback = async () => {
    setConfirming(false);
    setRollingBack(true);
    setFailure(undefined);
    try {
      const result = await api.rollback(environment, { commit: current.sha });
      setDone(result);
      setSelected(undefined);
    } catch (e) {
      // a refusal by its error code says who may; anything else in the server's words
      setFailure(refusalOf(e, 'rollback', { environment }) ?? messageOf(e as Error));
    } finally {
      setRollingBack(false);
    }
  };

  const columns: TableColumn<Row>[] = [
    {
      title: 'When',
      field: 'id',
      render: r => <span title={r.committer.time}>{relativeTime(r.committer.time, now())}</span>,
    },
    { title: 'Change', render: r => r.subject },
    { title: 'By', render: r => displayActor(r.actor) ?? r.author.name },
    { title: 'Commit', render: r => <code>{r.sha.slice(0, 7)}</code> },
  ];

  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5}>
        <Table<Row>
          title={`Commits touching ${application}`}
          options={{
            paging: history.length > 20,
            pageSize: 20,
            search: false,
            padding: 'dense',
            rowStyle: (r: Row) => (r.sha === current.sha ? { backgroundColor: 'rgba(33, 150, 243, 0.12)' } : {}),
          }}
          columns={columns}
          data={history.map(h => ({ ...h, id: h.sha }))}
          onRowClick={(_e, row) => row && setSelected(row.sha)}
        />
      </Grid>
      <Grid item xs={12} md={7}>
        {requested && !match && (
          <Alert severity="info" style={{ marginBottom: 16 }} data-testid="commit-not-listed">
            Commit {requested.slice(0, 12)} is not among the {history.length} latest commits touching {application};
            showing the newest.
          </Alert>
        )}
        {/* in a governed Environment the rollback opened a change request (202): link to it */}
        {done?.changeRequest && (
          <div style={{ marginBottom: 16 }}>
            <ChangeOutcome result={done} done="Rollback requested" data-testid="rollback-done" />
          </div>
        )}
        {done && !done.changeRequest && (
          <Alert severity="success" style={{ marginBottom: 16 }} data-testid="rollback-done">
            {done.changed
              ? `Rolled back as commit ${done.commit.sha.slice(0, 7)}: ${done.commit.subject}`
              : 'Nothing to roll back.'}
          </Alert>
        )}
        {failure && (
          <Alert severity="error" style={{ marginBottom: 16 }} data-testid="rollback-failed">
            {failure}
          </Alert>
        )}
        <InfoCard
          title={current.subject}
          subheader={`${current.sha.slice(0, 7)} by ${displayActor(current.actor) ?? current.author.name}, ${new Date(
            current.committer.time,
          ).toLocaleString()}`}
          action={
            <Tooltip title={reason ?? ''}>
              {/* a span, because a disabled button fires no events for the tooltip */}
              <span>
                <Button
                  color="secondary"
                  variant="outlined"
                  disabled={!allowed || rollingBack}
                  onClick={() => setConfirming(true)}
                  style={{ marginTop: 8 }}
                >
                  {rollingBack ? 'Rolling back…' : 'Roll back this change'}
                </Button>
              </span>
            </Tooltip>
          }
        >
          <CommitDiff environment={environment} application={application} sha={current.sha} />
        </InfoCard>
      </Grid>
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="rollback-title">
        <DialogTitle id="rollback-title">Roll back “{current.subject}”?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A new commit in {environment} reverts what {current.sha.slice(0, 7)} changed. Later changes to the same
            files must be rolled back first.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="secondary" variant="contained" onClick={rollback}>
            Roll back
          </Button>
        </DialogActions>
      </Dialog>
    </Grid>
  );
}
