import { EmptyState, InfoCard, Progress, Table, TableColumn, WarningPanel } from '@backstage/core-components';
import { List, ListItem, ListItemText, Typography } from '@material-ui/core';
import type { ActivityEntry } from '@internal/plugin-catalyst-common';
import { useCatalystLiveApplication } from '../../hooks/useCatalystLive';
import { displayActor, relativeTime } from '../../utils/relativeTime';
import { LiveIndicator } from '../LiveIndicator';

/** `io.catalyst.application.installed` → `application installed`; `git.commit` → `commit`. */
export function eventKind(type: string): string {
  const parts = type.replace(/^io\.catalyst\./, '').split('.');
  return parts.join(' ').replace(/-/g, ' ');
}

interface Row extends ActivityEntry {}

export interface ApplicationEventsProps {
  environment: string;
  application: string;
  now?: () => number;
  /** A short list for the Overview: this many entries, without the table. */
  limit?: number;
}

/** Events: the Application's recent domain events and commits from the live read model (`activity.<app>`). */
export function ApplicationEvents(props: ApplicationEventsProps) {
  const { environment, application, now = Date.now, limit } = props;
  const live = useCatalystLiveApplication(environment, application);
  let content;
  if (live.error)
    content = <WarningPanel severity="error" title="Live events are not available" message={live.error} />;
  else if (!live.ready) content = <Progress />;
  else if (live.activity.length === 0) {
    content = (
      <EmptyState
        missing="data"
        title="No events yet"
        description="Installs, changes, rollbacks and commits appear here as they happen."
      />
    );
  } else if (limit) {
    content = (
      <List dense disablePadding>
        {live.activity.slice(0, limit).map(a => (
          <ListItem key={a.id} disableGutters>
            <ListItemText
              // the theme sets nowrap on list items; event summaries are sentences
              style={{ whiteSpace: 'normal' }}
              primary={a.summary}
              primaryTypographyProps={{ style: { overflowWrap: 'anywhere' } }}
              secondary={[
                relativeTime(a.time, now()),
                eventKind(a.type),
                displayActor(a.actor) && `by ${displayActor(a.actor)}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            />
          </ListItem>
        ))}
      </List>
    );
  } else {
    const columns: TableColumn<Row>[] = [
      { title: 'When', field: 'id', render: r => <span title={r.time}>{relativeTime(r.time, now())}</span> },
      { title: 'What', render: r => <Typography variant="body2">{r.summary}</Typography> },
      { title: 'Kind', render: r => eventKind(r.type) },
      { title: 'By', render: r => displayActor(r.actor) ?? '—' },
    ];
    content = (
      <Table<Row>
        options={{ paging: false, search: false, toolbar: false, padding: 'dense' }}
        columns={columns}
        data={live.activity.map(a => ({ ...a }))}
      />
    );
  }
  return (
    <InfoCard title="Events" subheader="Newest first, as they happen" action={<LiveIndicator />}>
      {content}
    </InfoCard>
  );
}
