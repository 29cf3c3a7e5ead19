#!/usr/bin/env node
// `npx platform-constructs gate ...`: the commands of the package, from its built JavaScript.
'use strict';
const [command, ...args] = process.argv.slice(2);
if (command !== 'gate') {
  console.error('usage: platform-constructs gate --descriptor <file> --service <name> (exit codes: 0 release, 1 fix-only, 2 cannot tell)');
  process.exitCode = 2;
} else {
  const { gateMain } = require('../build/lib/addons/slo/gate-cli.js');
  gateMain(args, process.env, (line) => console.log(line)).then(
    (code) => { process.exitCode = code; },
    (e) => { console.error(e); process.exitCode = 2; },
  );
}
