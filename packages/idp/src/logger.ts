/** Where the IdP logs: the CLI writes JSON lines to stderr; the library default is silent. */
export interface IdpLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: IdpLogger = { info: () => {}, warn: () => {}, error: () => {} };
