import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { InfoCard, Progress, ResponseErrorPanel, Select } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Grid, makeStyles, Typography } from '@material-ui/core';
import { Alert, ToggleButton, ToggleButtonGroup } from '@material-ui/lab';
import { Form } from '@rjsf/material-ui';
import type { RJSFSchema } from '@rjsf/utils';
import validator from '@rjsf/validator-ajv8';
import useAsync from 'react-use/esm/useAsync';
import {
  ApplicationDetail,
  BlueprintDetail,
  ChangeResponse,
  PlanResponse,
  UpdateBody,
} from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { useCatalystApplication, useCatalystBlueprint } from '../../hooks/useCatalystData';
import { useCatalystLiveApplication } from '../../hooks/useCatalystLive';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { withApplicationRefChoices } from '../../utils/settingsForm';
import { ChangeOutcome } from '../ChangeOutcome';
import { FileDiffView } from '../FileDiffView';
import { IacEditor } from '../IacEditor';
import { ApplicationFacts } from './ApplicationFacts';
import { PauseControl } from './PauseControl';
import { Problem, problemOf } from './settingsProblem';

const useStyles = makeStyles(theme => ({
  views: { display: 'flex', justifyContent: 'flex-end', marginBottom: theme.spacing(2) },
  pickers: { display: 'flex', gap: theme.spacing(3), flexWrap: 'wrap', marginBottom: theme.spacing(2) },
  picker: { minWidth: 200 },
  buttons: { display: 'flex', gap: theme.spacing(2), marginTop: theme.spacing(2) },
}));

/**
 * The depths of the Settings tab (reference §8.6), a toggle on the page, never a modal: Form (the
 * configSchema's fields), Advanced (also the version pin, the size, pause, and what application.yaml
 * says), IaC (the files themselves in Monaco). Kept in the URL's `view`, so a link opens the same one.
 */
export const SETTINGS_VIEWS = [
  { value: 'form', label: 'Form', title: 'The settings of the Blueprint as a form' },
  { value: 'advanced', label: 'Advanced', title: 'Also the version, the size, pause and placement' },
  { value: 'iac', label: 'IaC', title: 'values.yaml and application.yaml in an editor' },
] as const;
export type SettingsView = (typeof SETTINGS_VIEWS)[number]['value'];

interface EditorProps {
  environment: string;
  application: ApplicationDetail;
  blueprint: BlueprintDetail;
  /** The last save of this page (kept by the parent: a save reloads the editor). */
  saved?: ChangeResponse;
  onSaved: (result: ChangeResponse) => void;
  /** Advanced: the version pin, the size, pause and application.yaml's facts beside the form. */
  advanced: boolean;
}

function SettingsEditor(props: EditorProps) {
  const { environment, application: app, blueprint, saved, onSaved, advanced } = props;
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
            advanced && (
              <PauseControl
                environment={environment}
                application={app}
                disabled={!mayConfigure || busy !== undefined}
                onDone={onSaved}
                onFailed={error => setProblem(problemOf(error, scope))}
              />
            )
          }
        >
          {!permissionLoading && !allowed && (
            <Alert severity="info" style={{ marginBottom: 16 }}>
              You may look at these settings but not change them: {reason ?? `not in ${environment}`}.
            </Alert>
          )}
          {advanced && (
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
          )}
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
        {advanced && (
          <Box mt={3}>
            <ApplicationFacts application={app} />
          </Box>
        )}
      </Grid>
    </Grid>
  );
}

export interface ApplicationSettingsProps {
  environment: string;
  application: string;
}

/** The view in the URL (`?view=advanced`), Form when it names none or one that does not exist. */
function viewOf(value: string | null): SettingsView {
  return SETTINGS_VIEWS.find(v => v.value === value)?.value ?? 'form';
}

/**
 * Settings: a form generated from the Blueprint version's configSchema (preview, then save as a
 * commit), the same with the version, size and pause (Advanced), or the files in an editor (IaC).
 * Every view writes through the provisioning service: a commit, or a change request where governed.
 */
export function ApplicationSettings(props: ApplicationSettingsProps) {
  const { environment, application } = props;
  const classes = useStyles();
  const [params, setParams] = useSearchParams();
  const view = viewOf(params.get('view'));
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
  const choose = (next: SettingsView | null) => {
    if (!next) return;
    const search = new URLSearchParams(params);
    if (next === 'form') search.delete('view');
    else search.set('view', next);
    setParams(search, { replace: true });
  };
  const error = app.error ?? bp.error;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!app.application || !bp.blueprint) return <Progress />;
  return (
    <>
      <Box className={classes.views}>
        <ToggleButtonGroup
          exclusive
          size="small"
          value={view}
          onChange={(_e, next: SettingsView | null) => choose(next)}
          aria-label="Settings view"
        >
          {SETTINGS_VIEWS.map(v => (
            <ToggleButton key={v.value} value={v.value} title={v.title} data-testid={`settings-view-${v.value}`}>
              {v.label}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </Box>
      {view === 'iac' ? (
        // not keyed by the head: edits in the files survive a new head (the editor says so)
        <IacEditor
          environment={environment}
          application={app.application}
          blueprint={bp.blueprint}
          saved={saved}
          onSaved={setSaved}
        />
      ) : (
        <SettingsEditor
          // a new head (saved here or elsewhere) restarts the form from what Git now says
          key={`${app.application.version}:${app.application.paused}:${JSON.stringify(app.application.values)}`}
          environment={environment}
          application={app.application}
          blueprint={bp.blueprint}
          saved={saved}
          onSaved={setSaved}
          advanced={view === 'advanced'}
        />
      )}
    </>
  );
}
