import { Suspense, useMemo, useState } from 'react';
import { InfoCard, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { Box, Button, Grid, List, ListItem, ListItemText, makeStyles, Tab, Tabs, Typography } from '@material-ui/core';
import { Alert } from '@material-ui/lab';
import type {
  ApplicationDetail,
  BlueprintDetail,
  ChangeResponse,
  PlanResponse,
} from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';
import { refusalOf } from '../../permissions/refusals';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { serverAnswer } from '../ApplicationSettings/settingsProblem';
import { ChangeOutcome } from '../ChangeOutcome';
import { FileDiffView } from '../FileDiffView';
import { checkIac, headTexts, IAC_FILES, IacFile, iacPath, IacProblem, IacTexts, serverProblems } from './iacModel';
import { YamlEditor } from './yamlEditorSeam';

const useStyles = makeStyles(theme => ({
  buttons: { display: 'flex', gap: theme.spacing(2), alignItems: 'center', marginTop: theme.spacing(2) },
  problems: { maxHeight: 220, overflow: 'auto', marginTop: theme.spacing(1) },
  position: { fontFamily: 'monospace', marginRight: theme.spacing(1) },
}));

/** The server's answer to a failed preview or save, placed in the files where it can be. */
interface Failure {
  problems: IacProblem[];
  other: string[];
  /** 409: a valid request the Environment refuses (governed, blocked upgrade, dependents …). */
  conflict: boolean;
}

function failureOf(error: Error, scope: { environment: string; organization: string }, texts: IacTexts): Failure {
  const refusal = refusalOf(error, 'configure', scope);
  if (refusal) return { problems: [], other: [refusal], conflict: true };
  const { issues, message, statusCode } = serverAnswer(error);
  const placed = serverProblems(issues, texts);
  return {
    problems: placed.problems,
    other: issues.length ? placed.other : [message],
    conflict: statusCode === 409,
  };
}

/** Why Save is off, or what it will do: one sentence under the buttons. */
function saveHint(options: {
  allowed: boolean;
  problems: number;
  edited: boolean;
  changes: boolean;
  environment: string;
}): string {
  const { allowed, problems, edited, changes, environment } = options;
  if (!allowed) return 'Read-only: you may not change settings here.';
  if (problems > 0) return `Fix the ${problems === 1 ? 'problem' : `${problems} problems`} above to save.`;
  if (!edited) return 'Edit a file to save a change.';
  if (!changes) {
    return 'These edits change nothing the provisioning service keeps: it writes values.yaml with sorted keys and no comments.';
  }
  return `Save commits to ${environment} through the provisioning service (a change request where a policy governs it).`;
}

export interface IacEditorProps {
  environment: string;
  application: ApplicationDetail;
  blueprint: BlueprintDetail;
  /** The last save of this page (kept by the parent, which reloads the Application on a new head). */
  saved?: ChangeResponse;
  onSaved: (result: ChangeResponse) => void;
}

/**
 * The IaC view of the Settings tab: values.yaml and application.yaml of the Application in Monaco,
 * checked as you type (YAML, the Blueprint version's configSchema, and only the fields of
 * application.yaml the provisioning service changes), a live diff against the head of the
 * Environment's repository, and Save as one update through the provisioning service. Edits survive a
 * new head (the diff is then against it, and the page says so).
 */
export function IacEditor(props: IacEditorProps) {
  const { environment, application: app, blueprint, saved, onSaved } = props;
  const classes = useStyles();
  const api = useApi(catalystApiRef);
  const scope = { environment, organization: app.organization };
  const permission = useCatalystPermission({ doing: 'configure', ...scope });
  const allowed = permission.allowed && !permission.loading;
  const heads = useMemo(() => headTexts(app), [app]);
  const files = IAC_FILES.filter(f => heads[f] !== undefined);
  const [file, setFile] = useState<IacFile>('values.yaml');
  const [drafts, setDrafts] = useState<IacTexts>({});
  // the head each draft started from: when the head moves under an edit, the page says so
  const [startedFrom, setStartedFrom] = useState<IacTexts>({});
  const [busy, setBusy] = useState<'preview' | 'save' | undefined>();
  const [plan, setPlan] = useState<PlanResponse | undefined>();
  const [failure, setFailure] = useState<Failure | undefined>();

  const texts: IacTexts = { ...heads, ...drafts };
  const check = useMemo(
    () => checkIac({ application: app, blueprint, heads, texts: drafts }),
    [app, blueprint, heads, drafts],
  );
  const problems = [...check.problems, ...(failure?.problems ?? [])];
  const moved = files.filter(f => drafts[f] !== undefined && startedFrom[f] !== heads[f]);
  const diffs = files
    .filter(f => texts[f] !== heads[f])
    .map(f => ({ path: iacPath(app.name, f), change: 'modified' as const, before: heads[f], after: texts[f] }));

  const shown = files.includes(file) ? file : files[0];
  const edit = (text: string) => {
    if (text === texts[shown]) return;
    setDrafts(d => ({ ...d, [shown]: text }));
    setStartedFrom(s => (s[shown] !== undefined ? s : { ...s, [shown]: heads[shown] }));
    setFailure(undefined);
    setPlan(undefined);
  };
  const discard = () => {
    setDrafts({});
    setStartedFrom({});
    setFailure(undefined);
    setPlan(undefined);
  };
  const run = async (what: 'preview' | 'save') => {
    if (!check.body) return;
    setBusy(what);
    setFailure(undefined);
    try {
      if (what === 'preview') setPlan(await api.planUpdate(environment, app.name, check.body));
      else {
        const result = await api.updateApplication(environment, app.name, check.body);
        discard();
        onSaved(result);
      }
    } catch (e) {
      setFailure(failureOf(e as Error, scope, texts));
    } finally {
      setBusy(undefined);
    }
  };

  const canRun = allowed && busy === undefined && check.body !== undefined;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={7}>
        <InfoCard
          title="IaC editor"
          subheader={`The files of ${app.name} at the head of ${environment}, checked against ${blueprint.name}'s configSchema as you type`}
        >
          {!permission.loading && !permission.allowed && (
            <Alert severity="info" style={{ marginBottom: 16 }} data-testid="iac-read-only">
              You may read these files but not change them: {permission.reason ?? `not in ${environment}`}.
            </Alert>
          )}
          {moved.length > 0 && (
            <Alert severity="warning" style={{ marginBottom: 16 }} data-testid="iac-head-moved">
              {moved.join(' and ')} changed at the head of {environment} since you began editing: the diff and Save are
              now against the new head.
            </Alert>
          )}
          <Tabs value={shown} onChange={(_e, f: IacFile) => setFile(f)} indicatorColor="primary" aria-label="files">
            {files.map(f => {
              const count = problems.filter(p => p.file === f).length;
              return (
                <Tab
                  key={f}
                  value={f}
                  data-testid={`iac-file-${f}`}
                  label={`${f}${texts[f] !== heads[f] ? ' •' : ''}${count ? ` (${count})` : ''}`}
                />
              );
            })}
          </Tabs>
          <Box mt={1}>
            <Suspense fallback={<Progress />}>
              <YamlEditor
                file={shown}
                value={texts[shown] ?? ''}
                readOnly={!allowed}
                problems={problems.filter(p => p.file === shown)}
                onChange={edit}
                ariaLabel={`${shown} of ${app.name}`}
              />
            </Suspense>
          </Box>
          {problems.length > 0 && (
            <List dense className={classes.problems} data-testid="iac-problems" aria-label="problems">
              {problems.map(p => (
                <ListItem
                  key={`${p.file}:${p.line}:${p.column}:${p.message}`}
                  button
                  onClick={() => setFile(p.file)}
                  data-testid="iac-problem"
                >
                  <ListItemText
                    primary={
                      <>
                        <span className={classes.position}>
                          {p.file}:{p.line}:{p.column}
                        </span>
                        {p.message}
                      </>
                    }
                  />
                </ListItem>
              ))}
            </List>
          )}
          <Box className={classes.buttons}>
            <Button variant="outlined" color="primary" disabled={!canRun} onClick={() => run('preview')}>
              {busy === 'preview' ? 'Previewing…' : 'Preview commit'}
            </Button>
            <Button variant="contained" color="primary" disabled={!canRun} onClick={() => run('save')}>
              {busy === 'save' ? 'Saving…' : 'Save'}
            </Button>
            <Button disabled={!check.edited || busy !== undefined} onClick={discard}>
              Discard edits
            </Button>
          </Box>
          <Typography variant="body2" color="textSecondary" style={{ marginTop: 8 }} data-testid="iac-save-hint">
            {saveHint({
              allowed,
              problems: problems.length,
              edited: check.edited,
              changes: check.body !== undefined,
              environment,
            })}
          </Typography>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={5}>
        {failure && failure.other.length > 0 && (
          <Alert severity="error" style={{ marginBottom: 16 }} data-testid="iac-failure">
            {failure.conflict ? 'Not applied: ' : 'Not saved: '}
            {failure.other.join('; ')}
          </Alert>
        )}
        {saved && (
          <Box mb={2}>
            <ChangeOutcome result={saved} done="Saved" data-testid="iac-saved" />
          </Box>
        )}
        <InfoCard title="Changes against the head" subheader="What Save would change in these files, as you type">
          <Box data-testid="iac-diff">
            <FileDiffView files={diffs} emptyText="No edits: the files are as at the head." />
          </Box>
        </InfoCard>
        {plan && (
          <Box mt={3}>
            <InfoCard title="Preview: the commit" subheader="Every file the provisioning service would write">
              <FileDiffView
                files={plan.changes.map(c => ({ path: c.path, change: c.change, before: c.before, after: c.after }))}
                emptyText="This change would not modify any file."
              />
            </InfoCard>
          </Box>
        )}
      </Grid>
    </Grid>
  );
}
