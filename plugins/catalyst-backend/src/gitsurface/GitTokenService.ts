import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  CreatedGitToken,
  createGitTokenBodySchema,
  CreateGitTokenBody,
  GitToken,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import type { GitTokenStore } from './GitTokenStore';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Personal Git tokens: created, listed and revoked by their owner in the portal. Only people hold
 * them (a service calls with its own service token), and only in an Organization they may read —
 * what the token may then do is decided on every Git request from its owner's current roles.
 */
export class GitTokenService {
  private constructor(
    private readonly deps: {
      tokens: GitTokenStore;
      authorization: Authorization;
      /** `<portal>/api/catalyst/git`: where clone URLs start. */
      gitBaseUrl: () => Promise<string>;
      now: () => Date;
    },
  ) {}

  static create(deps: GitTokenService['deps']): GitTokenService {
    return new GitTokenService(deps);
  }

  private person(principal: CatalystPrincipal): string {
    if (principal.service || principal.decidedByGrants || !principal.userRef.startsWith('user:')) {
      throw Object.assign(new NotAllowedError('Git tokens belong to people: sign in to the portal to make one'), {
        code: CATALYST_ERROR_CODES.notAllowed,
      });
    }
    return principal.userRef;
  }

  async list(principal: CatalystPrincipal): Promise<GitToken[]> {
    return this.deps.tokens.listOf(this.person(principal));
  }

  async create(principal: CatalystPrincipal, body: CreateGitTokenBody): Promise<CreatedGitToken> {
    const userRef = this.person(principal);
    const input = createGitTokenBodySchema.parse(body);
    await this.deps.authorization.organization(principal, input.organization, 'read');
    const now = this.deps.now();
    const { token, secret } = await this.deps.tokens.create({
      name: input.name,
      userRef,
      organization: input.organization,
      createdAt: now.toISOString(),
      ...(input.expiresInDays
        ? { expiresAt: new Date(now.getTime() + input.expiresInDays * DAY_MS).toISOString() }
        : {}),
    });
    return { token, secret, gitBaseUrl: `${await this.deps.gitBaseUrl()}/${input.organization}` };
  }

  async revoke(principal: CatalystPrincipal, id: string): Promise<GitToken> {
    const revoked = await this.deps.tokens.revoke(id, this.person(principal), this.deps.now().toISOString());
    if (!revoked) {
      throw Object.assign(new NotFoundError(`You have no Git token ${id}`), { code: CATALYST_ERROR_CODES.notFound });
    }
    return revoked;
  }
}
