import { KOPS_ADMISSION_PLUGINS, kopsAdmissionFlag } from '../../lib/cluster/kops/api-server';
import { baseProps, synthKops } from './helpers';
import { kopsSchemaErrors } from './kops-schema';

describe('API server admission plugins', () => {
  test('DenyServiceExternalIPs is appended to the list kops renders into --enable-admission-plugins', () => {
    // GIVEN a cluster as the platform writes it
    const cluster = synthKops(baseProps()).find((o) => o.kind === 'Cluster') ?? {};
    const apiServer = (cluster.spec as { kubeAPIServer: { appendAdmissionPlugins?: string[]; enableAdmissionPlugins?: string[] } }).kubeAPIServer;
    // THEN the field kops keeps is set, the one it overwrites is not, and the flag carries the plugin after kops's own
    expect(apiServer.appendAdmissionPlugins).toEqual(['DenyServiceExternalIPs']);
    expect(apiServer.enableAdmissionPlugins).toBeUndefined();
    expect(kopsAdmissionFlag(apiServer)).toBe(
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,PersistentVolumeLabel,DefaultStorageClass,DefaultTolerationSeconds,'
      + 'NodeRestriction,Priority,StorageObjectInUseProtection,PersistentVolumeClaimResize,RuntimeClass,MutatingAdmissionWebhook,'
      + 'ValidatingAdmissionWebhook,ResourceQuota,DenyServiceExternalIPs',
    );
    expect(kopsSchemaErrors(cluster)).toEqual([]);
  });

  test('a plugin written into enableAdmissionPlugins alone never reaches the flag (kops overwrites the field)', () => {
    expect(kopsAdmissionFlag({ enableAdmissionPlugins: ['DenyServiceExternalIPs'] })).toBe(`--enable-admission-plugins=${KOPS_ADMISSION_PLUGINS.join(',')}`);
    expect(kopsAdmissionFlag({ enableAdmissionPlugins: ['DenyServiceExternalIPs'] })).not.toContain('DenyServiceExternalIPs');
  });
});
