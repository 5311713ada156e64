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
import { useApi, useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Menu,
  MenuItem,
  Typography,
} from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { Alert } from '@material-ui/lab';
import {
  ApplicationStatusView,
  BlueprintDetail,
  BlueprintUsageEntry,
  CATALYST_ENTITY_KINDS,
  ChangeResponse,
  compareVersions,
  EnvironmentOverview,
} from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useCatalystBlueprintUsage } from '../../hooks/useCatalystData';
import { useCatalystLiveEnvironments } from '../../hooks/useCatalystLive';
import { upgradeRuleRefusal } from '../../utils/upgrades';
import { ApplicationStatusBadge } from '../ApplicationStatusBadge';
import { upgradeFailureOf } from '../ApplicationUpgradeOffer';
import { ChangeOutcome } from '../ChangeOutcome';
import { CopyToMenu } from '../CopyApplication';
import { useInstallLink } from '../InstallButton';
import { LiveIndicator } from '../LiveIndicator';

interface Row extends BlueprintUsageEntry {
  id: string;
  /** The stream's view once it has one, else the status the request answered with. */
  view?: ApplicationStatusView;
}

/** Where one Application's upgrade of "Upgrade all" stands. */
type UpgradeState =
  | { state: 'skipped'; reason: string }
  | { state: 'upgrading' }
  | { state: 'done'; result: ChangeResponse }
  | { state: 'refused'; reason: string };

const idOf = (u: BlueprintUsageEntry) => `${u.application.environment}/${u.application.name}`;

const isOlder = (version: string, latest: string | undefined): boolean => {
  if (!latest) return false;
  try {
    return compareVersions(version, latest) < 0;
  } catch {
    return false;
  }
};

/**
 * What "Upgrade all to <latest>" does for each Application on an older version: skip it with why,
 * where the latest's `upgrades` rules refuse its version (its own page offers the way there), else
 * upgrade it.
 */
export function upgradePlanOf(
  blueprint: Pick<BlueprintDetail, 'name' | 'latestVersion' | 'versionDetails'>,
  usages: BlueprintUsageEntry[],
): Array<{ usage: BlueprintUsageEntry; skip?: string }> {
  const latest = blueprint.versionDetails.find(v => v.version === blueprint.latestVersion);
  return usages
    .filter(u => isOlder(u.application.version, blueprint.latestVersion))
    .map(u => {
      const skip = latest ? upgradeRuleRefusal(blueprint.name, latest, u.application.version) : undefined;
      return skip ? { usage: u, skip } : { usage: u };
    });
}

export interface BlueprintUsageCardProps {
  /** With its versions (the Blueprint page has them), the card offers upgrades to the latest. */
  blueprint: { name: string; organization?: string } & Partial<
    Pick<BlueprintDetail, 'latestVersion' | 'versionDetails'>
  >;
}

/**
 * "Applications using this Blueprint" across the user's Environments (reference §6.4): Application,
 * Environment, Version (marked when older than the latest), live Status, Open, "Copy to …" (the
 * Promotion tab's copy); "Install in another Environment"; and "Upgrade all to <latest>", which
 * upgrades every Application on an older version at once — one `updateApplication` each, so each
 * Environment's own policy decides (a commit, a change request, or a refusal shown on its row).
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
  const api = useApi(catalystApiRef);
  const [confirmingAll, setConfirmingAll] = useState(false);
  const [upgrades, setUpgrades] = useState<Record<string, UpgradeState>>({});
  const latestVersion = blueprint.latestVersion;
  const plan =
    usages && latestVersion && blueprint.versionDetails
      ? upgradePlanOf({ name: blueprint.name, latestVersion, versionDetails: blueprint.versionDetails }, usages)
      : [];
  const upgrading = Object.values(upgrades).some(u => u.state === 'upgrading');
  const environmentOf = (name: string): EnvironmentOverview | undefined => environments?.find(e => e.name === name);

  const upgradeAll = async () => {
    setConfirmingAll(false);
    if (!latestVersion) return;
    const next: Record<string, UpgradeState> = {};
    for (const p of plan) next[idOf(p.usage)] = p.skip ? { state: 'skipped', reason: p.skip } : { state: 'upgrading' };
    setUpgrades(next);
    // one request per Application: each Environment's permission and policy decide on their own
    await Promise.all(
      plan
        .filter(p => !p.skip)
        .map(async ({ usage: { application: a } }) => {
          let state: UpgradeState;
          try {
            state = {
              state: 'done',
              result: await api.updateApplication(a.environment, a.name, { version: latestVersion }),
            };
          } catch (e) {
            state = {
              state: 'refused',
              reason: upgradeFailureOf(e, { environment: a.environment, organization: a.organization }),
            };
          }
          setUpgrades(previous => ({ ...previous, [`${a.environment}/${a.name}`]: state }));
        }),
    );
  };

  const applicationLink = (u: BlueprintUsageEntry) =>
    entityRoute({
      kind: CATALYST_ENTITY_KINDS.application.toLocaleLowerCase('en-US'),
      namespace: u.application.environment,
      name: u.application.name,
    });

  const installable = (environments ?? []).filter(e => e.canInstall !== false);
  const action = (
    <>
      {latestVersion && plan.length > 0 && (
        <Button color="primary" variant="outlined" disabled={upgrading} onClick={() => setConfirmingAll(true)}>
          Upgrade all to {latestVersion}
        </Button>
      )}
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
        render: r => (
          <Box>
            {r.view?.targetVersion && r.view.targetVersion !== r.application.version
              ? `${r.view.version ?? r.application.version} → ${r.view.targetVersion}`
              : r.application.version}
            {isOlder(r.application.version, latestVersion) && (
              <Chip
                size="small"
                label={`older than ${latestVersion}`}
                style={{ marginLeft: 8 }}
                data-testid={`older-${r.id}`}
              />
            )}
          </Box>
        ),
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
      {
        title: '',
        render: r => (
          <CopyToMenu
            application={r.application.name}
            sourceEnvironment={r.application.environment}
            blueprint={blueprint.name}
            version={r.application.version}
            targets={(environments ?? []).filter(
              e => e.organization === r.application.organization && e.name !== r.application.environment,
            )}
            noteOf={t => {
              const there = usages.find(
                u => u.application.environment === t.name && u.application.name === r.application.name,
              );
              return there ? `runs ${there.application.version}` : 'not installed';
            }}
          />
        ),
      },
      ...(Object.keys(upgrades).length > 0
        ? [
            {
              title: `Upgrade to ${latestVersion}`,
              render: (r: Row) => <UpgradeOutcome id={r.id} application={r.application.name} state={upgrades[r.id]} />,
            },
          ]
        : []),
    ];
    content = (
      <Table<Row>
        options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
        columns={columns}
        data={usages.map(u => ({
          ...u,
          id: idOf(u),
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
      <Dialog open={confirmingAll} onClose={() => setConfirmingAll(false)} aria-labelledby="upgrade-all-title">
        <DialogTitle id="upgrade-all-title">
          Upgrade {plan.length} Application{plan.length === 1 ? '' : 's'} to {blueprint.name} {latestVersion}?
        </DialogTitle>
        <DialogContent>
          <DialogContentText>
            Each is its own change in its Environment: a commit, or a change request where the Environment is governed.
            Each Environment's permissions and policy decide on their own.
          </DialogContentText>
          <ul data-testid="upgrade-all-plan">
            {plan.map(({ usage: { application: a }, skip }) => {
              const environment = environmentOf(a.environment);
              let how = 'one commit';
              if (skip) how = `skipped: ${skip}`;
              else if (environment?.governed) how = 'opens a change request (governed)';
              return (
                <li key={idOf({ application: a })}>
                  {a.name} in {a.environment}: {a.version} → {latestVersion}, {how}
                </li>
              );
            })}
          </ul>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirmingAll(false)}>Cancel</Button>
          <Button color="primary" variant="contained" disabled={plan.every(p => p.skip)} onClick={upgradeAll}>
            Upgrade
          </Button>
        </DialogActions>
      </Dialog>
    </InfoCard>
  );
}

/** One row's part of "Upgrade all": skipped with why, under way, where it went, or why it was refused. */
function UpgradeOutcome(props: { id: string; application: string; state?: UpgradeState }) {
  const { id, application, state } = props;
  let content;
  if (!state) content = '—';
  else if (state.state === 'skipped') {
    content = (
      <Typography variant="body2" color="textSecondary">
        Skipped: {state.reason}
      </Typography>
    );
  } else if (state.state === 'upgrading') content = <Typography variant="body2">Upgrading…</Typography>;
  else if (state.state === 'done') content = <ChangeOutcome result={state.result} done={`Upgraded ${application}`} />;
  else content = <Alert severity="error">{state.reason}</Alert>;
  return <Box data-testid={`upgrade-outcome-${id}`}>{content}</Box>;
}
