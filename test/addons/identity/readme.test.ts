// The identity README's examples compile. They import from 'platform-constructs', mapped here to
// the module's own index until lib/index.ts exports it; then this README joins the list in
// test/docs/examples.test.ts.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..', '..', '..');

test('every TypeScript example in the identity README compiles against the module', () => {
  // GIVEN the examples written out as the files they name
  const text = readFileSync(join(root, 'lib/addons/identity/README.md'), 'utf8');
  const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  expect(blocks.length).toBe(2);
  const dir = mkdtempSync(join(root, 'build-identity-examples-'));
  const files = blocks.map((code) => {
    const file = /^\/\/ (\S+\.ts)/.exec(code)?.[1];
    if (file === undefined) throw new Error('a ts example does not start with "// <file>.ts"');
    const path = join(dir, file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    return path;
  });
  // WHEN they are type-checked
  const program = ts.createProgram(files, {
    strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true, noEmit: true, types: ['node'], baseUrl: root, paths: { 'platform-constructs': ['lib/addons/identity/index.ts'] },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  rmSync(dir, { recursive: true, force: true });
  // THEN
  expect(diagnostics).toEqual([]);
});
