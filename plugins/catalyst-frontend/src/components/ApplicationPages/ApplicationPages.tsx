import { ReactNode } from 'react';
import { Grid } from '@material-ui/core';
import { CatalystEntityNames } from '../../conditions';
import { ApplicationEvents } from '../ApplicationEvents';
import { ApplicationHistory } from '../ApplicationHistory';
import { ApplicationManifests } from '../ApplicationManifests';
import { ApplicationOverviewCard } from '../ApplicationOverviewCard';
import { ApplicationPromotion } from '../ApplicationPromotion';
import { ApplicationSettings } from '../ApplicationSettings';
import { ApplicationTopology } from '../ApplicationTopology';
import { CatalystEntityGuard } from '../CatalystEntityGuard';

/** The Application entity's names, once the guard has checked they are there. */
function WithApplication(props: { children: (names: { environment: string; application: string }) => ReactNode }) {
  return (
    <CatalystEntityGuard>
      {(names: CatalystEntityNames) =>
        names.environment && names.application
          ? props.children({ environment: names.environment, application: names.application })
          : null
      }
    </CatalystEntityGuard>
  );
}

/** Overview tab: the Application card and its latest events. */
export function ApplicationOverviewContent() {
  return (
    <WithApplication>
      {n => (
        <Grid container spacing={3}>
          <Grid item xs={12} lg={8}>
            <ApplicationOverviewCard {...n} />
          </Grid>
          <Grid item xs={12} lg={4}>
            <ApplicationEvents {...n} limit={6} />
          </Grid>
        </Grid>
      )}
    </WithApplication>
  );
}

export function ApplicationSettingsContent() {
  return <WithApplication>{n => <ApplicationSettings {...n} />}</WithApplication>;
}

export function ApplicationTopologyContent() {
  return <WithApplication>{n => <ApplicationTopology {...n} />}</WithApplication>;
}

/** Promotion tab: the Application across its Organization's Environments, with "Copy to …". */
export function ApplicationPromotionContent() {
  return <WithApplication>{n => <ApplicationPromotion {...n} />}</WithApplication>;
}

export function ApplicationHistoryContent() {
  return <WithApplication>{n => <ApplicationHistory {...n} />}</WithApplication>;
}

export function ApplicationManifestsContent() {
  return <WithApplication>{n => <ApplicationManifests {...n} />}</WithApplication>;
}

export function ApplicationEventsContent() {
  return <WithApplication>{n => <ApplicationEvents {...n} />}</WithApplication>;
}
