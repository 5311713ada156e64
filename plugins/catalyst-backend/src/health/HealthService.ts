import fs from 'node:fs';
import { join } from 'node:path';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Knex } from 'knex';

export interface PartHealth {
  healthy: boolean;
  detail: string;
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy';
  parts: { nats: PartHealth; git: PartHealth; database: PartHealth };
}

/** Bounds each probe, so one hung dependency cannot hang the health endpoint. */
async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<T>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Probes the three parts the catalyst backend cannot work without: NATS JetStream, the Git data dir, the database. */
export class HealthService {
  private constructor(private readonly deps: { nats: NatsConnection; gitRoot: string; db: Knex; timeoutMs: number }) {}

  static create(deps: { nats: NatsConnection; gitRoot: string; db: Knex; timeoutMs?: number }) {
    return new HealthService({ timeoutMs: 2000, ...deps });
  }

  async check(): Promise<HealthReport> {
    const [nats, git, database] = await Promise.all([this.nats(), this.git(), this.database()]);
    const healthy = nats.healthy && git.healthy && database.healthy;
    return { status: healthy ? 'healthy' : 'unhealthy', parts: { nats, git, database } };
  }

  private async nats(): Promise<PartHealth> {
    const nc = this.deps.nats;
    if (nc.isClosed()) return { healthy: false, detail: 'connection closed' };
    try {
      const jsm = await withTimeout(
        jetstreamManager(nc, { timeout: this.deps.timeoutMs }),
        this.deps.timeoutMs,
        'JetStream',
      );
      const info = await withTimeout(jsm.getAccountInfo(), this.deps.timeoutMs, 'JetStream');
      return {
        healthy: true,
        detail: `connected to ${nc.getServer()} (nats-server ${nc.info?.version ?? 'unknown'}), JetStream ${
          info.streams
        } streams`,
      };
    } catch (e) {
      return { healthy: false, detail: `${nc.getServer()}: ${(e as Error).message}` };
    }
  }

  private async git(): Promise<PartHealth> {
    const root = this.deps.gitRoot;
    try {
      await fs.promises.access(root, fs.constants.R_OK | fs.constants.W_OK);
      const catalog = fs.existsSync(join(root, 'catalog.git', 'HEAD'));
      const orgs = (await fs.promises.readdir(root, { withFileTypes: true })).filter(
        d => d.isDirectory() && !d.name.endsWith('.git'),
      );
      let repos = catalog ? 1 : 0;
      for (const org of orgs) {
        repos += (await fs.promises.readdir(join(root, org.name))).filter(n => n.endsWith('.git')).length;
      }
      return { healthy: true, detail: `${root}: ${repos} repositories${catalog ? '' : ' (no catalog.git yet)'}` };
    } catch (e) {
      return { healthy: false, detail: `${root}: ${(e as Error).message}` };
    }
  }

  private async database(): Promise<PartHealth> {
    try {
      await withTimeout(this.deps.db.raw('select 1'), this.deps.timeoutMs, 'database');
      return { healthy: true, detail: `${this.deps.db.client.config.client} answers` };
    } catch (e) {
      return { healthy: false, detail: (e as Error).message };
    }
  }
}
