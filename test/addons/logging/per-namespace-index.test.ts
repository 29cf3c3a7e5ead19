import { execFileSync } from 'node:child_process';
import { parse } from 'yaml';
import { fluentBitConfigErrors } from './fluent-bit-rules';
import { loggingChart, one } from './fixture';

// The Lua is run by a real Lua 5.4 (Debian `lua5.4`, installed by .ci/run); Fluent Bit embeds
// LuaJIT, whose language is Lua 5.1 — the function uses nothing beyond it.
describe('container logs indexed per namespace', () => {
  const config = parse(one(loggingChart({ containerIndex: 'per-namespace' }), 'ConfigMap', 'fluent-bit-').data['fluent-bit.yaml']);

  test('adds a lua filter after the Kubernetes filter and takes the index prefix from its key', () => {
    expect(config.pipeline.filters.map((f: any) => f.name)).toEqual(['kubernetes', 'lua']);
    expect(config.pipeline.outputs[0]).toMatchObject({ logstash_prefix: 'logs', logstash_prefix_key: '$es_index' });
    expect(fluentBitConfigErrors(one(loggingChart({ containerIndex: 'per-namespace' }), 'ConfigMap', 'fluent-bit-').data['fluent-bit.yaml'])).toEqual([]);
  });

  test('the daily default has no lua filter and no prefix key', () => {
    const daily = parse(one(loggingChart(), 'ConfigMap', 'fluent-bit-').data['fluent-bit.yaml']);
    expect(daily.pipeline.filters.map((f: any) => f.name)).toEqual(['kubernetes']);
    expect(daily.pipeline.outputs[0].logstash_prefix_key).toBeUndefined();
  });

  test('the Lua names a namespaced record logs-<namespace> and leaves a record without one unchanged', () => {
    const lua = config.pipeline.filters[1];
    const program = `${lua.code}
local code, _, r = ${lua.call}("kube.x", 1, { log = "hi", kubernetes = { namespace_name = "shop" } })
print(code, r["es_index"])
local code2, _, r2 = ${lua.call}("kube.x", 1, { log = "hi" })
print(code2, r2["es_index"])`;
    const out = execFileSync('lua5.4', ['-'], { input: program, encoding: 'utf8' });
    expect(out).toBe('2\tlogs-shop\n0\tnil\n');
  });
});
