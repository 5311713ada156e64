/**
 * A browser's part in a sign-in, driven with fetch: redirects followed by hand inside one origin,
 * cookies kept, forms posted. Shared by the identity provider's own tests and the tests that sign
 * in to a Backstage backend through it.
 */

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair.split(/=(.*)/s, 2);
      const expired = attributes.some(a => {
        const [k, v] = a.trim().split('=');
        return (
          (k.toLowerCase() === 'expires' && Date.parse(v) <= Date.now()) ||
          (k.toLowerCase() === 'max-age' && Number(v) <= 0)
        );
      });
      if (expired || value === '') this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  names(): string[] {
    return [...this.cookies.keys()];
  }
}

export interface Page {
  status: number;
  url: string;
  body: string;
}

export type Outcome = { kind: 'page'; page: Page } | { kind: 'redirect'; location: string };

/** The page an outcome stopped at; throws when it left the IdP instead. */
export function pageOf(outcome: Outcome): Page {
  if (outcome.kind !== 'page') throw new Error(`expected a page, got a redirect to ${outcome.location}`);
  return outcome.page;
}

/** Where an outcome left the IdP; throws when it stopped at a page instead. */
export function redirectOf(outcome: Outcome): string {
  if (outcome.kind !== 'redirect') {
    throw new Error(
      `expected a redirect, got ${outcome.page.status} at ${outcome.page.url}: ${outcome.page.body.slice(0, 300)}`,
    );
  }
  return outcome.location;
}

/**
 * Requests `url` and follows redirects inside the IdP; stops at a page, or at a redirect that
 * leaves the IdP (to the portal), which it does not follow.
 */
export async function browse(
  jar: CookieJar,
  url: string,
  init: RequestInit = {},
  idpUrl = new URL(url).origin,
): Promise<Outcome> {
  let next = url;
  let request = init;
  for (let hops = 0; hops < 20; hops++) {
    const res = await fetch(next, {
      ...request,
      redirect: 'manual',
      headers: { ...(request.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const target = new URL(location, next);
      await res.arrayBuffer();
      if (target.origin !== new URL(idpUrl).origin) return { kind: 'redirect', location: target.href };
      next = target.href;
      request = {};
      continue;
    }
    return { kind: 'page', page: { status: res.status, url: next, body: await res.text() } };
  }
  throw new Error(`more than 20 redirects from ${url}`);
}

/** The action and fields of the first form on a page. */
export function formOf(page: Page): { action: string; fields: Record<string, string> } {
  const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(page.body);
  if (!form) throw new Error(`no form on ${page.url} (${page.status}): ${page.body.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const [, attributes] of form[2].matchAll(/<input([^>]*)>/g)) {
    const name = /\bname="([^"]*)"/.exec(attributes)?.[1];
    if (name) fields[name] = /\bvalue="([^"]*)"/.exec(attributes)?.[1] ?? '';
  }
  return { action: new URL(form[1].replace(/&#38;/g, '&'), page.url).href, fields };
}

export function postForm(jar: CookieJar, action: string, fields: Record<string, string>, idpUrl: string) {
  return browse(
    jar,
    action,
    {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    },
    idpUrl,
  );
}
