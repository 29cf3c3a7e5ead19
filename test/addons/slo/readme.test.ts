import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

// The module README's examples, type-checked as test/docs/examples.test.ts does the others. Until
// lib/index.ts exports the SLO module, `platform-constructs` is mapped to an index that adds it.
const root = join(__dirname, '..', '..', '..');

test('every TypeScript example in the SLO README compiles against the library', () => {
  // GIVEN the examples written out as the files they name
  const text = readFileSync(join(root, 'lib/addons/slo/README.md'), 'utf8');
  const found = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  expect(found.length).toBeGreaterThanOrEqual(3);
  const dir = mkdtempSync(join(root, 'build-slo-doc-examples-'));
  const index = join(dir, 'index.ts');
  writeFileSync(index, `export * from '${join(root, 'lib/index')}';\nexport * from '${join(root, 'lib/addons/slo/index')}';\n`);
  const files = found.map((code) => {
    const file = /^\/\/ (\S+\.ts)/.exec(code)?.[1];
    expect(file).toBeDefined();
    const path = join(dir, file ?? 'missing.ts');
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, code);
    return path;
  });
  // WHEN they are type-checked
  const program = ts.createProgram(files, {
    strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: true,
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
    esModuleInterop: true, noEmit: true, types: ['node'], baseUrl: root, paths: { 'platform-constructs': [index] },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  rmSync(dir, { recursive: true, force: true });
  // THEN
  expect(diagnostics).toEqual([]);
});
