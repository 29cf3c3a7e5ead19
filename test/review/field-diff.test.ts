import fc from 'fast-check';
import { fieldChanges } from '../../lib/synth/review';
import { diffLines, hunks } from '../../lib/synth/review/line-diff';

describe('fieldChanges', () => {
  test('a changed scalar is one leaf with both values', () => {
    expect(fieldChanges({ spec: { replicas: 2 } }, { spec: { replicas: 3 } })).toEqual([{ path: 'spec.replicas', before: 2, after: 3 }]);
  });

  test('keys that are not identifiers are quoted, as a reader writes them', () => {
    expect(fieldChanges({ metadata: { labels: { 'app.kubernetes.io/version': '1.0' } } }, { metadata: { labels: { 'app.kubernetes.io/version': '1.1' } } }))
      .toEqual([{ path: 'metadata.labels["app.kubernetes.io/version"]', before: '1.0', after: '1.1' }]);
  });

  test('named items are matched by name, wherever they moved; an added or removed one shows its fields but the name its path holds', () => {
    const before = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'D' }] };
    const after = { env: [{ name: 'C', value: '3' }, { name: 'B', value: '2' }, { name: 'A', value: '9' }] };
    expect(fieldChanges(before, after)).toEqual([
      { path: 'env[name=A].value', before: '1', after: '9' },
      { path: 'env[name=D]', before: {} },
      { path: 'env[name=C].value', after: '3' },
    ]);
  });

  test('other arrays are compared by position; an added or removed subtree is spelled out leaf by leaf', () => {
    expect(fieldChanges({ args: ['a', 'b'] }, { args: ['a', 'c', 'd'], extra: { x: 1, y: [] } })).toEqual([
      { path: 'args[1]', before: 'b', after: 'c' },
      { path: 'args[2]', after: 'd' },
      { path: 'extra.x', after: 1 },
      { path: 'extra.y', after: [] },
    ]);
  });

  test('a value that changed shape: the old leaves go, the new come', () => {
    expect(fieldChanges({ port: 80 }, { port: { number: 80 } })).toEqual([{ path: 'port', before: 80 }, { path: 'port.number', after: 80 }]);
  });

  test('equal values have no changes, whatever their key order', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      const reordered = JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x !== null && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).reverse()) : x))) as unknown;
      expect(fieldChanges(v, reordered)).toEqual([]);
    }));
  });

  test('two different values always have a change', () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      fc.pre(JSON.stringify(a) !== JSON.stringify(b));
      // -0 and 0 print alike but are one value for a manifest
      fc.pre(!Object.is(a, -0) && !Object.is(b, -0));
      expect(fieldChanges({ v: a }, { v: b }).length).toBeGreaterThan(0);
    }));
  });
});

describe('diffLines', () => {
  test('the common start and end are kept, the middle diffed', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([
      { op: ' ', text: 'a' }, { op: '-', text: 'b' }, { op: '+', text: 'x' }, { op: ' ', text: 'c' }, { op: ' ', text: 'd' }, { op: '+', text: 'e' },
    ]);
  });

  test('dropping the + lines gives before, dropping the - lines gives after', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom('a', 'b', 'c')), fc.array(fc.constantFrom('a', 'b', 'c')), (a, b) => {
      const d = diffLines(a, b);
      expect(d.filter((l) => l.op !== '+').map((l) => l.text)).toEqual(a);
      expect(d.filter((l) => l.op !== '-').map((l) => l.text)).toEqual(b);
    }));
  });

  test('hunks keep two lines of context and fold the rest into …', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8'];
    const after = ['1', '2', '3', '4', '5', '6', '7', 'x'];
    expect(hunks(diffLines(before, after)).map((l) => `${l.op}${l.text}`)).toEqual([' …', ' 6', ' 7', '-8', '+x']);
  });
});
