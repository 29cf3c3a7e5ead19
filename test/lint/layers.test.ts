import { join } from 'node:path';
import { Linter } from 'eslint';
import tseslint from 'typescript-eslint';
// eslint/layers.cjs is the rule `npm run lint` runs over lib/ (eslint.config.mjs).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const platform = require('../../eslint/layers.cjs');
const root = join(__dirname, '..', '..');

async function problems(file: string, code: string): Promise<string[]> {
  const linter = new Linter({ cwd: root });
  const messages = linter.verify(code, [{ files: ['**/*.ts'], plugins: { platform }, rules: { 'platform/layers': 'error' }, languageOptions: { parser: tseslint.parser, sourceType: 'module' } }], join(root, file));
  return messages.map((m) => m.message);
}

describe('the layering lint rule', () => {
  test('lets a layer import from itself and below', async () => {
    expect(await problems('lib/apps/x.ts', "import { a } from '../core';\nimport { b } from '../policy/check';\nimport { c } from './web-service';")).toEqual([]);
    expect(await problems('lib/platform/x.ts', "import { a } from '../addons/edge/edge-addon';\nimport { b } from '../cluster/kops/kops-chart';")).toEqual([]);
  });

  test('refuses an upward import, naming both layers and the order', async () => {
    expect(await problems('lib/core/x.ts', "import { Workload } from '../apps/workload';")).toEqual([
      'lib/core may not import lib/apps: the layers are core <- policy <- apps <- tenancy <- addons <- cluster <- platform <- synth <- aws; move the shared part down to the lower layer (often lib/core)',
    ]);
    expect(await problems('lib/addons/edge/x.ts', "export { KopsCluster } from '../../cluster/kops/kops-cluster';")).toHaveLength(1);
  });

  test('refuses one addon importing another, and lib importing clusters or Pulumi outside lib/aws', async () => {
    expect(await problems('lib/addons/logging/x.ts', "import { Edge } from '../edge/edge';")).toEqual([
      'addon logging may not import addon edge: addons meet through the facts the composition root hands them (lib/addons/addon-spec.ts)',
    ]);
    expect(await problems('lib/addons/logging/x.ts', "import type { AddonSpec } from '../addon-spec';")).toEqual([]);
    expect(await problems('lib/platform/x.ts', "import { prod } from '../../clusters/prod';")).toHaveLength(1);
    expect(await problems('lib/cluster/x.ts', "import * as pulumi from '@pulumi/pulumi';")).toHaveLength(1);
    expect(await problems('lib/aws/x.ts', "import * as pulumi from '@pulumi/pulumi';")).toEqual([]);
  });
});
