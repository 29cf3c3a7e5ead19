import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PlatformError } from '../../lib';
import { readStackConfigFile } from '../../stacks/plan';

describe('readStackConfigFile', () => {
  test('a malformed Pulumi.<stack>.yaml is refused naming the file, the line and what is wrong', () => {
    // GIVEN a config whose second key is indented under the first's value
    const root = mkdtempSync(join(tmpdir(), 'stack-'));
    writeFileSync(join(root, 'Pulumi.prod.yaml'), 'config:\n  platform:region: eu-west-1\n    platform:owner: infra\n');
    // WHEN / THEN
    expect(() => readStackConfigFile(root, 'prod')).toThrow(new PlatformError([
      `stack prod: Pulumi.prod.yaml line 2, column 20 is not valid YAML: Nested mappings are not allowed in compact mappings; correct ${join(root, 'Pulumi.prod.yaml')} there (indentation, a missing ':' or an unclosed quote), or restore it from git`,
      `stack prod: Pulumi.prod.yaml line 2, column 20 is not valid YAML: Implicit keys need to be on a single line; correct ${join(root, 'Pulumi.prod.yaml')} there (indentation, a missing ':' or an unclosed quote), or restore it from git`,
    ]));
  });

  test('a config that is not a mapping is refused', () => {
    const root = mkdtempSync(join(tmpdir(), 'stack-'));
    writeFileSync(join(root, 'Pulumi.prod.yaml'), '- platform:region\n');
    expect(() => readStackConfigFile(root, 'prod')).toThrow('stack prod: Pulumi.prod.yaml is not a YAML mapping (got "a list"); write the config as a mapping: config: { platform:region: eu-west-1, ... }');
  });
});
