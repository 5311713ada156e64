import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIdpArgs, runIdentityProviderCli } from './cli';
import { verifyPassword } from './users/passwords';

describe('parseIdpArgs', () => {
  it('reads every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseIdpArgs([
        '--data-dir',
        '/data',
        '--host=127.0.0.1',
        '--port',
        '7009',
        '--portal-url=http://localhost:7100',
        '--client-secret',
        's3',
        '--access-token-ttl-seconds',
        '60',
        '--verbose',
      ]),
    ).toEqual({
      ok: true,
      command: 'serve',
      verbose: true,
      options: {
        dataDir: '/data',
        host: '127.0.0.1',
        port: 7009,
        portalUrl: 'http://localhost:7100',
        clientSecret: 's3',
        accessTokenTtlSeconds: 60,
      },
    });
  });

  it.each([
    [[], /--data-dir is required/],
    [['--data-dir'], /--data-dir needs a value/],
    [['--data-dir', 'x', '--port', 'eighty'], /--port must be a non-negative integer, got 'eighty'/],
    [['--data-dir', 'x', '--portal-url', 'localhost:7007'], /--portal-url must be an http\(s\) URL/],
    [['--data-dir', 'x', '--bogus'], /unknown argument '--bogus'/],
    [['hash-password'], /hash-password needs one password/],
  ])('rejects %j with a usage message', (argv, message) => {
    const parsed = parseIdpArgs(argv);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(message);
    expect(!parsed.ok && parsed.message).toMatch(/usage: catalyst-idp --data-dir <dir>/);
  });
});

describe('runIdentityProviderCli', () => {
  it('prints one ready line that calls itself a stand-in for Keycloak, serves, and stops', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'catalyst-idp-cli-'));
    const out: string[] = [];
    const err: string[] = [];
    const idp = await runIdentityProviderCli(['--data-dir', dataDir, '--port', '0'], {
      out: line => out.push(line),
      err: line => err.push(line),
    });
    const port = new URL(idp.url).port;
    try {
      expect(out).toEqual([
        `catalyst-idp listening on 127.0.0.1:${port} (development stand-in for Keycloak, not a real identity provider); ` +
          `issuers http://localhost:${port}/realms/{catalyst,acme,globex}; users ${join(dataDir, 'idp/users.json')}`,
      ]);
      const discovery = await (await fetch(`${idp.url}/realms/acme/.well-known/openid-configuration`)).json();
      expect(discovery.issuer).toBe(`http://localhost:${port}/realms/acme`);
      expect(err).toEqual([]);
    } finally {
      await idp.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('hash-password prints a hash that verifies the password, and starts nothing', async () => {
    const out: string[] = [];
    const result = await runIdentityProviderCli(['hash-password', 'open sesame'], {
      out: l => out.push(l),
      err: () => {},
    });
    expect(result.url).toBe('');
    expect(out).toHaveLength(1);
    expect(await verifyPassword('open sesame', out[0])).toBe(true);
    expect(await verifyPassword('open sesame!', out[0])).toBe(false);
  });

  it('rejects bad arguments without starting anything', async () => {
    await expect(runIdentityProviderCli(['--port', '1'], { out: () => {}, err: () => {} })).rejects.toThrow(
      /--data-dir is required/,
    );
  });
});
