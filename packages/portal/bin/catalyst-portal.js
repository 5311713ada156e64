#!/usr/bin/env node
// Entry of `npm start` (scripts/start.sh builds this package first). One argument: the command.
const { resolve } = require('node:path');
const { runPortal, runCluster } = require('../dist/index.cjs.js');

// start: the embedded default (`npm start`); cluster: the scaled topology (`npm run start:cluster`)
const command = process.argv[2] ?? 'start';
const run = { start: runPortal, cluster: runCluster }[command];
if (!run) {
  process.stderr.write(`catalyst: unknown command "${command}" (expected: start or cluster)\n`);
  process.exit(2);
}
run(resolve(__dirname, '../../..'), process.env).then(
  code => process.exit(code),
  err => {
    process.stderr.write(`catalyst: unexpected failure: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
