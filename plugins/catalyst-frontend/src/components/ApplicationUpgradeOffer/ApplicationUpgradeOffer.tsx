import { useState } from 'react';
import { MarkdownContent } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Accordion, AccordionDetails, AccordionSummary, Box, Button, makeStyles, Typography } from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { Alert, AlertTitle } from '@material-ui/lab';
import useAsync from 'react-use/esm/useAsync';
import type { ApplicationSummary, ChangeResponse } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useCatalystBlueprint } from '../../hooks/useCatalystData';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { changelogBetween, upgradeOfferFor } from '../../utils/upgrades';
import { ChangeOutcome } from '../ChangeOutcome';
import { FileDiffView } from '../FileDiffView';
import { upgradeFailureOf } from './upgradeFailure';

const useStyles = makeStyles(theme => ({
  entry: { marginBottom: theme.spacing(1) },
  version: { fontWeight: 600 },
  reason: { marginTop: theme.spacing(0.5) },
}));

export interface ApplicationUpgradeOfferProps {
  environment: string;
  application: Pick<ApplicationSummary, 'name' | 'blueprint' | 'version' | 'source' | 'organization'>;
}

/**
 * "Upgrade available: <version>" when a newer version of the Application's Blueprint is registered
 * and its `upgrades` rules allow it from the pinned version: the release notes of every version in
 * between, the rendered diff (the upgrade's dry run) and one click to upgrade — a commit, or a
 * change request where the Environment is governed. Only for those who may configure here; the
 * others see it disabled with who may. Renders nothing when the Application is up to date.
 */
export function ApplicationUpgradeOffer(props: ApplicationUpgradeOfferProps) {
  const { environment, application: app } = props;
  const classes = useStyles();
  const api = useApi(catalystApiRef);
  // a private Blueprint of the Organization wins over a public one of the same name: ask for the one it runs
  const { blueprint, error, loading } = useCatalystBlueprint(
    app.blueprint,
    app.source === 'shared-blueprints' ? app.organization : undefined,
  );
  const permission = useCatalystPermission({ doing: 'configure', environment, organization: app.organization });
  const scope = { environment, organization: app.organization };
  const offer = blueprint ? upgradeOfferFor(blueprint, app.version) : undefined;
  const target = offer?.target;
  const [result, setResult] = useState<ChangeResponse | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  // the dry run needs catalyst.configure: it runs only for those who may upgrade
  const mayConfigure = permission.allowed && !permission.loading;
  const plan = useAsync(async () => {
    if (!target || !mayConfigure) return undefined;
    return api.planUpdate(environment, app.name, { version: target });
  }, [api, environment, app.name, target, mayConfigure]);

  if (result) {
    return (
      <ChangeOutcome
        result={result}
        done={`Upgraded ${app.name} to ${target ?? 'the new version'}`}
        data-testid="upgrade-outcome"
      />
    );
  }
  if (error) {
    return (
      <Typography variant="body2" color="textSecondary" data-testid="upgrade-check-failed">
        Could not check for a newer version of {app.blueprint}: {error.message}
      </Typography>
    );
  }
  if (loading || !blueprint) {
    return (
      <Typography variant="body2" color="textSecondary" data-testid="upgrade-checking">
        Checking for a newer version of {app.blueprint}…
      </Typography>
    );
  }
  if (!offer) return null;

  if (!target) {
    return (
      <Alert severity="warning" data-testid="upgrade-offer">
        <AlertTitle>
          {app.blueprint} {offer.latest} is registered, but {app.name} cannot upgrade to it
        </AlertTitle>
        {offer.latestRefusal}
      </Alert>
    );
  }

  const upgrade = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      setResult(await api.updateApplication(environment, app.name, { version: target }));
    } catch (e) {
      setFailure(upgradeFailureOf(e, scope));
    } finally {
      setBusy(false);
    }
  };

  const changelog = changelogBetween(blueprint, app.version, target);
  let diff;
  let why: string | undefined;
  if (permission.loading) why = 'Checking whether you may upgrade…';
  else if (!permission.allowed) why = permission.reason ?? `You may not change ${app.name} in ${environment}`;
  if (why) {
    diff = (
      <Typography variant="body2" color="textSecondary">
        The rendered diff is shown to those who may upgrade.
      </Typography>
    );
  } else if (plan.loading) {
    diff = <Typography variant="body2">Rendering the upgrade…</Typography>;
    why = 'Rendering the upgrade first…';
  } else if (plan.error) {
    why = upgradeFailureOf(plan.error, scope);
    diff = (
      <Alert severity="error" data-testid="upgrade-plan-refused">
        The dry run refused the upgrade: {why}
      </Alert>
    );
  } else {
    diff = (
      <FileDiffView
        files={(plan.value?.changes ?? []).map(c => ({
          path: c.path,
          change: c.change,
          before: c.before,
          after: c.after,
        }))}
        emptyText="The upgrade would not modify any file."
      />
    );
  }

  return (
    <Alert severity="info" data-testid="upgrade-offer" icon={false}>
      <AlertTitle>Upgrade available: {target}</AlertTitle>
      <Typography variant="body2">
        {app.name} runs {app.blueprint} @ {app.version}.
        {offer.latestRefusal ? ` ${offer.latest} is registered too, but ${offer.latestRefusal}.` : ''}
      </Typography>
      <Box mt={1} data-testid="upgrade-changelog">
        {changelog.map(entry => (
          <Box key={entry.version} className={classes.entry}>
            <Typography variant="body2" className={classes.version}>
              {entry.version}
            </Typography>
            {entry.notes ? (
              <MarkdownContent content={entry.notes} />
            ) : (
              <Typography variant="body2" color="textSecondary">
                No release notes in its README.
              </Typography>
            )}
          </Box>
        ))}
      </Box>
      <Accordion defaultExpanded>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>
          <Typography variant="body2">
            Rendered diff
            {plan.value ? ` (${plan.value.changes.length} file${plan.value.changes.length === 1 ? '' : 's'})` : ''}
          </Typography>
        </AccordionSummary>
        <AccordionDetails>
          <Box width="100%" data-testid="upgrade-diff">
            {diff}
          </Box>
        </AccordionDetails>
      </Accordion>
      <Box mt={2}>
        <Button variant="contained" color="primary" disabled={Boolean(why) || busy} onClick={upgrade}>
          {busy ? `Upgrading to ${target}…` : `Upgrade to ${target}`}
        </Button>
        {why && !plan.error && (
          <Typography variant="body2" color="textSecondary" className={classes.reason} data-testid="upgrade-disabled">
            {why}
          </Typography>
        )}
        {failure && (
          <Alert severity="error" className={classes.reason} data-testid="upgrade-failed">
            {failure}
          </Alert>
        )}
      </Box>
    </Alert>
  );
}
