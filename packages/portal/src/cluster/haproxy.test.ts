import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { haproxyConfig } from './haproxy';

describe('haproxyConfig', () => {
  it('is a configuration Debian haproxy accepts, with every replica health-checked in both pools', () => {
    const dir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-haproxy-'));
    try {
      const config = haproxyConfig({
        haproxy: '/usr/sbin/haproxy',
        dir,
        host: '127.0.0.1',
        port: 7100,
        backends: [7110, 7111, 7112],
        logFile: join(dir, 'haproxy.log'),
      });
      fs.writeFileSync(join(dir, 'haproxy.cfg'), config);
      // -c: check only; it exits non-zero on any error
      expect(execFileSync('/usr/sbin/haproxy', ['-c', '-f', join(dir, 'haproxy.cfg')], { encoding: 'utf8' })).toMatch(
        /valid/i,
      );
      expect(config.match(/server replica-\d 127\.0\.0\.1:711\d check/g)).toHaveLength(6);
      expect(config).toContain('option httpchk GET /api/catalyst/health');
      expect(config).toContain('use_backend environment_writes if environment_write write');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
