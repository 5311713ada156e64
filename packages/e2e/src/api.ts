import { resolve } from 'node:path';

/**
 * Where journeys put their screenshots: the git-ignored `.test-results/screenshots`, or
 * `docs/screenshots` with CATALYST_UPDATE_SCREENSHOTS=1 (refreshing the committed pictures).
 */
export const SCREENSHOTS_DIR = resolve(
  // eslint-disable-next-line no-restricted-syntax -- journeys run from source, never from a build
  __dirname,
  '../../..',
  process.env.CATALYST_UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : '.test-results/screenshots',
);

/**
 * One call to the portal's backend as a signed-in person (their session's token): `path` under
 * `/api`, a JSON body when given, the status and the parsed answer back.
 */
export async function callApi(
  baseUrl: string,
  token: string,
  path: string,
  init: { method?: string; body?: unknown } = {},
): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/api${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${token}`,
      ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
