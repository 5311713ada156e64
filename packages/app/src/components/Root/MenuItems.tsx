import HomeIcon from '@material-ui/icons/Home';
import ExtensionIcon from '@material-ui/icons/Extension';
import CreateComponentIcon from '@material-ui/icons/AddCircleOutline';
import StorefrontIcon from '@material-ui/icons/Storefront';
import LayersIcon from '@material-ui/icons/Layers';
import MergeTypeIcon from '@material-ui/icons/MergeType';
import GroupIcon from '@material-ui/icons/People';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { SidebarItem } from '@backstage/core-components';
import { MyGroupsSidebarItem } from '@backstage/plugin-org';

/** The portal's global nav (not Organization-specific), in the sidebar's Menu group. */
export const MenuItems = () => (
  <>
    <SidebarItem icon={StorefrontIcon} to="catalyst/marketplace" text="Marketplace" />
    <SidebarItem icon={LayersIcon} to="catalyst/environments" text="Environments" />
    <SidebarItem icon={MergeTypeIcon} to="catalyst/change-requests" text="Change requests" />
    <SidebarItem icon={VpnKeyIcon} to="catalyst/git-access" text="Git access" />
    {/* `end`: entity pages live under /catalog/… too, and must not light up Home */}
    <SidebarItem icon={HomeIcon} to="catalog" text="Home" end />
    <MyGroupsSidebarItem singularTitle="My Group" pluralTitle="My Groups" icon={GroupIcon} />
    <SidebarItem icon={ExtensionIcon} to="api-docs" text="APIs" />
    <SidebarItem icon={CreateComponentIcon} to="create" text="Create..." />
  </>
);
