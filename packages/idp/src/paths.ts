import { join } from 'node:path';

/** Everything the IdP keeps lives in `<dataDir>/idp/`, beside the portal's other parts. */
export function idpPaths(dataDir: string) {
  const dir = join(dataDir, 'idp');
  return {
    dir,
    /** The users, editable by hand. */
    users: join(dir, 'users.json'),
    /** Signing keys per realm and the cookie keys: kept so tokens and sessions survive a restart. */
    keys: join(dir, 'keys.json'),
    /** Sessions, grants and tokens of one realm. */
    state: (realm: string) => join(dir, `state-${realm}.json`),
  };
}
