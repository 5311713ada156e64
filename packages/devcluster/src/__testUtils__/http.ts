import { get, IncomingMessage, request } from 'node:http';
import { KubeConfig } from '@kubernetes/client-node';

export interface WatchLine {
  type: string;
  object: {
    kind?: string;
    code?: number;
    reason?: string;
    message?: string;
    metadata?: { name?: string; namespace?: string; resourceVersion?: string; labels?: Record<string, string> };
  };
}

export async function getJson(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', chunk => (text += chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
        } catch (error) {
          reject(new Error(`${url}: not JSON: ${text.slice(0, 200)}`));
        }
      });
    }).on('error', reject);
  });
}

export async function sendRaw(url: string, method: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method }, res => {
      let text = '';
      res.on('data', chunk => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end('{}');
  });
}

/**
 * Opens a raw watch and collects its newline-delimited events until `count`
 * arrived or the server ends the stream (then `ended` is true).
 */
export async function collectWatch(
  url: string,
  options: { count?: number; timeoutMs?: number; onOpen?: () => void } = {},
): Promise<{ events: WatchLine[]; ended: boolean; status: number }> {
  return new Promise((resolve, reject) => {
    const events: WatchLine[] = [];
    let buffer = '';
    let done = false;
    let response: IncomingMessage | undefined;
    const timers: { deadline?: NodeJS.Timeout } = {};
    const finish = (ended: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timers.deadline);
      response?.destroy();
      resolve({ events, ended, status: response?.statusCode ?? 0 });
    };
    timers.deadline = setTimeout(() => finish(false), options.timeoutMs ?? 3000);
    const req = get(url, res => {
      response = res;
      options.onOpen?.();
      res.setEncoding('utf8');
      res.on('data', chunk => {
        buffer += chunk;
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line.trim()) events.push(JSON.parse(line));
          if (options.count !== undefined && events.length >= options.count) finish(false);
        }
      });
      res.on('end', () => finish(true));
      res.on('close', () => finish(true));
    });
    req.on('error', error => (done ? undefined : reject(error)));
  });
}

/** A kubeconfig for one devcluster cluster, as the portal builds it (token sent, and ignored). */
export function kubeConfigFor(server: string, name = 'devcluster-acme-dev'): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name, server, skipTLSVerify: true }],
    users: [{ name: 'portal', token: 'any-token-is-ignored' }],
    contexts: [{ name, cluster: name, user: 'portal' }],
    currentContext: name,
  });
  return kc;
}
