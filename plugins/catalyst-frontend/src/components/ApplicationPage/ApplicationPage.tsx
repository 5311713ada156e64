import { useParams } from 'react-router-dom';
import { Content, Header, HeaderLabel, Page, TabbedLayout } from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { Grid } from '@material-ui/core';
import { CATALYST_ENTITY_KINDS } from '@internal/plugin-catalyst-common';
import { ApplicationEvents } from '../ApplicationEvents';
import { ApplicationHistory } from '../ApplicationHistory';
import { ApplicationManifests } from '../ApplicationManifests';
import { ApplicationOverviewCard } from '../ApplicationOverviewCard';
import { ApplicationPromotion } from '../ApplicationPromotion';
import { ApplicationSettings } from '../ApplicationSettings';
import { ApplicationTopology } from '../ApplicationTopology';
import { LiveIndicator } from '../LiveIndicator';

/**
 * `/catalyst/applications/:environment/:application`: the Application's tabs without the catalog
 * entity, which the entity provider publishes a few seconds after the install commit. It works from
 * the moment of the commit (and before: it waits for the Application to appear).
 */
export function ApplicationPage() {
  const { environment = '', application = '' } = useParams();
  const entityRoute = useRouteRef(entityRouteRef);
  const names = { environment, application };
  const catalogPage = entityRoute({
    kind: CATALYST_ENTITY_KINDS.application.toLocaleLowerCase('en-US'),
    namespace: environment,
    name: application,
  });
  return (
    <Page themeId="service">
      <Header title={application} subtitle={`Application in ${environment}`} type="Application">
        <HeaderLabel label="Environment" value={environment} />
        <HeaderLabel label="Catalog page" value="Open (with Kubernetes)" url={catalogPage} />
        <LiveIndicator />
      </Header>
      <Content>
        <TabbedLayout>
          <TabbedLayout.Route path="/" title="Overview">
            <Grid container spacing={3}>
              <Grid item xs={12} lg={8}>
                <ApplicationOverviewCard {...names} />
              </Grid>
              <Grid item xs={12} lg={4}>
                <ApplicationEvents {...names} limit={6} />
              </Grid>
            </Grid>
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/settings" title="Settings">
            <ApplicationSettings {...names} />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/topology" title="Topology">
            <ApplicationTopology {...names} />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/promotion" title="Promotion">
            <ApplicationPromotion {...names} />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/history" title="History">
            <ApplicationHistory {...names} />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/manifests" title="Manifests">
            <ApplicationManifests {...names} />
          </TabbedLayout.Route>
          <TabbedLayout.Route path="/events" title="Events">
            <ApplicationEvents {...names} />
          </TabbedLayout.Route>
        </TabbedLayout>
      </Content>
    </Page>
  );
}
