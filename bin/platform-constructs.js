#!/usr/bin/env node
// The package's commands, from its built JavaScript:
//   platform-constructs login --cluster <name> | --descriptor <file|url>   writes the kubeconfig entry for a cluster
//   platform-constructs gate --descriptor <file> --service <name>          may this service release now? (0 release, 1 fix-only, 2 cannot tell)
//   platform-constructs diff --base-dir <dist> --head <dist>               what a change does to the synthesized output, as Markdown for a PR
//   platform-constructs graph --cluster <name> [--dist <dist>] [--out <f>] an environment's workloads, routes and network allows as SVG (Graphviz)
'use strict';
const [command, ...args] = process.argv.slice(2);
const done = (p) => p.then((code) => { process.exitCode = code; }, (e) => { console.error(e instanceof Error ? e.message : e); process.exitCode = 2; });
if (command === 'gate') {
  const { gateMain } = require('../build/lib/addons/slo/gate-cli.js');
  done(gateMain(args, process.env, (line) => console.log(line)));
} else if (command === 'login') {
  const { loginMain } = require('../build/lib/addons/identity/login-command.js');
  done(loginMain(['login', ...args]));
} else if (command === 'diff' || command === 'graph') {
  const review = require('../build/lib/synth/review/index.js');
  const io = { print: (text) => process.stdout.write(text), error: (text) => console.error(text) };
  process.exitCode = command === 'diff' ? review.diffMain(args, io) : review.graphMain(args, io);
} else {
  console.error('usage: platform-constructs login --cluster <name> | --descriptor <file|url>\n       platform-constructs gate --descriptor <file> --service <name> (exit codes: 0 release, 1 fix-only, 2 cannot tell)\n       platform-constructs diff --base-dir <dist folder> --head <dist folder>\n       platform-constructs graph --cluster <environment> [--dist <folder>] [--out <file>] [--format svg|dot]');
  process.exitCode = 2;
}
