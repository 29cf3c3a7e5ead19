// The library's layering, as a lint rule: a folder of lib/ imports only from its own layer or
// below (core <- policy <- apps <- tenancy <- addons <- cluster <- platform, with synth and aws on
// top), an addon never imports another addon, nothing in lib/ imports this company's clusters/
// or stacks/, and only lib/aws loads Pulumi.
'use strict';
const path = require('node:path');

const LAYERS = ['core', 'policy', 'apps', 'tenancy', 'addons', 'cluster', 'platform', 'synth', 'aws'];

function libPart(file, root) {
  const rel = path.relative(path.join(root, 'lib'), file).split(path.sep);
  return rel[0] === '..' || rel.length < 2 ? undefined : rel;
}

const layers = {
  meta: {
    type: 'problem',
    docs: { description: 'imports in lib/ point down the layers' },
    schema: [],
    messages: {
      upward: "lib/{{from}} may not import lib/{{to}}: the layers are {{order}}; move the shared part down to the lower layer (often lib/core)",
      addon: "addon {{from}} may not import addon {{to}}: addons meet through the facts the composition root hands them (lib/addons/addon-spec.ts)",
      outside: "lib/ may not import {{to}}: clusters/ and stacks/ are this company's data and program; pass what the library needs as props",
      pulumi: "only lib/aws loads Pulumi ({{to}}): the main entry point must load no Pulumi module",
    },
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = libPart(file, root);
    if (from === undefined) return {};
    const check = (node, source) => {
      if (typeof source !== 'string') return;
      if (source.startsWith('@pulumi/') && from[0] !== 'aws') {
        context.report({ node, messageId: 'pulumi', data: { to: source } });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = path.resolve(path.dirname(file), source);
      const top = path.relative(root, target).split(path.sep)[0];
      if (top === 'clusters' || top === 'stacks') {
        context.report({ node, messageId: 'outside', data: { to: `${top}/` } });
        return;
      }
      const to = libPart(target, root) ?? (path.relative(path.join(root, 'lib'), target).split(path.sep).length === 1 ? [path.basename(target)] : undefined);
      if (to === undefined) return;
      const a = LAYERS.indexOf(from[0]);
      const b = LAYERS.indexOf(to[0]);
      if (a >= 0 && b > a) {
        context.report({ node, messageId: 'upward', data: { from: from[0], to: to[0], order: LAYERS.join(' <- ') } });
        return;
      }
      if (from[0] === 'addons' && to[0] === 'addons' && from.length > 2 && to.length > 2 && from[1] !== to[1]) {
        context.report({ node, messageId: 'addon', data: { from: from[1], to: to[1] } });
      }
    };
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};

module.exports = { LAYERS, rules: { layers } };
