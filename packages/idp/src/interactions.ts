import { IncomingMessage, ServerResponse } from 'node:http';
import { InteractionDetails, Provider } from 'oidc-provider';
import { interactionPath } from './createRealmProvider';
import { IdpLogger } from './logger';
import { loginPage, messagePage } from './pages';
import { isMember, Realm } from './realms';
import { UserDirectory } from './users/UserDirectory';

const MAX_FORM_BYTES = 16 * 1024;
/** Keycloak's words, for an unknown user, a wrong password and a user of another realm alike. */
export const INVALID_CREDENTIALS = 'Invalid username or password.';

export interface InteractionContext {
  realm: Realm;
  provider: Provider;
  users: UserDirectory;
  logger: IdpLogger;
}

function send(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'x-frame-options': 'DENY',
  });
  res.end(html);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Consent is granted without asking: `catalyst-portal` is the only client and first-party, as a
 * Keycloak client with "Consent required" off. Everything the request asked for is granted.
 */
async function grantConsent(ctx: InteractionContext, details: InteractionDetails) {
  const { provider } = ctx;
  const accountId = details.session?.accountId;
  const clientId = String(details.params.client_id ?? '');
  if (!accountId) throw new Error('consent prompt without a signed-in account');
  const grant =
    (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

/** GET shows the login form; POST checks it. Anything else about the interaction is oidc-provider's. */
export async function handleInteraction(
  ctx: InteractionContext,
  uid: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { realm, provider, users, logger } = ctx;
  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(req, res);
  } catch {
    details = { uid: '', prompt: { name: '', reasons: [], details: {} }, params: {} };
  }
  if (details.uid !== uid) {
    send(
      res,
      400,
      messagePage(
        'Sign-in expired',
        'This sign-in page has expired or belongs to another browser. Start again from the portal.',
      ),
    );
    return;
  }
  const action = interactionPath(realm.name, uid);

  if (details.prompt.name === 'consent') {
    const grantId = await grantConsent(ctx, details);
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }
  if (details.prompt.name !== 'login') {
    send(
      res,
      400,
      messagePage('Sign-in problem', `Unexpected step '${details.prompt.name}'. Start again from the portal.`),
    );
    return;
  }
  if (req.method === 'GET') {
    send(res, 200, loginPage({ realm: realm.name, action }));
    return;
  }
  if (req.method !== 'POST') {
    res.writeHead(405, { allow: 'GET, POST' }).end();
    return;
  }
  const form = await readForm(req);
  if (!form) {
    send(res, 400, loginPage({ realm: realm.name, action, error: 'The sign-in form could not be read.' }));
    return;
  }
  const username = (form.get('username') ?? '').trim().toLowerCase();
  const user = await users.authenticate(username, form.get('password') ?? '');
  if (!user || !isMember(user, realm)) {
    logger.info('sign-in refused', { realm: realm.name, username });
    send(res, 401, loginPage({ realm: realm.name, action, username, error: INVALID_CREDENTIALS }));
    return;
  }
  logger.info('signed in', { realm: realm.name, username });
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.id, amr: ['pwd'] } },
    { mergeWithLastSubmission: false },
  );
}
