import { describeObject, objectIdentity, objectKey } from '../../lib/core';

describe('object identity', () => {
  test('reads group, kind, namespace and name, and keys namespaced objects by all three', () => {
    const id = objectIdentity({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', namespace: 'shop' } });
    expect(id).toEqual({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'api' });
    expect([objectKey(id), describeObject(id)]).toEqual(['Deployment/shop/api', 'Deployment shop/api']);
  });

  test('a cluster-scoped kind has no namespace in its identity, even when its metadata names one', () => {
    const id = objectIdentity({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'monitoring', namespace: 'monitoring' } });
    expect([id.group, id.namespace, objectKey(id)]).toEqual(['', '', 'Namespace/monitoring']);
  });

  test('tolerates objects of any shape: missing fields read as empty', () => {
    expect(objectIdentity({ kind: 7, metadata: null })).toEqual({ group: '', kind: '', namespace: '', name: '' });
  });
});
