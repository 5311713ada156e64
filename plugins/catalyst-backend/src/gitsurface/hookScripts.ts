import fs from 'node:fs';
import { join } from 'node:path';

/**
 * The hooks receive-pack runs for a push through Catalyst (set per request with `core.hooksPath`,
 * so a repo's own hooks directory plays no part). Each hands its input and the quarantine's
 * whereabouts to the backend over a Unix socket only the backend listens on, prints the verdict as
 * git's `remote:` lines, and exits non-zero to refuse. Written when the surface starts; they hold no
 * secret (each push carries a one-time id in its environment).
 */
const HOOK_JS = `'use strict';
const http = require('node:http');
const phase = process.argv[2];
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', d => (input += d));
process.stdin.on('end', () => {
  const body = JSON.stringify({
    id: process.env.CATALYST_PUSH_ID,
    phase,
    updates: input,
    objectDirectory: process.env.GIT_OBJECT_DIRECTORY || null,
    alternates: process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES || null,
  });
  const req = http.request(
    { socketPath: process.env.CATALYST_PUSH_SOCKET, path: '/hook', method: 'POST', headers: { 'content-type': 'application/json' } },
    res => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', d => (out += d));
      res.on('end', () => {
        let verdict;
        try { verdict = JSON.parse(out); } catch { verdict = { ok: false, message: 'Catalyst gave no verdict on this push' }; }
        if (verdict.message) process.stderr.write(String(verdict.message).replace(/\\n?$/, '\\n'));
        process.exit(verdict.ok ? 0 : 1);
      });
    },
  );
  req.on('error', e => {
    process.stderr.write('Catalyst could not check this push: ' + e.message + '\\n');
    process.exit(1);
  });
  req.end(body);
});
`;

export function writeHookScripts(dir: string): { hooksPath: string; script: string } {
  const hooksPath = join(dir, 'hooks');
  fs.mkdirSync(hooksPath, { recursive: true });
  const script = join(dir, 'catalyst-hook.js');
  fs.writeFileSync(script, HOOK_JS);
  for (const phase of ['pre-receive', 'post-receive']) {
    fs.writeFileSync(join(hooksPath, phase), `#!/bin/sh\nexec "$CATALYST_NODE" "$CATALYST_HOOK_SCRIPT" ${phase}\n`, {
      mode: 0o755,
    });
  }
  return { hooksPath, script };
}
