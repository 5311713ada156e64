import { useState } from 'react';
import { EmptyState, Link, Progress, ResponseErrorPanel, Table, TableColumn } from '@backstage/core-components';
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Tooltip,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ApplicationView, ChangeResponse, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useCatalystApplication, useCatalystEnvironments } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironments } from '../../hooks/useCatalystLive';
import { refusalOf } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { changeRequestRouteRef, rootRouteRef } from '../../routes';
import { describePolicy } from '../../utils/describePolicy';
import { isNotFound } from '../../utils/errors';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';
import { ChangeOutcome } from '../ChangeOutcome';

function messageOf(error: Error): string {
  const e = error as Error & { body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e.body?.error?.message ?? e.cause?.message ?? e.message;
}

/** What an Environment runs of the Application, as the read model knows it (Git's desired state plus live status). */
interface Row {
  id: string;
  environment: EnvironmentOverview;
  view?: ApplicationView;
  /** The live state of the Environment has arrived (so no view means not installed there). */
  ready: boolean;
  current: boolean;
}

const digestOf = (view: ApplicationView | undefined) => view?.desired?.valuesDigest ?? undefined;
const versionOf = (view: ApplicationView | undefined) => view?.desired?.version ?? view?.version ?? undefined;
/** In Git there (a view may exist for a change request alone, that would install it). */
const installed = (view: ApplicationView | undefined) => Boolean(view?.desired && !view.desired.removed);

/**
 * How the Application in one Environment differs from the one this page is about: by Blueprint
 * version first, then by values (the digest of values.yaml the read model keeps per commit).
 */
export function differenceInWords(
  here: ApplicationView | undefined,
  source: ApplicationView | undefined,
  sourceEnvironment: string,
): string {
  if (!installed(here)) return 'Not installed';
  const version = versionOf(here);
  const sourceVersion = versionOf(source);
  if (!source || !sourceVersion) return `${version ?? 'unknown version'}; ${sourceEnvironment} not known yet`;
  if (version !== sourceVersion) return `${version} here, ${sourceVersion} in ${sourceEnvironment}`;
  const digest = digestOf(here);
  const sourceDigest = digestOf(source);
  if (!digest || !sourceDigest) return 'Same version; values not compared yet';
  return digest === sourceDigest ? 'Same version and values' : 'Same version, different values';
}

function CopyButton(props: {
  application: string;
  source: Row;
  target: Row;
  onCopy: (target: EnvironmentOverview) => void;
  /** A copy is under way (this one: `copying`). */
  busy: boolean;
  copying: boolean;
}) {
  const { application, source, target, onCopy, busy, copying } = props;
  const { allowed, loading, reason } = useCatalystPermission({
    doing: 'promote',
    environment: target.environment.name,
    organization: target.environment.organization,
  });
  const same =
    installed(target.view) &&
    versionOf(target.view) === versionOf(source.view) &&
    Boolean(digestOf(target.view)) &&
    digestOf(target.view) === digestOf(source.view);
  let why: string | undefined;
  if (!loading && !allowed) why = reason;
  else if (same) why = `${target.environment.name} already runs ${application} at this version with these values`;
  return (
    <Tooltip title={why ?? ''}>
      {/* a span, because a disabled button fires no events for the tooltip */}
      <span>
        <Button
          size="small"
          variant="outlined"
          color="primary"
          disabled={loading || !allowed || same || busy}
          onClick={() => onCopy(target.environment)}
        >
          {copying ? `Copying to ${target.environment.name}…` : `Copy to ${target.environment.name}`}
        </Button>
      </span>
    </Tooltip>
  );
}

export interface ApplicationPromotionProps {
  environment: string;
  application: string;
}

/**
 * Promotion: the Application in every Environment of its Organization — version, live status and
 * how it differs from this one — with "Copy to <Environment>" for each other Environment. A copy is
 * a commit, or a change request where the destination's EnvironmentPolicy governs it; either way
 * the page links to it.
 */
export function ApplicationPromotion(props: ApplicationPromotionProps) {
  const { environment, application } = props;
  const api = useApi(catalystApiRef);
  const root = useRouteRef(rootRouteRef);
  const changeRequestLink = useRouteRef(changeRequestRouteRef);
  const { application: app, error: appError, loading: appLoading } = useCatalystApplication(environment, application);
  const { environments, error, loading } = useCatalystEnvironments();
  const organization = app?.organization;
  const siblings = (environments ?? []).filter(e => e.organization === organization);
  const live = useCatalystLiveEnvironments(siblings.map(e => e.name));
  const [confirming, setConfirming] = useState<EnvironmentOverview | undefined>();
  const [copying, setCopying] = useState<string | undefined>();
  const [results, setResults] = useState<Record<string, ChangeResponse>>({});
  const [failure, setFailure] = useState<string | undefined>();

  if (appError && isNotFound(appError)) {
    return (
      <EmptyState
        missing="data"
        title={`No Application ${application} in ${environment}`}
        description="Only an installed Application can be copied to another Environment."
      />
    );
  }
  if (appError || error) return <ResponseErrorPanel error={(appError ?? error)!} />;
  if (!app || !environments) return appLoading || loading ? <Progress /> : null;

  const rows: Row[] = siblings.map(e => ({
    id: e.name,
    environment: e,
    view: live.environments[e.name]?.applications[application],
    ready: live.environments[e.name]?.ready ?? false,
    current: e.name === environment,
  }));
  const source = rows.find(r => r.current);

  const copy = async (target: EnvironmentOverview) => {
    setConfirming(undefined);
    setCopying(target.name);
    setFailure(undefined);
    try {
      const result = await api.promote({
        sourceEnvironment: environment,
        application,
        targetEnvironment: target.name,
      });
      setResults(previous => ({ ...previous, [target.name]: result }));
    } catch (e) {
      setFailure(
        refusalOf(e, 'promote', { environment: target.name, organization: target.organization }) ??
          messageOf(e as Error),
      );
    } finally {
      setCopying(undefined);
    }
  };

  const appLink = (env: string) =>
    `${root()}/applications/${encodeURIComponent(env)}/${encodeURIComponent(application)}`;

  const columns: TableColumn<Row>[] = [
    {
      title: 'Environment',
      field: 'id',
      render: r => (
        <Box>
          <Link to={appLink(r.environment.name)}>{r.environment.name}</Link>
          {r.current && <Chip size="small" label="this one" style={{ marginLeft: 8 }} />}
          {r.environment.governed && (
            <Tooltip title={describePolicy(r.environment.policy?.rules)}>
              <Chip size="small" color="secondary" label="Governed" style={{ marginLeft: 8 }} />
            </Tooltip>
          )}
        </Box>
      ),
    },
    {
      title: 'Status',
      render: r =>
        r.view ? (
          <ApplicationStatusBadge status={r.view.status} reason={r.view.reason} />
        ) : (
          <Typography variant="body2" color="textSecondary">
            {r.ready ? '—' : 'waiting for live status…'}
          </Typography>
        ),
    },
    { title: 'Version', render: r => (installed(r.view) ? versionOf(r.view) ?? '—' : '—') },
    {
      title: 'Compared with this one',
      render: r => (r.current ? '—' : differenceInWords(r.view, source?.view, environment)),
    },
    {
      title: 'Pending',
      render: r =>
        r.view?.openChangeRequests?.length ? (
          <span>
            {r.view.openChangeRequests.map((id, i) => (
              <span key={id}>
                {i > 0 && ', '}
                <Link to={changeRequestLink({ id })}>{id}</Link>
              </span>
            ))}
          </span>
        ) : (
          '—'
        ),
    },
    {
      title: '',
      render: r =>
        r.current || !source ? null : (
          <CopyButton
            application={application}
            source={source}
            target={r}
            onCopy={setConfirming}
            busy={copying !== undefined}
            copying={copying === r.environment.name}
          />
        ),
    },
  ];

  return (
    <Box data-testid="application-promotion">
      {failure && (
        <Alert severity="error" style={{ marginBottom: 16 }} data-testid="promotion-failed">
          {failure}
        </Alert>
      )}
      {Object.entries(results).map(([target, result]) => (
        <Box key={target} mb={2}>
          <ChangeOutcome
            result={result}
            done={`Copied ${application} to ${target}`}
            data-testid={`promotion-result-${target}`}
          />
        </Box>
      ))}
      <Table<Row>
        title={`${application} across ${organization}`}
        subtitle={`${app.blueprint} @ ${app.version} in ${environment}`}
        options={{ paging: false, search: false, padding: 'dense' }}
        columns={columns}
        data={rows}
      />
      <Dialog open={Boolean(confirming)} onClose={() => setConfirming(undefined)} aria-labelledby="copy-title">
        {confirming && (
          <>
            <DialogTitle id="copy-title">
              Copy {application} to {confirming.name}?
            </DialogTitle>
            <DialogContent>
              <DialogContentText>
                {confirming.name} gets {app.blueprint} @ {app.version} with the values {application} has in{' '}
                {environment}.{' '}
                {confirming.governed
                  ? `${confirming.name} is governed (${describePolicy(
                      confirming.policy?.rules,
                    )}): this opens a change request.`
                  : `This is one commit in ${confirming.name}.`}
              </DialogContentText>
            </DialogContent>
            <DialogActions>
              <Button onClick={() => setConfirming(undefined)}>Cancel</Button>
              <Button color="primary" variant="contained" onClick={() => copy(confirming)}>
                Copy
              </Button>
            </DialogActions>
          </>
        )}
      </Dialog>
    </Box>
  );
}
