import { LoggerService } from '@backstage/backend-plugin-api';
import {
  BlueprintCatalog,
  BlueprintVersion,
  CatalystIssue,
  checkBlueprintVersion,
  parseBlueprintTag,
} from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { join } from 'node:path';
import { compare } from 'semver';
import { BareGitRepository } from '../git/BareGitRepository';
import type { GitRepository } from '../git/GitRepository';

/** A tag that could not be registered, with why (shown to Blueprint authors). */
export interface InvalidBlueprintVersion {
  repository: string;
  tag: string;
  commit: string;
  errors: CatalystIssue[];
}

/** Which Blueprint source repo: the Sovereign's catalog, or an Organization's shared-blueprints. */
export type BlueprintSource = { source: 'catalog' } | { source: 'shared-blueprints'; organization: string };

export interface BlueprintSourceRepo {
  /** `catalog` or `<org>/shared-blueprints`. */
  label: string;
  repo: GitRepository;
  source: 'catalog' | 'shared-blueprints';
  organization?: string;
}

type Registered = { ok: true; version: BlueprintVersion } | { ok: false; invalid: InvalidBlueprintVersion };

/** An immutable view of the registered versions, handed to resolvers: a refresh never changes it. */
class CatalogSnapshot implements BlueprintCatalog {
  private readonly byName = new Map<string, BlueprintVersion[]>();
  constructor(versions: BlueprintVersion[]) {
    for (const v of versions) {
      const list = this.byName.get(v.blueprint.metadata.name) ?? [];
      list.push(v);
      this.byName.set(v.blueprint.metadata.name, list);
    }
    for (const list of this.byName.values()) {
      list.sort((a, b) => compare(b.blueprint.metadata.version, a.blueprint.metadata.version));
    }
  }
  versions(name: string): readonly BlueprintVersion[] {
    return this.byName.get(name) ?? [];
  }
  names(): readonly string[] {
    return [...this.byName.keys()].sort();
  }
}

/**
 * The blueprint-controller's registry: every release tag `bp-<name>/v<semver>` of the catalog repo
 * and of each Organization's shared-blueprints repo, validated with the domain core's registration
 * checks. A version enters only whole and valid; an invalid one is reported with its errors. Tags are
 * immutable, so each (repo, tag, commit) is read and validated once.
 */
export class GitBlueprintRegistry {
  private readonly cache = new Map<string, Registered>();
  private snapshot: CatalogSnapshot = new CatalogSnapshot([]);
  private invalidVersions: InvalidBlueprintVersion[] = [];
  private generation = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(
    private readonly deps: {
      gitRoot: string;
      organizations: () => Promise<string[]>;
      logger: LoggerService;
      /**
       * Opens a source repo, undefined when it does not exist (a Git host's repos through their
       * mirrors, see EnvironmentRepositories). Default: bare repos under `gitRoot`.
       */
      openSource?: (source: BlueprintSource) => Promise<GitRepository | undefined>;
    },
  ) {}

  static create(deps: GitBlueprintRegistry['deps']): GitBlueprintRegistry {
    return new GitBlueprintRegistry(deps);
  }

  /** The current catalog; resolvers keep the snapshot they started with. */
  catalog(): BlueprintCatalog {
    return this.snapshot;
  }

  invalid(): readonly InvalidBlueprintVersion[] {
    return this.invalidVersions;
  }

  /** Increases whenever the set of registered versions changes. */
  currentGeneration(): number {
    return this.generation;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private openSource(source: BlueprintSource): Promise<GitRepository | undefined> {
    if (this.deps.openSource) return this.deps.openSource(source);
    const gitdir =
      source.source === 'catalog'
        ? join(this.deps.gitRoot, 'catalog.git')
        : join(this.deps.gitRoot, source.organization, 'shared-blueprints.git');
    return fs.existsSync(join(gitdir, 'HEAD')) ? BareGitRepository.open(gitdir) : Promise.resolve(undefined);
  }

  async sources(): Promise<BlueprintSourceRepo[]> {
    const out: BlueprintSourceRepo[] = [];
    const catalog = await this.openSource({ source: 'catalog' });
    if (catalog) out.push({ label: 'catalog', repo: catalog, source: 'catalog' });
    for (const organization of await this.deps.organizations()) {
      const repo = await this.openSource({ source: 'shared-blueprints', organization });
      if (repo) out.push({ label: `${organization}/shared-blueprints`, repo, source: 'shared-blueprints', organization });
    }
    return out;
  }

  /** Re-reads the tags of every source; registers new versions, drops deleted ones. */
  async refresh(): Promise<{ registered: number; invalid: number; changed: boolean }> {
    const seen = new Set<string>();
    const valid: BlueprintVersion[] = [];
    const invalid: InvalidBlueprintVersion[] = [];
    for (const src of await this.sources()) {
      const repo = src.repo;
      for (const tag of await repo.listTags()) {
        const parsed = parseBlueprintTag(tag);
        if (!parsed.ok) continue; // not a release tag
        const commit = await repo.resolve(`refs/tags/${tag}`);
        if (!commit) continue;
        const key = `${src.label}\u0000${tag}\u0000${commit}`;
        seen.add(key);
        let entry = this.cache.get(key);
        if (!entry) {
          entry = await this.register(repo, src, tag, commit, parsed.blueprint);
          this.cache.set(key, entry);
          if (!entry.ok) {
            this.deps.logger.warn(`Blueprint release ${src.label} ${tag} is invalid and was not registered`, {
              repository: src.label,
              tag,
              errors: entry.invalid.errors.map(e => `${e.path}: ${e.message}`).join('; '),
            });
          }
        }
        if (entry.ok) valid.push(entry.version);
        else invalid.push(entry.invalid);
      }
    }
    let changed = false;
    for (const key of [...this.cache.keys()]) {
      if (!seen.has(key)) {
        this.cache.delete(key);
        changed = true;
      }
    }
    const before = this.snapshot;
    const next = new CatalogSnapshot(valid);
    changed ||= valid.length !== before.names().reduce((n, name) => n + before.versions(name).length, 0);
    if (!changed) {
      // same count: changed only if some version is new
      const had = new Set(before.names().flatMap(n => before.versions(n)));
      changed = valid.some(v => !had.has(v));
    }
    this.snapshot = next;
    this.invalidVersions = invalid;
    if (changed) {
      this.generation++;
      for (const l of this.listeners) l();
    }
    return { registered: valid.length, invalid: invalid.length, changed };
  }

  private async register(
    repo: GitRepository,
    src: BlueprintSourceRepo,
    tag: string,
    commit: string,
    name: string,
  ): Promise<Registered> {
    const files: Record<string, string> = {};
    const prefix = `${name}/`;
    for (const [path, content] of Object.entries(await repo.readDir(commit, name))) {
      files[path.slice(prefix.length)] = content;
    }
    const checked = checkBlueprintVersion({
      source: src.source,
      ...(src.organization ? { organization: src.organization } : {}),
      files,
      tag,
      commit,
    });
    if (checked.ok) return { ok: true, version: checked.version };
    return { ok: false, invalid: { repository: src.label, tag, commit, errors: checked.errors } };
  }
}
