import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';

// The README's examples import from 'platform-constructs'. Until lib/index.ts exports the logging
// module (the lead's file), the package name is mapped to a shim that adds the module's index to
// the public API; once it is exported, test/docs/examples.test.ts should list the README instead.
const root = join(__dirname, '..', '..', '..');
const README = 'lib/addons/logging/README.md';

describe('the logging README', () => {
  test('every TypeScript example compiles against the library', () => {
    // GIVEN the examples written out as the files they name, and the shim
    const text = readFileSync(join(root, README), 'utf8');
    const blocks = [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
    expect(blocks.length).toBeGreaterThan(0);
    const dir = mkdtempSync(join(root, 'build-doc-examples-logging-'));
    const shim = join(dir, 'platform-constructs.ts');
    writeFileSync(shim, [
      `export * from '${join(root, 'lib/index')}';`,
      `export * from '${join(root, 'lib/addons/logging/index')}';`,
      `export type { AddonContext, AddonSpec } from '${join(root, 'lib/addons/addon-spec')}';`,
    ].join('\n'));
    const files = blocks.map((code, i) => {
      const name = /^\/\/ (\S+\.ts)/.exec(code)?.[1] ?? `example-${i}.ts`;
      const path = join(dir, 'examples', name.replace(/\//g, '_'));
      mkdirSync(join(dir, 'examples'), { recursive: true });
      writeFileSync(path, code);
      return path;
    });
    // WHEN they are type-checked
    const program = ts.createProgram(files, {
      strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: true,
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true, noEmit: true, types: ['node'], baseUrl: root, paths: { 'platform-constructs': [shim] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    rmSync(dir, { recursive: true, force: true });
    // THEN
    expect(diagnostics).toEqual([]);
  });
});
