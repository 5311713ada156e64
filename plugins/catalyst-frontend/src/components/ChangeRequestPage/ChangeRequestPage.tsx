import { ReactNode, useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import {
  Content,
  EmptyState,
  Header,
  HeaderLabel,
  InfoCard,
  Link,
  Page,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Chip, Grid, List, ListItem, ListItemText, makeStyles, Tab, Tabs, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  ChangeRequest,
  ChangeRequestFile,
  ChangeRequestState,
  ChangeRequestSummary,
} from '@internal/plugin-catalyst-common';
import { useCatalystChangeRequest } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironment } from '../../hooks/useCatalystLive';
import { useNow } from '../../hooks/useNow';
import { changeRequestRouteRef, rootRouteRef } from '../../routes';
import { changeRequestStateLabel, isWaiting, localTime } from '../../utils/changeRequestWords';
import { isNotFound } from '../../utils/errors';
import { displayActor, relativeTime } from '../../utils/relativeTime';
import { FileDifference } from '../../utils/unifiedDiff';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';
import { ChangeRequestActions } from '../ChangeRequestActions';
import { ChangeRequestVerdicts } from '../ChangeRequestVerdicts';
import { FileDiffView } from '../FileDiffView';
import { LiveIndicator } from '../LiveIndicator';

const useStyles = makeStyles(theme => ({
  label: { color: theme.palette.text.secondary, fontSize: '0.75rem', textTransform: 'uppercase', fontWeight: 600 },
}));

function Field(props: { label: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <Grid item xs={12} sm={6} md={4}>
      <Typography className={classes.label}>{props.label}</Typography>
      <Box>{props.children}</Box>
    </Grid>
  );
}

const STATE_COLOURS: Record<ChangeRequestState, 'primary' | 'secondary' | 'default'> = {
  open: 'primary',
  conflicted: 'secondary',
  merged: 'default',
  rejected: 'default',
  superseded: 'default',
};

export function ChangeRequestStateChip(props: { state: ChangeRequestState }) {
  return (
    <Chip
      size="small"
      color={STATE_COLOURS[props.state]}
      label={changeRequestStateLabel(props.state)}
      data-testid="change-request-state"
      data-state={props.state}
    />
  );
}

/**
 * What the read model knows of the request (its KV entry in the destination's state): any change of
 * it — an approval, a merge, a conflict, a revision, a close — reloads the page's REST data, so two
 * people looking at the same request see each other's decisions without reloading.
 */
function liveKeyOf(summary: ChangeRequestSummary | undefined): string | null {
  if (!summary) return null;
  return [
    summary.status,
    summary.approvals.map(a => `${a.user}@${a.at}`).join(','),
    summary.conflicted,
    summary.revisedAt,
    // an evaluation that changed a verdict (a soak passed, a window opened, a freeze set)
    summary.mergeable ?? null,
    summary.closedAt,
    summary.closedAs,
    summary.mergeCommit,
  ].join('|');
}

/** The newer of what the server last answered to a decision and what it last answered to a read. */
function newer(a: ChangeRequest | undefined, b: ChangeRequest | undefined): ChangeRequest | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(a.updatedAt) > Date.parse(b.updatedAt) ? a : b;
}

const DIFF_GROUPS: Array<{ key: string; title: string; kinds: ChangeRequestFile['kind'][] }> = [
  { key: 'values', title: 'Values', kinds: ['values', 'application'] },
  { key: 'manifests', title: 'Rendered manifests', kinds: ['manifest'] },
  { key: 'other', title: 'Flux and policy', kinds: ['flux', 'policy'] },
];

function differenceOf(file: ChangeRequestFile): FileDifference {
  let change: FileDifference['change'] = 'modified';
  if (file.before === null) change = 'added';
  else if (file.after === null) change = 'removed';
  return { path: file.path, change, before: file.before ?? undefined, after: file.after ?? undefined };
}

/** The rendered diff between what runs in the destination and what would run, by kind of file. */
function ChangeRequestDiff(props: { files: ChangeRequestFile[] }) {
  const groups = useMemo(
    () =>
      DIFF_GROUPS.map(g => ({
        ...g,
        files: props.files.filter(f => g.kinds.includes(f.kind)).map(differenceOf),
      })).filter(g => g.files.length > 0),
    [props.files],
  );
  const [selected, setSelected] = useState<string | undefined>();
  const current = groups.find(g => g.key === selected) ?? groups[0];
  return (
    <InfoCard title="Changes" subheader="What runs in the destination now, and what would run after the merge">
      {current ? (
        <>
          <Tabs
            value={current.key}
            onChange={(_e, key: string) => setSelected(key)}
            indicatorColor="primary"
            textColor="primary"
            style={{ marginBottom: 16 }}
          >
            {groups.map(g => (
              <Tab key={g.key} value={g.key} label={`${g.title} (${g.files.length})`} />
            ))}
          </Tabs>
          <FileDiffView files={current.files} />
        </>
      ) : (
        <Typography variant="body2" color="textSecondary">
          The change leaves every file as it is.
        </Typography>
      )}
    </InfoCard>
  );
}

function Approvals(props: { changeRequest: ChangeRequest; now: number }) {
  const { approvalsList } = props.changeRequest;
  return (
    <InfoCard title="Approvals" subheader={`${props.changeRequest.approvals} counting`}>
      {approvalsList.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          Nobody has approved yet.
        </Typography>
      ) : (
        <List dense disablePadding>
          {approvalsList.map(a => (
            <ListItem key={`${a.user}-${a.at}`} disableGutters divider data-testid={`approval-${displayActor(a.user)}`}>
              <ListItemText
                primary={
                  <Box display="flex" alignItems="center" gridGap={8}>
                    <strong>{a.displayName ?? displayActor(a.user)}</strong>
                    <span title={a.at}>{relativeTime(a.at, props.now)}</span>
                    {a.stale && (
                      <Chip
                        size="small"
                        variant="outlined"
                        label="stale"
                        title="Given before the change was last revised: it no longer counts"
                      />
                    )}
                  </Box>
                }
                secondary={
                  <>
                    {a.teams.length > 0 && (
                      <span>{a.teams.map(t => t.replace(/^group:(?:[^/]+\/)?/, '')).join(', ')}</span>
                    )}
                    {a.comment && <span style={{ display: 'block' }}>“{a.comment}”</span>}
                  </>
                }
              />
            </ListItem>
          ))}
        </List>
      )}
    </InfoCard>
  );
}

function Timeline(props: { changeRequest: ChangeRequest; now: number }) {
  return (
    <InfoCard title="Timeline">
      <List dense disablePadding>
        {props.changeRequest.timeline.map((t, i) => (
          <ListItem key={i} disableGutters divider data-testid="timeline-entry">
            <ListItemText
              primary={t.message}
              secondary={
                <span title={t.at}>
                  {relativeTime(t.at, props.now)}
                  {t.actor ? ` · ${displayActor(t.actor)}` : ' · Catalyst'}
                </span>
              }
            />
          </ListItem>
        ))}
      </List>
    </InfoCard>
  );
}

/** Why the request is closed, or what it waits for before anything else (a conflict). */
function Outcome(props: { changeRequest: ChangeRequest }) {
  const cr = props.changeRequest;
  const changeRequestLink = useRouteRef(changeRequestRouteRef);
  const by = (user: string | undefined) => (user ? ` by ${displayActor(user)}` : '');
  return (
    <>
      {cr.state === 'conflicted' && (
        <Alert severity="warning" data-testid="change-request-conflict">
          {cr.environment}'s main moved under this change{cr.conflict ? `: ${cr.conflict.reason}` : ''}. Rebase it to
          compute it again; approvals reset if the rendered diff changes.
        </Alert>
      )}
      {cr.merge && (
        <Alert severity="success" data-testid="change-request-merged">
          Merged{by(cr.merge.by)} {localTime(cr.merge.at)} as commit <code>{cr.merge.commit.slice(0, 7)}</code>.
        </Alert>
      )}
      {cr.breakGlass && (
        <Alert severity="warning" data-testid="change-request-break-glass">
          Glass broken{by(cr.breakGlass.by)}: {cr.breakGlass.reason}
        </Alert>
      )}
      {cr.rejection && (
        <Alert severity="error" data-testid="change-request-rejected">
          Rejected{by(cr.rejection.by)} {localTime(cr.rejection.at)}: {cr.rejection.reason}
        </Alert>
      )}
      {cr.state === 'superseded' && (
        <Alert severity="info" data-testid="change-request-superseded">
          Superseded
          {cr.supersededBy ? (
            <>
              {' '}
              by <Link to={changeRequestLink({ id: cr.supersededBy })}>{cr.supersededBy}</Link>
            </>
          ) : null}
          : a newer request for the same Application from the same source replaced it.
        </Alert>
      )}
    </>
  );
}

export interface ChangeRequestViewProps {
  id: string;
  /** For countdowns and "2 hours ago"; tests pass a fixed clock. */
  now?: () => number;
}

/**
 * One change request: what it changes and where from, the destination Application's live status,
 * every rule with its verdict, the approvals, the decisions the person may take, the rendered diff
 * and the timeline. It follows the read model live, and reloads by itself when the server said it
 * would evaluate again (a soak completing, a window opening), which no event announces.
 */
export function ChangeRequestView(props: ChangeRequestViewProps) {
  const { id } = props;
  const now = useNow(props.now);
  const root = useRouteRef(rootRouteRef);
  // the Environment is known from the first answer; its live state then drives the reloads
  const [environment, setEnvironment] = useState<string | undefined>();
  const { live } = useCatalystLiveEnvironment(environment);
  const summary = live?.changeRequests[id];
  const { changeRequest: fetched, loading, error, retry } = useCatalystChangeRequest(id, liveKeyOf(summary));
  const [answered, setAnswered] = useState<ChangeRequest | undefined>();
  const cr = newer(answered?.id === id ? answered : undefined, fetched);

  useEffect(() => {
    if (fetched) setEnvironment(fetched.environment);
  }, [fetched]);

  const nextEvaluation = cr && isWaiting(cr.state) ? cr.evaluation?.nextEvaluationAt : undefined;
  useEffect(() => {
    const at = nextEvaluation ? Date.parse(nextEvaluation) : NaN;
    if (Number.isNaN(at)) return undefined;
    const wait = at - Date.now();
    // a timer only for the instant the server named (a day at most: browsers cap timers anyway)
    if (wait < 0 || wait > 86_400_000) return undefined;
    const timer = setTimeout(retry, wait + 2000);
    return () => clearTimeout(timer);
  }, [nextEvaluation, retry]);

  if (error && !cr) {
    if (isNotFound(error)) {
      return (
        <EmptyState
          missing="data"
          title={`No change request ${id}`}
          description="It does not exist, or it belongs to an Environment you may not read."
        />
      );
    }
    return <ResponseErrorPanel error={error} />;
  }
  if (!cr) return loading ? <Progress /> : null;

  const application = cr.application;
  const appLink = (env: string, app: string) =>
    `${root()}/applications/${encodeURIComponent(env)}/${encodeURIComponent(app)}`;
  const destinationView = application ? live?.applications[application] : undefined;

  return (
    <Grid container spacing={3} data-testid="change-request">
      <Grid item xs={12}>
        <InfoCard
          title={cr.title}
          subheader={`${cr.id} · ${cr.action} in ${cr.environment}`}
          action={
            <Box mt={1} display="flex" alignItems="center" gridGap={8}>
              <LiveIndicator />
              <ChangeRequestStateChip state={cr.state} />
            </Box>
          }
        >
          <Box display="flex" flexDirection="column" gridGap={8} mb={2}>
            <Outcome changeRequest={cr} />
          </Box>
          <Grid container spacing={2}>
            <Field label="Author">{displayActor(cr.author)}</Field>
            <Field label="From → to">
              {cr.source ? (
                <Link to={appLink(cr.source.environment, cr.source.application)}>
                  {cr.source.environment}/{cr.source.application}
                </Link>
              ) : (
                'a direct change'
              )}{' '}
              →{' '}
              {application ? (
                <Link to={appLink(cr.environment, application)}>
                  {cr.environment}/{application}
                </Link>
              ) : (
                cr.environment
              )}
            </Field>
            <Field label="Brings">
              {cr.blueprint ? `${cr.blueprint} @ ${cr.version}` : '—'}
              {cr.valuesDigest ? (
                <Typography variant="body2" color="textSecondary" component="span">
                  {' '}
                  (values <code>{cr.valuesDigest.replace(/^sha256:/, '').slice(0, 12)}</code>)
                </Typography>
              ) : null}
            </Field>
            <Field label={`Live in ${cr.environment}`}>
              {application ? (
                <span data-testid="destination-status">
                  <ApplicationStatusBadge status={destinationView?.status} reason={destinationView?.reason} />
                  {destinationView?.version ? ` ${destinationView.version}` : ''}
                </span>
              ) : (
                '—'
              )}
            </Field>
            <Field label="Merging">
              {cr.mergeMode === 'automatic'
                ? 'automatic, when every rule passes'
                : 'manual: someone allowed to merge clicks Merge'}
            </Field>
            <Field label="Opened">
              <span title={cr.createdAt}>{relativeTime(cr.createdAt, now)}</span>
              {' · '}
              <code title={`${cr.baseCommit} → ${cr.headCommit}`}>{cr.branch}</code>
            </Field>
          </Grid>
          <Box mt={3}>
            <ChangeRequestActions changeRequest={cr} onChanged={setAnswered} onRefused={retry} />
          </Box>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7}>
        <ChangeRequestVerdicts evaluation={cr.evaluation} now={now} closed={!isWaiting(cr.state)} />
      </Grid>
      <Grid item xs={12} md={5}>
        <Approvals changeRequest={cr} now={now} />
      </Grid>
      <Grid item xs={12}>
        <ChangeRequestDiff files={cr.files} />
      </Grid>
      <Grid item xs={12}>
        <Timeline changeRequest={cr} now={now} />
      </Grid>
    </Grid>
  );
}

/** `/catalyst/change-requests/:id`, the page the backend's notifications link to. */
export function ChangeRequestPage() {
  const { id = '' } = useParams();
  return (
    <Page themeId="tool">
      <Header title={`Change request ${id}`} subtitle="A change to a governed Environment" type="Change request">
        <HeaderLabel label="Id" value={id} />
      </Header>
      <Content>
        <ChangeRequestView id={id} />
      </Content>
    </Page>
  );
}
