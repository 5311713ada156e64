import { useState } from 'react';
import { CodeSnippet, EmptyState, InfoCard, Progress, ResponseErrorPanel } from '@backstage/core-components';
import { Grid, List, ListItem, ListItemText, ListSubheader, makeStyles } from '@material-ui/core';
import { useCatalystApplication } from '../../hooks/useCatalystData';
import { useCatalystLiveApplication } from '../../hooks/useCatalystLive';

const useStyles = makeStyles(theme => ({
  list: { maxHeight: 640, overflow: 'auto' },
  path: { fontFamily: 'monospace', fontSize: '0.8rem', wordBreak: 'break-all' },
  subheader: { backgroundColor: theme.palette.background.paper, lineHeight: '32px' },
}));

const LANGUAGES: Record<string, string> = {
  yaml: 'yaml',
  yml: 'yaml',
  json: 'json',
  md: 'markdown',
  html: 'html',
  conf: 'nginx',
};

export function languageOf(path: string): string {
  const ext = path.split('.').pop()?.toLowerCase() ?? '';
  return LANGUAGES[ext] ?? 'text';
}

/** Files grouped by folder, folders in repo order (flux-system/ before applications/ as Flux reads them). */
export function groupByFolder(paths: readonly string[]): Array<{ folder: string; files: string[] }> {
  const groups = new Map<string, string[]>();
  for (const p of [...paths].sort()) {
    const slash = p.lastIndexOf('/');
    const folder = slash === -1 ? '' : p.slice(0, slash);
    groups.set(folder, [...(groups.get(folder) ?? []), p]);
  }
  return [...groups.entries()].map(([folder, files]) => ({ folder, files }));
}

export interface ApplicationManifestsProps {
  environment: string;
  application: string;
}

/** Manifests: the Application's rendered files at the head of its Environment repo, read-only. */
export function ApplicationManifests(props: ApplicationManifestsProps) {
  const { environment, application } = props;
  const classes = useStyles();
  const live = useCatalystLiveApplication(environment, application);
  const {
    application: app,
    loading,
    error,
  } = useCatalystApplication(environment, application, live.view?.desired?.revision);
  const [selected, setSelected] = useState<string | undefined>();

  if (error) return <ResponseErrorPanel error={error} />;
  if (!app) return loading ? <Progress /> : null;
  const paths = Object.keys(app.files);
  if (paths.length === 0) {
    return (
      <EmptyState
        missing="data"
        title="No files"
        description={`${application} has no files at the head of ${environment}.`}
      />
    );
  }
  const groups = groupByFolder(paths);
  const current = selected && app.files[selected] !== undefined ? selected : groups[0].files[0];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={4}>
        <InfoCard title="Files" subheader={`${paths.length} files at the head of ${environment}`} noPadding>
          <List dense className={classes.list} aria-label="files">
            {groups.map(g => (
              <li key={g.folder}>
                <ul style={{ padding: 0 }}>
                  <ListSubheader className={classes.subheader}>{g.folder || '/'}</ListSubheader>
                  {g.files.map(f => (
                    <ListItem key={f} button selected={f === current} onClick={() => setSelected(f)}>
                      <ListItemText
                        primary={f.slice(g.folder ? g.folder.length + 1 : 0)}
                        classes={{ primary: classes.path }}
                      />
                    </ListItem>
                  ))}
                </ul>
              </li>
            ))}
          </List>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={8}>
        <InfoCard
          title={current}
          subheader="Read-only: change settings in the Settings tab, or push a commit to the repository"
        >
          <div data-testid="manifest-content">
            <CodeSnippet text={app.files[current]} language={languageOf(current)} showLineNumbers showCopyCodeButton />
          </div>
        </InfoCard>
      </Grid>
    </Grid>
  );
}
