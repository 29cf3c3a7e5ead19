// Runs the Pulumi program the way `pulumi up` does, with Pulumi's mock runtime in place of the
// engine, and prints every resource the program registered as JSON on stdout.
//
// usage: node pulumi-language-host.js <project dir> '[{"stack":"prod","config":{...},"secretKeys":[...]}, ...]'
// Stacks run one after another in this process, as `pulumi preview -s <stack>` would run each.
//
// What it reproduces, and where each rule comes from:
// - pulumi/pulumi pkg/engine/project.go (getPwdMain): Pulumi.yaml's `main` becomes a working
//   directory and an entry — a folder gives (that folder, "."), a file gives (its folder, its
//   name), no `main` gives (the project folder, ".").
// - pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go: the nodejs language host runs
//   `@pulumi/pulumi/cmd/run` with `--pwd <dir> <entry>`, PULUMI_NODEJS_TYPESCRIPT from the
//   `typescript` runtime option and PULUMI_NODEJS_TSCONFIG_PATH from the `tsconfig` option.
// - @pulumi/pulumi cmd/run/run.js `run()`: the very code the language host executes (chdir,
//   ts-node registration with that tsconfig, entry resolution through package.json `exports`,
//   require of the program, the Stack resource). It is called here unchanged; only its sibling
//   index.js, which parses process.argv and exits, is replaced in require.cache.
// This file is plain JavaScript run by plain node on purpose: no jest or tsx loader may stand in
// for the ts-node that run.js registers.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');

const [projectDir, stacksJson] = process.argv.slice(2);
const project = require('yaml').parse(fs.readFileSync(path.join(projectDir, 'Pulumi.yaml'), 'utf8'));

/** getPwdMain of pkg/engine/project.go. */
function pwdMain(root, main) {
  if (main === undefined || main === '') return { pwd: root, entry: '.' };
  const full = path.resolve(root, main);
  if (fs.existsSync(full) && fs.statSync(full).isDirectory()) return { pwd: full, entry: '.' };
  return { pwd: path.dirname(full), entry: path.basename(full) };
}
const { pwd, entry } = pwdMain(projectDir, project.main);
const options = (project.runtime && project.runtime.options) || {};
if (options.typescript !== false) process.env.PULUMI_NODEJS_TYPESCRIPT = 'true';
if (options.tsconfig !== undefined) process.env.PULUMI_NODEJS_TSCONFIG_PATH = options.tsconfig;
else delete process.env.PULUMI_NODEJS_TSCONFIG_PATH;

const pulumi = require('@pulumi/pulumi');
const runIndex = require.resolve('@pulumi/pulumi/cmd/run/index.js');
const stub = new Module(runIndex);
stub.filename = runIndex;
stub.loaded = true;
stub.exports = { nodeJSProcessExitedAfterLoggingUserActionableMessage: 32 };
require.cache[runIndex] = stub;
const { run } = require('@pulumi/pulumi/cmd/run/run.js');

async function runStack({ stack, config, secretKeys }) {
  const registered = [];
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      registered.push(`${args.type}::${args.name}`);
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  }, project.name, stack, true);
  pulumi.runtime.setAllConfig(config, secretKeys);
  const errors = [];
  try {
    await run({ _: [entry], pwd }, () => undefined, (e) => errors.push(String((e && e.stack) || e)), () => false);
  } catch (e) {
    errors.push(String((e && e.stack) || e));
  }
  await pulumi.runtime.disconnect();
  return { stack, registered, errors };
}

async function main() {
  const results = [];
  for (const s of JSON.parse(stacksJson)) results.push(await runStack(s));
  return { pwd, entry, tsconfig: process.env.PULUMI_NODEJS_TSCONFIG_PATH || null, results };
}
main().then((out) => {
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
}, (e) => {
  process.stdout.write(JSON.stringify({ pwd, entry, results: [], errors: [String((e && e.stack) || e)] }));
  process.exit(0);
});
