/**
 * Catalyst for Backstage's new frontend system: the plugin as this entry point's default export,
 * which is how an app's feature discovery (`app.packages`) installs it.
 *
 * @packageDocumentation
 */
import { catalystFrontendPlugin } from './alpha/plugin';

/** @alpha */
export default catalystFrontendPlugin;
