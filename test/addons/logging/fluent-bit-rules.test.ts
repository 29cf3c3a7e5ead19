import { renderFluentBitConfig } from '../../../lib/addons/logging';
import { fluentBitConfigErrors } from './fluent-bit-rules';

const base = { service: { flush: 1 }, inputs: [{ name: 'tail', properties: { path: '/x' } }], filters: [], outputs: [{ name: 'es', properties: { match: '*' } }] };

describe('the Fluent Bit rules read from its source', () => {
  test('accept a minimal valid configuration', () => {
    expect(fluentBitConfigErrors(renderFluentBitConfig(base))).toEqual([]);
  });

  test('refuse a property the plugin does not have', () => {
    const text = renderFluentBitConfig({ ...base, outputs: [{ name: 'es', properties: { match: '*', retry_limits: 'no_limits' } }] });
    expect(fluentBitConfigErrors(text)).toEqual(['pipeline.outputs[0]: es has no property retry_limits']);
  });

  test('refuse a boolean, a size or a retry limit Fluent Bit would not read', () => {
    const text = renderFluentBitConfig({
      ...base,
      inputs: [{ name: 'tail', properties: { path: '/x', skip_long_lines: 'enabled' } }],
      outputs: [{ name: 'es', properties: { match: '*', 'storage.total_limit_size': '5MiB', retry_limit: 'forever' } }],
    });
    expect(fluentBitConfigErrors(text)).toEqual([
      'pipeline.inputs[0]: skip_long_lines="enabled" is not a BOOL',
      'pipeline.outputs[0]: storage.total_limit_size="5MiB" is not a SIZE',
      'pipeline.outputs[0]: retry_limit=forever is not a retry limit',
    ]);
  });

  test('refuse an unknown section, service key and plugin', () => {
    const text = `${renderFluentBitConfig({ ...base, service: { flush: 1, storage_path: '/x' }, inputs: [{ name: 'journald', properties: {} }] })}outputs: []\n`;
    expect(fluentBitConfigErrors(text)).toEqual([
      'top level: unknown section outputs',
      'service: unknown key storage_path',
      'pipeline.inputs[0]: plugin journald is not in the tables',
    ]);
  });

  test('write every value as a string and booleans as on/off, so YAML never retypes one', () => {
    expect(renderFluentBitConfig({ ...base, service: { flush: 1, http_server: true } })).toContain('http_server: "on"');
  });
});

describe('the lua filter rule', () => {
  test('requires code or a script, and the function to call', () => {
    const text = renderFluentBitConfig({ ...base, filters: [{ name: 'lua', properties: { match: '*' } }] });
    expect(fluentBitConfigErrors(text)).toEqual(['pipeline.filters[0]: lua needs code or script', 'pipeline.filters[0]: lua needs call']);
  });
});
