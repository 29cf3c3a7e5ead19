// The Pod Security Standards checks beyond the ones in pod-checks.ts, each encoded from its file
// in kubernetes/kubernetes staging/src/k8s.io/pod-security-admission/policy/ (the checks Pod
// Security Admission runs). Where an allowed set grew in a later Kubernetes version, the set of
// version 1.0 is kept: the synth check may be stricter than the cluster, never looser.
import { arr, containersOf, isObject, obj, str, type JsonObject, type PodTemplate } from './manifest';
import type { Finding } from './pod-checks';

/** check_sysctls.go (sysctls_allowed_1_0): sysctls namespaced to the pod and isolated from other pods. */
export const SAFE_SYSCTLS: readonly string[] = [
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start',
];

/** check_seLinuxOptions.go (selinux_allowed_types_1_0). */
export const ALLOWED_SELINUX_TYPES: readonly string[] = ['', 'container_t', 'container_init_t', 'container_kvm_t'];

/** check_restrictedVolumes.go: the volume sources the restricted profile admits. */
export const RESTRICTED_VOLUME_SOURCES: readonly string[] = ['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret'];

/** check_appArmorProfile.go: the profile types (field) and annotation values allowed. */
const APPARMOR_TYPES = ['RuntimeDefault', 'Localhost'];
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

function seLinux(opts: JsonObject, field: string): Finding[] {
  const out: Finding[] = [];
  const type = str(opts, 'type') ?? '';
  if (!ALLOWED_SELINUX_TYPES.includes(type)) {
    out.push({ rule: 'selinux', field: `${field}.type`, problem: `must be empty or one of ${ALLOWED_SELINUX_TYPES.slice(1).join(', ')}`, value: type, fix: 'leave seLinuxOptions.type unset (the runtime picks container_t)' });
  }
  for (const key of ['user', 'role'] as const) {
    if ((str(opts, key) ?? '') !== '') out.push({ rule: 'selinux', field: `${field}.${key}`, problem: 'must not be set', value: str(opts, key), fix: `remove seLinuxOptions.${key}` });
  }
  return out;
}

function appArmor(sc: JsonObject, field: string): Finding[] {
  const type = str(obj(sc, 'appArmorProfile'), 'type');
  if (type === undefined || APPARMOR_TYPES.includes(type)) return [];
  return [{ rule: 'apparmor', field: `${field}.appArmorProfile.type`, problem: 'must be RuntimeDefault or Localhost', value: type, fix: "remove appArmorProfile or set type 'RuntimeDefault'" }];
}

/**
 * The Pod Security baseline checks of procMount (check_procMount.go), SELinux
 * (check_seLinuxOptions.go), AppArmor (check_appArmorProfile.go), sysctls (check_sysctls.go)
 * and Windows host processes (check_windowsHostProcess.go), and the restricted check of volume
 * types (check_restrictedVolumes.go; hostPath has its own rule).
 */
export function checkBaselineFields(t: PodTemplate): Finding[] {
  const out: Finding[] = [];
  const podSc = obj(t.spec, 'securityContext');
  const podScPath = `${t.specPath}.securityContext`;
  out.push(...seLinux(obj(podSc, 'seLinuxOptions'), `${podScPath}.seLinuxOptions`), ...appArmor(podSc, podScPath));
  if (obj(podSc, 'windowsOptions').hostProcess === true) {
    out.push({ rule: 'host-process', field: `${podScPath}.windowsOptions.hostProcess`, problem: 'must not be true', fix: 'remove windowsOptions.hostProcess' });
  }
  arr(podSc, 'sysctls').forEach((s, i) => {
    const name = str(s, 'name') ?? '';
    if (!SAFE_SYSCTLS.includes(name)) {
      out.push({ rule: 'sysctls', field: `${podScPath}.sysctls[${i}].name`, problem: `must be one of the sysctls safe per pod (${SAFE_SYSCTLS.join(', ')})`, value: name, fix: "set node-wide sysctls through the cluster's kubelet settings, not in a pod" });
    }
  });
  for (const { container, field } of containersOf(t.spec)) {
    const sc = obj(container, 'securityContext');
    const at = `${t.specPath}.${field}.securityContext`;
    const procMount = str(sc, 'procMount');
    if (procMount !== undefined && procMount !== 'Default') {
      out.push({ rule: 'proc-mount', field: `${at}.procMount`, problem: 'must be Default (an unmasked /proc exposes the node)', value: procMount, fix: 'remove procMount' });
    }
    out.push(...seLinux(obj(sc, 'seLinuxOptions'), `${at}.seLinuxOptions`), ...appArmor(sc, at));
    if (obj(sc, 'windowsOptions').hostProcess === true) {
      out.push({ rule: 'host-process', field: `${at}.windowsOptions.hostProcess`, problem: 'must not be true', fix: 'remove windowsOptions.hostProcess' });
    }
  }
  for (const [key, value] of Object.entries(t.annotations)) {
    if (key.startsWith(APPARMOR_ANNOTATION) && value !== 'runtime/default' && !value.startsWith('localhost/')) {
      out.push({ rule: 'apparmor', field: `${t.metadataPath}.annotations["${key}"]`, problem: "must be 'runtime/default' or 'localhost/<profile>'", value, fix: 'remove the annotation (the runtime default applies)' });
    }
  }
  arr(t.spec, 'volumes').forEach((v, i) => {
    if (!isObject(v)) return;
    const sources = Object.keys(v).filter((k) => k !== 'name');
    const bad = sources.filter((k) => !RESTRICTED_VOLUME_SOURCES.includes(k) && k !== 'hostPath');
    if (bad.length > 0) {
      out.push({ rule: 'volume-types', field: `${t.specPath}.volumes[${i}]`, problem: `must use one of ${RESTRICTED_VOLUME_SOURCES.join(', ')}`, value: bad.join(', '), fix: 'mount the storage through a PersistentVolumeClaim (its PersistentVolume is the platform\'s)' });
    }
  });
  return out;
}
