#!/usr/bin/env node
/*
 * devcluster: a development stand-in for Kubernetes with Flux (not a real cluster).
 * Loads the built package (run `yarn build` in packages/devcluster first), so
 * starting it needs no TypeScript tooling at runtime.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const entry = path.resolve(__dirname, '../dist/index.cjs.js');
if (!fs.existsSync(entry)) {
  console.error(`devcluster: ${entry} not found; run \`yarn build\` in packages/devcluster first`);
  process.exit(1);
}

const { runDevClusterCli } = require(entry);

runDevClusterCli(process.argv.slice(2), {
  out: line => console.log(line),
  err: line => process.stderr.write(`${line}\n`),
}).then(
  cluster => {
    let stopping = false;
    const shutdown = () => {
      if (stopping) return;
      stopping = true;
      cluster.stop().then(
        () => process.exit(0),
        error => {
          console.error(`devcluster: stop failed: ${error.message}`);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', shutdown);
    process.on('SIGTERM', shutdown);
  },
  error => {
    console.error(`devcluster: ${error.message}`);
    process.exit(1);
  },
);
