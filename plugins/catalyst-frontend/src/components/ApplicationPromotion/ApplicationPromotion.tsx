import { useState } from 'react';
import { EmptyState, Link, Progress, ResponseErrorPanel, Table, TableColumn } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { Box, Chip, Tooltip, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type { ApplicationView, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import { useCatalystApplication, useCatalystEnvironments } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironments } from '../../hooks/useCatalystLive';
import { changeRequestRouteRef, rootRouteRef } from '../../routes';
import { describePolicy } from '../../utils/describePolicy';
import { isNotFound } from '../../utils/errors';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';
import { ChangeOutcome } from '../ChangeOutcome';
import { CopyApplicationButton, CopyApplicationDialog, useCopyApplication } from '../CopyApplication';

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

/** Why there is nothing to copy: the target runs the same version with the same values. */
function sameReason(application: string, source: Row, target: Row): string | undefined {
  const same =
    installed(target.view) &&
    versionOf(target.view) === versionOf(source.view) &&
    Boolean(digestOf(target.view)) &&
    digestOf(target.view) === digestOf(source.view);
  return same ? `${target.environment.name} already runs ${application} at this version with these values` : undefined;
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
  const root = useRouteRef(rootRouteRef);
  const changeRequestLink = useRouteRef(changeRequestRouteRef);
  const { application: app, error: appError, loading: appLoading } = useCatalystApplication(environment, application);
  const { environments, error, loading } = useCatalystEnvironments();
  const organization = app?.organization;
  const siblings = (environments ?? []).filter(e => e.organization === organization);
  const live = useCatalystLiveEnvironments(siblings.map(e => e.name));
  const [confirming, setConfirming] = useState<EnvironmentOverview | undefined>();
  const { copy, copying, results, failure } = useCopyApplication(environment, application);

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
          <CopyApplicationButton
            target={r.environment}
            sameReason={sameReason(application, source, r)}
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
      <CopyApplicationDialog
        application={application}
        sourceEnvironment={environment}
        blueprint={app.blueprint}
        version={app.version}
        target={confirming}
        onCancel={() => setConfirming(undefined)}
        onConfirm={target => {
          setConfirming(undefined);
          copy(target);
        }}
      />
    </Box>
  );
}
