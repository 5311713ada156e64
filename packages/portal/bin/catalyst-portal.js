#!/usr/bin/env node
// Entry of `npm start` (scripts/start.sh builds this package first). One argument: the command.
const { resolve } = require('node:path');
const { runPortal } = require('../dist/index.cjs.js');

const command = process.argv[2] ?? 'start';
if (command !== 'start') {
  process.stderr.write(`catalyst: unknown command "${command}" (expected: start)\n`);
  process.exit(2);
}
runPortal(resolve(__dirname, '../../..'), process.env).then(
  code => process.exit(code),
  err => {
    process.stderr.write(`catalyst: unexpected failure: ${err && err.stack ? err.stack : err}\n`);
    process.exit(1);
  },
);
