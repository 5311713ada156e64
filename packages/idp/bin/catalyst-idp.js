#!/usr/bin/env node
/*
 * catalyst-idp: a development stand-in for Keycloak (not a real identity provider).
 * Loads the built package (run `yarn build` in packages/idp first), so starting it needs no
 * TypeScript tooling at runtime.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const entry = path.resolve(__dirname, '../dist/index.cjs.js');
if (!fs.existsSync(entry)) {
  console.error(`catalyst-idp: ${entry} not found; run \`yarn build\` in packages/idp first`);
  process.exit(1);
}

const { runIdentityProviderCli } = require(entry);

runIdentityProviderCli(process.argv.slice(2), {
  out: line => console.log(line),
  err: line => process.stderr.write(`${line}\n`),
}).then(
  idp => {
    if (!idp.url) return; // help or hash-password: nothing keeps running
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      idp.stop().then(
        () => process.exit(0),
        error => {
          console.error(`catalyst-idp: stop failed: ${error.message}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  },
  error => {
    console.error(`catalyst-idp: ${error.message}`);
    process.exit(1);
  },
);
