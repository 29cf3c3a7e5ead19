import { spawnSync } from 'node:child_process';
import { PlatformError } from '../../core';

/**
 * Lays DOT text out as SVG with Graphviz (`dot -Tsvg`). A `dot` that is missing, or that refuses
 * the text, is a PlatformError saying what to install or what it said.
 */
export function renderSvg(dot: string, command = 'dot'): string {
  const r = spawnSync(command, ['-Tsvg'], { input: dot, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error !== undefined) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw PlatformError.of({
      path: 'graph', field: 'dot', value: command,
      rule: code === 'ENOENT' ? 'is not installed (Graphviz lays the graph out)' : `could not be run (${code ?? r.error.message})`,
      fix: 'install Graphviz: apt-get install graphviz (Debian package graphviz), or brew install graphviz; or write the DOT text with --format dot',
    });
  }
  if (r.status !== 0) {
    throw PlatformError.of({ path: 'graph', field: 'dot', value: command, rule: `refused the graph (exit ${r.status ?? r.signal}): ${r.stderr.trim().split('\n')[0] ?? ''}`, fix: 'this is a bug in platform-constructs; please report it with the DOT text (--format dot)' });
  }
  return r.stdout;
}
