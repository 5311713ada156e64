import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { AuthenticationError, isError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CATALYST_ERROR_CODES, GIT_TOKEN_PREFIX } from '@internal/plugin-catalyst-common';
import { CatalystPrincipal, serveGitHttpBackend } from '@internal/plugin-catalyst-node';
import express, { Request, Response } from 'express';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import type { Authorization } from '../access/Authorization';
import type { CatalystAccessService } from '../access/CatalystAccessService';
import { CatalystAudit, statusOf } from '../audit/CatalystAudit';
import type { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { writeHookScripts } from './hookScripts';
import { PushedObjects } from './pushedObjects';
import { parseRefUpdates, PushContext, PushPolicy, Verdict } from './PushPolicy';
import type { GitTokenStore } from './GitTokenStore';

export interface GitHttpSurfaceDeps {
  gitRoot: string;
  /** Environment repos live on a Git host: pushes go there, not through Catalyst. */
  remote: boolean;
  store: Pick<DatabaseOrganizationStore, 'getEnvironment'>;
  tokens: GitTokenStore;
  access: Pick<CatalystAccessService, 'principal' | 'principalOfGitToken'>;
  auth: AuthService;
  authorization: Authorization;
  audit: CatalystAudit;
  policy: PushPolicy;
  logger: LoggerService;
  now: () => Date;
}

const ROUTE =
  /^\/([a-z][a-z0-9-]{1,62})\/([a-z0-9][a-z0-9-]{0,62})\.git\/(info\/refs|git-upload-pack|git-receive-pack)$/;
const SERVICES = new Set(['git-upload-pack', 'git-receive-pack']);

/** An answer git shows its user: smart HTTP prints a text/plain body as `remote: …`. */
class GitAnswer extends Error {
  constructor(readonly status: number, message: string, readonly code: string) {
    super(message);
  }
}

/**
 * Git over smart HTTP at `/api/catalyst/git/<org>/<repo>.git`: the Organization's Environment repos
 * and its shared-blueprints, served from the embedded Git root by Debian git's `http-backend` (the
 * protocol is git's; what Catalyst adds is who may and what the rules say). A request authenticates
 * with a personal Git token (Basic auth, any user name) or a Backstage token; fetching needs read,
 * pushing needs configure — decided by the same Authorization as every other surface. What a push
 * may change is decided in its pre-receive hook by {@link PushPolicy}.
 */
export class GitHttpSurface {
  private readonly pushes = new Map<string, PushContext & { refusal?: string }>();

  private constructor(
    private readonly deps: GitHttpSurfaceDeps,
    private readonly dir: string,
    private readonly hooks: { hooksPath: string; script: string },
    private readonly hookServer: http.Server,
  ) {}

  static async create(deps: GitHttpSurfaceDeps): Promise<GitHttpSurface> {
    // Short and private: a Unix socket path must fit in 108 bytes, and only this user may use it.
    const dir = await fs.promises.mkdtemp(join(os.tmpdir(), 'catalyst-git-'));
    const hooks = writeHookScripts(dir);
    const server = http.createServer();
    const surface = new GitHttpSurface(deps, dir, hooks, server);
    server.on('request', (req, res) => surface.onHook(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(join(dir, 'hook.sock'), () => resolve());
    });
    // a hook's call arrives only while a push holds the request open: never keep the process alive
    server.unref();
    return surface;
  }

  async stop(): Promise<void> {
    await new Promise<void>(resolve => this.hookServer.close(() => resolve()));
    await fs.promises.rm(this.dir, { recursive: true, force: true });
  }

  router(): express.Router {
    const router = express.Router();
    router.use('/git', (req, res) => {
      this.serve(req, res).catch(error => this.fail(res, error));
    });
    return router;
  }

  private fail(res: Response, error: unknown) {
    if (res.headersSent) {
      res.end();
      return;
    }
    const status = error instanceof GitAnswer ? error.status : statusOf(error);
    if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="Catalyst Git", charset="UTF-8"');
    if (status >= 500) this.deps.logger.error(`Git surface: ${String(error)}`);
    res
      .status(status)
      .type('text/plain')
      .send(`${isError(error) ? error.message : String(error)}\n`);
  }

  private async serve(req: Request, res: Response): Promise<void> {
    const m = ROUTE.exec(req.path);
    if (!m) throw new GitAnswer(404, 'Not a Catalyst repository: /git/<organization>/<repo>.git', 'not-found');
    const [, organization, repoName, rest] = m;
    const service = rest === 'info/refs' ? String(req.query.service ?? '') : rest;
    if (!SERVICES.has(service) || (rest === 'info/refs' ? req.method !== 'GET' : req.method !== 'POST')) {
      throw new GitAnswer(403, 'Catalyst speaks smart HTTP only (git 1.6.6 or newer)', 'not-allowed');
    }
    if (this.deps.remote) {
      throw new GitAnswer(404, 'The Environment repos live on the Git host; clone and push there', 'not-found');
    }
    const push = service === 'git-receive-pack';
    const who = await this.authenticate(req, organization);
    const target = { organization, repository: `${repoName}.git` };
    const attempt = {
      eventId: push ? 'git-push' : 'git-fetch',
      surface: 'git',
      write: push && rest !== 'info/refs',
      ...(who.credentials ? { request: req, credentials: who.credentials } : { actor: who.principal.userRef }),
      target,
    };
    let context: (PushContext & { refusal?: string }) | undefined;
    try {
      await this.deps.audit.attempt(attempt, async () => {
        context = await this.authorize(who.principal, organization, repoName, push);
        await this.runBackend(req, res, context, organization, repoName, rest, push && rest !== 'info/refs');
        // The answer is sent; a push its hook refused is recorded as refused all the same.
        if (context.refusal) {
          throw Object.assign(new NotAllowedError(context.refusal), {
            code: CATALYST_ERROR_CODES.notAllowed,
            answered: true,
          });
        }
      });
    } catch (error) {
      if ((error as { answered?: boolean }).answered) return;
      throw error;
    }
  }

  private async authenticate(
    req: Request,
    organization: string,
  ): Promise<{ principal: CatalystPrincipal; credentials?: Awaited<ReturnType<AuthService['authenticate']>> }> {
    const header = req.headers.authorization ?? '';
    let secret: string | undefined;
    if (header.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      secret = decoded.slice(decoded.indexOf(':') + 1);
    } else if (header.startsWith('Bearer ')) secret = header.slice(7);
    if (!secret) {
      await this.refuse(req, organization, 'no credentials');
      throw new GitAnswer(401, 'Sign in with a Git token from the portal (Settings → Git tokens)', 'unauthenticated');
    }
    if (secret.startsWith(GIT_TOKEN_PREFIX)) {
      const token = await this.deps.tokens.verify(secret, this.deps.now());
      if (!token) {
        await this.refuse(req, organization, 'unknown, revoked or expired Git token');
        throw new GitAnswer(
          401,
          'This Git token is unknown, revoked or expired; make a new one in the portal',
          'unauthenticated',
        );
      }
      if (token.organization !== organization) {
        await this.refuse(req, organization, `a Git token for ${token.organization}`, token.userRef);
        throw new GitAnswer(
          403,
          `This Git token is for Organization ${token.organization}, not ${organization}`,
          'not-allowed',
        );
      }
      const principal = await this.deps.access.principalOfGitToken(
        token,
        await this.deps.auth.getOwnServiceCredentials(),
      );
      return { principal };
    }
    let credentials;
    try {
      credentials = await this.deps.auth.authenticate(secret);
    } catch {
      await this.refuse(req, organization, 'a token that does not verify');
      throw new GitAnswer(401, 'The token does not verify; use a Git token from the portal', 'unauthenticated');
    }
    return { principal: await this.deps.access.principal(credentials), credentials };
  }

  private refuse(req: Request, organization: string, why: string, actor?: string) {
    const error = Object.assign(new AuthenticationError(why), { code: CATALYST_ERROR_CODES.unauthenticated });
    return this.deps.audit.refusedAtTheDoor(
      { eventId: 'git-request', surface: 'git', request: req, ...(actor ? { actor } : {}), target: { organization } },
      error,
    );
  }

  private async authorize(
    principal: CatalystPrincipal,
    organization: string,
    repoName: string,
    push: boolean,
  ): Promise<PushContext> {
    const action = push ? 'configure' : 'read';
    if (repoName === 'shared-blueprints') {
      await this.deps.authorization.organization(principal, organization, action);
      const gitdir = join(this.deps.gitRoot, organization, 'shared-blueprints.git');
      if (!fs.existsSync(join(gitdir, 'HEAD')))
        throw new NotFoundError(`${organization} has no shared-blueprints repo`);
      return { principal, organization, gitdir };
    }
    const known = await this.deps.store.getEnvironment(repoName);
    if (!known || known.organization !== organization) {
      throw Object.assign(new NotFoundError(`${organization} has no Environment ${repoName}`), {
        code: CATALYST_ERROR_CODES.environmentNotFound,
      });
    }
    const env = await this.deps.authorization.environment(principal, repoName, action);
    const gitdir = join(this.deps.gitRoot, organization, `${repoName}.git`);
    if (!fs.existsSync(join(gitdir, 'HEAD'))) throw new NotFoundError(`${repoName} is not bootstrapped yet`);
    return { principal, organization, gitdir, env };
  }

  /** Runs git's http-backend for this request, with Catalyst's hooks and the push's one-time id. */
  private runBackend(
    req: Request,
    res: Response,
    context: PushContext & { refusal?: string },
    organization: string,
    repoName: string,
    rest: string,
    push: boolean,
  ): Promise<void> {
    const id = randomBytes(16).toString('hex');
    if (push) this.pushes.set(id, context);
    const config: Array<[string, string]> = [
      ['http.uploadpack', 'true'],
      ['http.receivepack', 'true'],
      ['core.hooksPath', this.hooks.hooksPath],
      // history is the audit trail: no rewriting main, no deleting the branch HEAD names
      ['receive.denyNonFastForwards', 'true'],
      ['receive.denyDeleteCurrent', 'true'],
      ['receive.fsckObjects', 'true'],
    ];
    const pathInfo = `/${organization}/${repoName}.git/${rest}`;
    return serveGitHttpBackend(req, res, {
      projectRoot: this.deps.gitRoot,
      pathInfo,
      remoteUser: context.principal.userRef,
      env: {
        HOME: this.dir,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_COUNT: String(config.length),
        ...Object.fromEntries(
          config.flatMap(([k, v], i) => [
            [`GIT_CONFIG_KEY_${i}`, k],
            [`GIT_CONFIG_VALUE_${i}`, v],
          ]),
        ),
        CATALYST_NODE: process.execPath,
        CATALYST_HOOK_SCRIPT: this.hooks.script,
        CATALYST_PUSH_SOCKET: join(this.dir, 'hook.sock'),
        CATALYST_PUSH_ID: id,
      },
    }).finally(() => this.pushes.delete(id));
  }

  /** A hook's call: the pre-receive check, or what follows an accepted push. */
  private onHook(req: http.IncomingMessage, res: http.ServerResponse) {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', d => {
      body += d;
    });
    req.on('end', async () => {
      let verdict: Verdict;
      try {
        const call = JSON.parse(body) as {
          id: string;
          phase: string;
          updates: string;
          objectDirectory: string | null;
          alternates: string | null;
        };
        const context = this.pushes.get(call.id);
        if (!context) verdict = { ok: false, message: 'This push was not started through Catalyst' };
        else if (call.phase === 'pre-receive') {
          const objects = new PushedObjects(context.gitdir, {
            ...(call.objectDirectory ? { objectDirectory: call.objectDirectory } : {}),
            ...(call.alternates ? { alternates: call.alternates } : {}),
          });
          verdict = await this.deps.policy.check(context, parseRefUpdates(call.updates), objects);
          if (!verdict.ok) context.refusal = verdict.message;
        } else verdict = await this.deps.policy.apply(context, parseRefUpdates(call.updates));
      } catch (error) {
        this.deps.logger.error(`Git push hook: ${String(error)}`);
        verdict = { ok: false, message: `Catalyst could not check this push: ${(error as Error).message}` };
      }
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(verdict));
    });
  }
}
