import { EntitySwitch, isKind } from '@backstage/plugin-catalog';
import { isCatalystApplication, isCatalystBlueprint, isCatalystEnvironment } from '@internal/plugin-catalyst-frontend';
import { apiPage } from './apiPage';
import { applicationPage } from './applicationPage';
import { blueprintPage } from './blueprintPage';
import { componentPage, defaultEntityPage } from './componentPage';
import { environmentPage } from './environmentPage';
import { groupPage, userPage } from './orgPages';
import { domainPage, systemPage } from './systemPages';

/** The entity page of each kind, one file per kind (or per family of kinds). */
export const entityPage = (
  <EntitySwitch>
    <EntitySwitch.Case if={isCatalystBlueprint} children={blueprintPage} />
    <EntitySwitch.Case if={isCatalystEnvironment} children={environmentPage} />
    <EntitySwitch.Case if={isCatalystApplication} children={applicationPage} />
    <EntitySwitch.Case if={isKind('component')} children={componentPage} />
    <EntitySwitch.Case if={isKind('api')} children={apiPage} />
    <EntitySwitch.Case if={isKind('group')} children={groupPage} />
    <EntitySwitch.Case if={isKind('user')} children={userPage} />
    <EntitySwitch.Case if={isKind('system')} children={systemPage} />
    <EntitySwitch.Case if={isKind('domain')} children={domainPage} />

    <EntitySwitch.Case>{defaultEntityPage}</EntitySwitch.Case>
  </EntitySwitch>
);
