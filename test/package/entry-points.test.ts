import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** Loads a module in a fresh Node process and lists the @pulumi modules it pulled in. */
function pulumiModulesLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)}); console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('/node_modules/@pulumi/'))));`;
  const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: root, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
}

describe('entry points', () => {
  test('platform-constructs loads no @pulumi module', () => {
    expect(pulumiModulesLoadedBy('./lib/index.ts')).toEqual([]);
  });
});
