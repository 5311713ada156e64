import { createApp } from '@backstage/frontend-defaults';

/**
 * The Catalyst portal on Backstage's new frontend system. No feature is listed here: the CLI finds
 * every frontend plugin this package depends on that exports `/alpha` (catalyst-frontend among
 * them) and the app installs them because `app.packages` is `all` (app-config.yaml beside this).
 */
export default createApp();
