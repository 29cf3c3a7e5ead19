import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as ts from 'typescript';

const root = join(__dirname, '..', '..');
const DOCS = ['README.md', 'lib/apps/README.md', 'lib/cluster/README.md', 'lib/tenancy/README.md', 'lib/policy/README.md', 'lib/addons/edge/README.md', 'lib/addons/monitoring/README.md', 'lib/addons/identity/README.md', 'lib/addons/logging/README.md', 'lib/addons/slo/README.md', 'lib/addons/external-secrets/README.md', 'lib/addons/README.md'];

/** The ```ts blocks of a markdown file whose first line names their file (`// src/services.ts`). */
function examples(doc: string): { file: string; code: string }[] {
  const text = readFileSync(join(root, doc), 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => {
    const code = m[1] ?? '';
    const file = /^\/\/ (\S+\.ts)/.exec(code)?.[1];
    if (file === undefined) throw new Error(`${doc}: a ts example does not start with "// <file>.ts"`);
    return { file, code };
  });
}

describe('documentation examples', () => {
  test('every TypeScript example in the READMEs compiles against the library', () => {
    // GIVEN the examples written out as the files they name
    const dir = mkdtempSync(join(root, 'build-doc-examples-'));
    const files: string[] = [];
    for (const doc of DOCS) {
      const found = examples(doc);
      expect(found.length).toBeGreaterThan(0);
      for (const e of found) {
        const path = join(dir, doc.replace(/[/.]/g, '_'), e.file);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, e.code);
        files.push(path);
      }
    }
    // WHEN they are type-checked, with the package name mapped to lib/
    const program = ts.createProgram(files, {
      strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: true,
      target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true, noEmit: true, types: ['node'], baseUrl: root, paths: { '@example/platform-constructs': ['lib/index.ts'] },
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    rmSync(dir, { recursive: true, force: true });
    // THEN
    expect(diagnostics).toEqual([]);
  });
});
