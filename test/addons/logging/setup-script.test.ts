import { execFileSync } from 'node:child_process';
import { SETUP_SCRIPT } from '../../../lib/addons/logging/logging-setup';

// shellcheck is Debian's (`shellcheck`, installed by .ci/run); the image's shell is busybox sh, so POSIX sh rules apply.
describe('the logging setup script', () => {
  test('passes shellcheck as POSIX sh', () => {
    const out = execFileSync('shellcheck', ['--shell=sh', '--severity=style', '-'], { input: SETUP_SCRIPT, encoding: 'utf8' });
    expect(out).toBe('');
  });

  test('shellcheck refuses a broken variant, so the check can fail', () => {
    let failed = false;
    try {
      execFileSync('shellcheck', ['--shell=sh', '-'], { input: `${SETUP_SCRIPT}\nfor f in $(ls /setup); do echo $f; done\n`, encoding: 'utf8' });
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
  });

  test('only PUTs to Elasticsearch and server-side applies one Secret, so a re-run changes nothing', () => {
    const requests = [...SETUP_SCRIPT.matchAll(/--request (\w+)/g)].map((m) => m[1]);
    expect(requests).toEqual(['PUT', 'PUT', 'PUT', 'PATCH']);
    expect(SETUP_SCRIPT).toContain('application/apply-patch+yaml');
  });
});
