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

  /**
   * The source repos that exist, and the labels of those that could not be read (a Git host that
   * refused or did not answer): their versions stay registered as last read.
   */
  async sources(): Promise<{ repos: BlueprintSourceRepo[]; unreadable: string[] }> {
    const repos: BlueprintSourceRepo[] = [];
    const unreadable: string[] = [];
    const add = async (label: string, source: BlueprintSource) => {
      try {
        const repo = await this.openSource(source);
        if (repo) repos.push({ label, repo, ...source });
      } catch (e) {
        unreadable.push(label);
        this.deps.logger.warn(`Blueprint source ${label} could not be read; keeping its registered versions`, {
          repository: label,
          error: e instanceof Error ? e.message : String(e),
        });
      }
    };
    await add('catalog', { source: 'catalog' });
    for (const organization of await this.deps.organizations()) {
      await add(`${organization}/shared-blueprints`, { source: 'shared-blueprints', organization });
    }
    return { repos, unreadable };
  }

  /** Re-reads the tags of every source; registers new versions, drops deleted ones. */
  async refresh(): Promise<{ registered: number; invalid: number; changed: boolean }> {
    const seen = new Set<string>();
    const valid: BlueprintVersion[] = [];
    const invalid: InvalidBlueprintVersion[] = [];
    const { repos, unreadable } = await this.sources();
    const keep = (entry: Registered) => (entry.ok ? valid.push(entry.version) : invalid.push(entry.invalid));
    for (const src of repos) {
      const found: Array<[string, Registered]> = [];
      try {
        const repo = src.repo;
        for (const tag of await repo.listTags()) {
          const parsed = parseBlueprintTag(tag);
          if (!parsed.ok) continue; // not a release tag
          const commit = await repo.resolve(`refs/tags/${tag}`);
          if (!commit) continue;
          const key = `${src.label}\u0000${tag}\u0000${commit}`;
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
          found.push([key, entry]);
        }
      } catch (e) {
        // The source went away mid-read (a Git host stopped answering): as if it could not be opened.
        unreadable.push(src.label);
        this.deps.logger.warn(`Blueprint source ${src.label} could not be read; keeping its registered versions`, {
          repository: src.label,
          error: e instanceof Error ? e.message : String(e),
        });
        continue;
      }
      for (const [key, entry] of found) {
        seen.add(key);
        keep(entry);
      }
    }
    // What an unreadable source had registered stays until it can be read again.
    for (const label of unreadable) {
      for (const [key, entry] of this.cache) {
        if (!key.startsWith(`${label}\u0000`) || seen.has(key)) continue;
        seen.add(key);
        keep(entry);
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
