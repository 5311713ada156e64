import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { IdpLogger } from './logger';

type Payload = Record<string, unknown>;
interface Entry {
  payload: Payload;
  /** Epoch ms; absent = no expiry. */
  expiresAt?: number;
}

/**
 * One realm's sessions, interactions, codes, grants and tokens, kept in memory and written whole
 * to a JSON file after every change (a rename, so a crash leaves the previous file). Sign-ins are
 * few on a development machine, so a full rewrite is cheap; in exchange a crashed and restarted
 * IdP still knows every refresh token and session — nobody is signed out by a restart.
 */
export class RealmStateFile {
  private readonly entries = new Map<string, Entry>();

  static open(file: string, logger: IdpLogger): RealmStateFile {
    const state = new RealmStateFile(file);
    if (existsSync(file)) {
      try {
        const data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Entry>;
        const now = Date.now();
        for (const [key, entry] of Object.entries(data)) {
          if (entry.expiresAt === undefined || entry.expiresAt > now) state.entries.set(key, entry);
        }
      } catch (error) {
        // Only sessions and tokens live here: starting empty signs people out, nothing worse.
        logger.warn('realm state unreadable; starting with no sessions', { file, error: String(error) });
      }
    }
    return state;
  }

  private constructor(private readonly file: string) {}

  get(key: string): Payload | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  find(predicate: (key: string, payload: Payload) => boolean): Payload | undefined {
    for (const [key, entry] of this.entries) {
      if (predicate(key, entry.payload)) return this.get(key);
    }
    return undefined;
  }

  set(key: string, payload: Payload, expiresInSeconds?: number) {
    this.entries.set(key, {
      payload,
      ...(expiresInSeconds !== undefined ? { expiresAt: Date.now() + expiresInSeconds * 1000 } : {}),
    });
    this.save();
  }

  update(key: string, change: (payload: Payload) => void) {
    const entry = this.entries.get(key);
    if (!entry) return;
    change(entry.payload);
    this.save();
  }

  deleteWhere(predicate: (key: string, payload: Payload) => boolean) {
    let changed = false;
    for (const [key, entry] of this.entries) {
      if (predicate(key, entry.payload)) {
        this.entries.delete(key);
        changed = true;
      }
    }
    if (changed) this.save();
  }

  private save() {
    const now = Date.now();
    const live: Record<string, Entry> = {};
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt === undefined || entry.expiresAt > now) live[key] = entry;
      else this.entries.delete(key);
    }
    mkdirSync(dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(live), { mode: 0o600 });
    renameSync(temporary, this.file);
  }
}

/** oidc-provider's adapter interface: what it calls to keep one model's entries. */
export interface OidcAdapter {
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void>;
  find(id: string): Promise<Payload | undefined>;
  findByUid(uid: string): Promise<Payload | undefined>;
  findByUserCode(userCode: string): Promise<Payload | undefined>;
  consume(id: string): Promise<void>;
  destroy(id: string): Promise<void>;
  revokeByGrantId(grantId: string): Promise<void>;
}

/**
 * oidc-provider's storage adapter over a RealmStateFile: one adapter per model name (Session,
 * Grant, RefreshToken, …), keys `<model>:<id>`.
 */
export function fileAdapterFactory(state: RealmStateFile): (model: string) => OidcAdapter {
  return model => {
    const prefix = `${model}:`;
    return {
      async upsert(id, payload, expiresIn) {
        state.set(prefix + id, payload, expiresIn);
      },
      async find(id) {
        return state.get(prefix + id);
      },
      async findByUid(uid) {
        return state.find((key, payload) => key.startsWith(prefix) && payload.uid === uid);
      },
      async findByUserCode(userCode) {
        return state.find((key, payload) => key.startsWith(prefix) && payload.userCode === userCode);
      },
      async consume(id) {
        state.update(prefix + id, payload => {
          payload.consumed = Math.floor(Date.now() / 1000);
        });
      },
      async destroy(id) {
        state.deleteWhere(key => key === prefix + id);
      },
      async revokeByGrantId(grantId) {
        state.deleteWhere((_key, payload) => payload.grantId === grantId);
      },
    };
  };
}
