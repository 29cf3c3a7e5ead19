// `npm run diff -- --base <git ref>`: what this change does to every cluster's manifests, as
// Markdown for a pull-request comment. The base is checked out into a temporary worktree and
// synthesized there (dist/ is not committed); the working tree is synthesized into a temporary
// folder, so dist/ is left as it was. `--base-dir <dir> --head <dir>` compares two folders.
import { join } from 'node:path';
import { diffMain } from '../../lib/synth/review';
import { synthesizePlatform } from './platform-synth';

process.exitCode = diffMain(process.argv.slice(2), { print: (t) => process.stdout.write(t), error: (t) => console.error(t) }, {
  synthesize: synthesizePlatform,
  repo: join(__dirname, '..', '..'),
});
