import { useMemo, useState } from 'react';
import { InfoCard, Progress, ResponseErrorPanel, Select } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import {
  Box,
  Button,
  Dialog,
  DialogActions,
  DialogContent,
  DialogContentText,
  DialogTitle,
  Grid,
  makeStyles,
  Typography,
} from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import { Form } from '@rjsf/material-ui';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import useAsync from 'react-use/esm/useAsync';
import {
  ApplicationDetail,
  BlueprintDetail,
  CatalystIssue,
  ChangeResponse,
  PlanResponse,
  UpdateBody,
} from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useCatalystApplication, useCatalystBlueprint } from '../../hooks/useCatalystData';
import { useCatalystLiveApplication } from '../../hooks/useCatalystLive';
import { refusalOf } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { FieldErrors, issuesToFieldErrors, withApplicationRefChoices } from '../../utils/settingsForm';
import { ChangeOutcome } from '../ChangeOutcome';
import { FileDiffView } from '../FileDiffView';

const useStyles = makeStyles(theme => ({
  pickers: { display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap', marginBottom: theme.spacing(2) },
  picker: { minWidth: 200 },
  buttons: { display: 'flex', gap: theme.spacing(2), marginTop: theme.spacing(2) },
}));

/** What the server said about a failed preview or save, ready to show. */
interface Problem {
  error: Error;
  fields: FieldErrors;
  other: string[];
  /** 409: a valid request the Environment refuses (governed, blocked upgrade, dependents …). */
  conflict: boolean;
}

/**
 * A refusal (the answer's catalyst error code `not-allowed` or `governed-environment`) says who may
 * or that changes go through change requests; other failures show the server's issues or message.
 */
function problemOf(error: Error, scope: { environment: string; organization: string }): Problem {
  const e = error as Error & {
    statusCode?: number;
    body?: { error?: { message?: string; issues?: CatalystIssue[] } };
    cause?: { message?: string; issues?: CatalystIssue[] };
  };
  const refusal = refusalOf(error, 'configure', scope);
  if (refusal) return { error, fields: {}, other: [refusal], conflict: true };
  const issues = e.body?.error?.issues ?? e.cause?.issues ?? [];
  const { fields, other } = issuesToFieldErrors(issues);
  const message = e.body?.error?.message ?? e.cause?.message ?? e.message;
  return { error, fields, other: issues.length ? other : [message], conflict: e.statusCode === 409 };
}

/**
 * Pause (scale to zero on purpose) or resume, as one commit. Pausing asks first: the Application
 * stops serving until it is resumed.
 */
function PauseControl(props: {
  environment: string;
  application: ApplicationDetail;
  disabled: boolean;
  onDone: (result: ChangeResponse) => void;
  onFailed: (error: Error) => void;
}) {
  const { environment, application: app, disabled, onDone, onFailed } = props;
  const api = useApi(catalystApiRef);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const pausing = !app.paused;
  const run = async () => {
    setConfirming(false);
    setBusy(true);
    try {
      onDone(await api.updateApplication(environment, app.name, { paused: pausing }));
    } catch (e) {
      onFailed(e as Error);
    } finally {
      setBusy(false);
    }
  };
  let label = pausing ? 'Pause' : 'Resume';
  if (busy) label = pausing ? 'Pausing…' : 'Resuming…';
  return (
    <>
      <Button
        variant="outlined"
        color={pausing ? 'secondary' : 'primary'}
        disabled={disabled || busy}
        onClick={() => (pausing ? setConfirming(true) : run())}
        style={{ marginTop: 8 }}
      >
        {label}
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="pause-title">
        <DialogTitle id="pause-title">Pause {app.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A commit in {environment} scales {app.name} to zero: it stops serving until it is resumed. Its settings
            stay, and the Applications it depends on keep running.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="secondary" variant="contained" onClick={run}>
            Pause
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

interface EditorProps {
  environment: string;
  application: ApplicationDetail;
  blueprint: BlueprintDetail;
  /** The last save of this page (kept by the parent: a save reloads the editor). */
  saved?: ChangeResponse;
  onSaved: (result: ChangeResponse) => void;
}

function SettingsEditor(props: EditorProps) {
  const { environment, application: app, blueprint, saved, onSaved } = props;
  const classes = useStyles();
  const api = useApi(catalystApiRef);
  const {
    allowed,
    loading: permissionLoading,
    reason,
  } = useCatalystPermission({ doing: 'configure', environment, organization: app.organization });
  const scope = { environment, organization: app.organization };
  const [version, setVersion] = useState(app.version);
  const [overlay, setOverlay] = useState(app.overlay);
  const [values, setValues] = useState<Record<string, unknown>>(app.values);
  const [busy, setBusy] = useState<'preview' | 'save' | undefined>();
  const [plan, setPlan] = useState<PlanResponse | undefined>();
  const [problem, setProblem] = useState<Problem | undefined>();
  const { value: siblings } = useAsync(() => api.listApplications(environment), [api, environment]);

  const detail = blueprint.versionDetails.find(v => v.version === version);
  const schema = useMemo(
    () =>
      withApplicationRefChoices(
        detail?.configSchema ?? { type: 'object' },
        (siblings ?? []).filter(s => s.name !== app.name),
      ),
    [detail, siblings, app.name],
  );

  const body = (): UpdateBody => ({
    values,
    ...(version !== app.version ? { version } : {}),
    ...(overlay && overlay !== app.overlay ? { overlay: overlay as UpdateBody['overlay'] } : {}),
  });

  const run = async (what: 'preview' | 'save') => {
    setBusy(what);
    setProblem(undefined);
    try {
      if (what === 'preview') setPlan(await api.planUpdate(environment, app.name, body()));
      else {
        const result = await api.updateApplication(environment, app.name, body());
        setPlan(undefined);
        onSaved(result);
      }
    } catch (e) {
      setProblem(problemOf(e as Error, scope));
    } finally {
      setBusy(undefined);
    }
  };

  const mayConfigure = allowed && !permissionLoading;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="Settings"
          subheader={`${blueprint.name} @ ${version}${
            app.paused ? ', paused (scaled to zero)' : ''
          }: a change becomes one commit in ${environment} (a change request where a policy governs it)`}
          action={
            <PauseControl
              environment={environment}
              application={app}
              disabled={!mayConfigure || busy !== undefined}
              onDone={onSaved}
              onFailed={error => setProblem(problemOf(error, scope))}
            />
          }
        >
          {!permissionLoading && !allowed && (
            <Alert severity="info" style={{ marginBottom: 16 }}>
              You may look at these settings but not change them: {reason ?? `not in ${environment}`}.
            </Alert>
          )}
          <Box className={classes.pickers}>
            <div className={classes.picker}>
              <Select
                label="Version"
                selected={version}
                items={[...blueprint.versions]
                  .reverse()
                  .map(v => ({ label: v === app.version ? `${v} (current)` : v, value: v }))}
                onChange={v => setVersion(String(v))}
                disabled={!mayConfigure}
              />
            </div>
            {detail && detail.overlays.length > 0 && (
              <div className={classes.picker}>
                <Select
                  label="Size"
                  selected={overlay ?? detail.defaultOverlay ?? detail.overlays[0]}
                  items={detail.overlays.map(o => ({ label: o, value: o }))}
                  onChange={v => setOverlay(String(v))}
                  disabled={!mayConfigure}
                />
              </div>
            )}
          </Box>
          <Form
            schema={schema as RJSFSchema}
            formData={values}
            validator={validator}
            disabled={!mayConfigure || busy !== undefined}
            showErrorList={false}
            extraErrors={problem?.fields as never}
            onChange={e => setValues((e.formData ?? {}) as Record<string, unknown>)}
            onSubmit={() => run('save')}
          >
            <Box className={classes.buttons}>
              <Button
                variant="outlined"
                color="primary"
                disabled={!mayConfigure || busy !== undefined}
                onClick={() => run('preview')}
              >
                {busy === 'preview' ? 'Previewing…' : 'Preview change'}
              </Button>
              <Button type="submit" variant="contained" color="primary" disabled={!mayConfigure || busy !== undefined}>
                {busy === 'save' ? 'Saving…' : 'Save'}
              </Button>
            </Box>
          </Form>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        {problem && (
          <Alert severity="error" style={{ marginBottom: 16 }} data-testid="settings-problem">
            {problem.conflict ? 'Not applied: ' : 'Please check the settings: '}
            {problem.other.length ? problem.other.join('; ') : 'see the marked fields.'}
          </Alert>
        )}
        {/* in a governed Environment the save opened a change request (202): link to it */}
        {saved?.changeRequest && (
          <Box mb={2}>
            <ChangeOutcome result={saved} done="Saved" data-testid="settings-saved" />
          </Box>
        )}
        {saved && !saved.changeRequest && (
          <Alert severity="success" style={{ marginBottom: 16 }} data-testid="settings-saved">
            {saved.changed
              ? `Saved as commit ${saved.commit.sha.slice(0, 7)}: ${
                  saved.commit.subject
                }. Flux applies it next; the status above follows live.`
              : 'Nothing changed: the settings were already so.'}
          </Alert>
        )}
        <InfoCard title="Preview">
          {plan ? (
            <FileDiffView
              files={plan.changes.map(c => ({ path: c.path, change: c.change, before: c.before, after: c.after }))}
              emptyText="This change would not modify any file."
            />
          ) : (
            <Typography variant="body2" color="textSecondary">
              Preview shows the files the change would commit, before anything is written.
            </Typography>
          )}
        </InfoCard>
      </Grid>
    </Grid>
  );
}

export interface ApplicationSettingsProps {
  environment: string;
  application: string;
}

/** Settings: a form generated from the Blueprint version's configSchema; preview, then save as a commit. */
export function ApplicationSettings(props: ApplicationSettingsProps) {
  const { environment, application } = props;
  const live = useCatalystLiveApplication(environment, application);
  const [saved, setSaved] = useState<ChangeResponse | undefined>();
  const app = useCatalystApplication(
    environment,
    application,
    `${live.view?.desired?.revision ?? ''}:${saved?.commit.sha ?? ''}`,
  );
  const bp = useCatalystBlueprint(
    app.application?.blueprint,
    app.application?.source === 'shared-blueprints' ? app.application.organization : undefined,
  );
  const error = app.error ?? bp.error;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!app.application || !bp.blueprint) return <Progress />;
  return (
    <SettingsEditor
      // a new head (saved here or elsewhere) restarts the form from what Git now says
      key={`${app.application.version}:${app.application.paused}:${JSON.stringify(app.application.values)}`}
      environment={environment}
      application={app.application}
      blueprint={bp.blueprint}
      saved={saved}
      onSaved={setSaved}
    />
  );
}
