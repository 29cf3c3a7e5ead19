import { looksLikeCredential } from '../core';
import { arr, containersOf, isObject, obj, str, type JsonObject, type PodTemplate } from './manifest';
import type { PolicyRule } from './rules';
import { checkBaselineFields } from './baseline-checks';

/** One rule broken at one field of an object. */
export interface Finding {
  readonly rule: PolicyRule;
  /** The field path inside the object. */
  readonly field: string;
  /** The broken rule, phrased to follow the field (`must be false`). */
  readonly problem: string;
  /** The bad value, when it helps. */
  readonly value?: unknown;
  /** What to do instead. */
  readonly fix: string;
}

const SECCOMP_OK = ['RuntimeDefault', 'Localhost'];
const ADDABLE_CAPABILITIES = ['NET_BIND_SERVICE'];

function finding(rule: PolicyRule, field: string, problem: string, fix: string, value?: unknown): Finding {
  return value === undefined ? { rule, field, problem, fix } : { rule, field, problem, fix, value };
}

/** The Pod Security Standards (restricted) checks of the pod as a whole. */
function podLevel(t: PodTemplate): Finding[] {
  const out: Finding[] = [];
  const host = [['hostNetwork', 'host-network', "the node's network"], ['hostPID', 'host-pid', "the node's process table"], ['hostIPC', 'host-ipc', "the node's IPC namespace"]] as const;
  for (const [field, rule, what] of host) {
    if (t.spec[field] === true) out.push(finding(rule, `${t.specPath}.${field}`, `must not be true (the pod would share ${what})`, `remove ${field}`));
  }
  arr(t.spec, 'volumes').forEach((v, i) => {
    if (isObject(v) && isObject(v.hostPath)) {
      out.push(finding('host-path', `${t.specPath}.volumes[${i}].hostPath`, 'must not mount a path of the node', 'use an emptyDir, a ConfigMap, a Secret or a PersistentVolumeClaim', str(v.hostPath, 'path')));
    }
  });
  return out;
}

/** The restricted-profile checks of one container, reading pod-level settings where the container inherits them. */
function securityOf(t: PodTemplate, c: JsonObject, at: string): Finding[] {
  const out: Finding[] = [];
  const pod = obj(t.spec, 'securityContext');
  const own = obj(c, 'securityContext');
  const sc = `${at}.securityContext`;
  const nonRoot = own.runAsNonRoot ?? pod.runAsNonRoot;
  if (nonRoot !== true) {
    out.push(finding('run-as-non-root', `${sc}.runAsNonRoot`, 'must be true, here or in the pod securityContext', 'set runAsNonRoot: true and run as an unprivileged user id', nonRoot));
  }
  const user = own.runAsUser ?? pod.runAsUser;
  if (user === 0) out.push(finding('run-as-non-root', `${sc}.runAsUser`, 'must not be 0 (root)', 'run as an unprivileged user id such as 10001', user));
  const seccomp = str(obj(own, 'seccompProfile'), 'type') ?? str(obj(pod, 'seccompProfile'), 'type');
  if (seccomp === undefined || !SECCOMP_OK.includes(seccomp)) {
    out.push(finding('seccomp', `${sc}.seccompProfile.type`, 'must be RuntimeDefault or Localhost, here or in the pod securityContext', "set seccompProfile: { type: 'RuntimeDefault' } on the pod", seccomp));
  }
  if (own.allowPrivilegeEscalation !== false) {
    out.push(finding('privilege-escalation', `${sc}.allowPrivilegeEscalation`, 'must be false', 'set allowPrivilegeEscalation: false', own.allowPrivilegeEscalation));
  }
  const caps = obj(own, 'capabilities');
  if (!arr(caps, 'drop').includes('ALL')) {
    out.push(finding('drop-capabilities', `${sc}.capabilities.drop`, "must include 'ALL'", "set capabilities: { drop: ['ALL'] }"));
  }
  const added = arr(caps, 'add').filter((a) => typeof a !== 'string' || !ADDABLE_CAPABILITIES.includes(a));
  if (added.length > 0) {
    out.push(finding('drop-capabilities', `${sc}.capabilities.add`, 'may add only NET_BIND_SERVICE', 'drop the added capabilities', added));
  }
  if (own.privileged === true) out.push(finding('privileged', `${sc}.privileged`, 'must not be true', 'remove privileged: true'));
  arr(c, 'ports').forEach((p, i) => {
    const hostPort = isObject(p) ? p.hostPort : undefined;
    if (typeof hostPort === 'number' && hostPort !== 0) {
      out.push(finding('host-ports', `${at}.ports[${i}].hostPort`, 'must not be set', 'expose the port through a Service instead', hostPort));
    }
  });
  return out;
}

/** Requests and limits for CPU and memory. */
function resourcesOf(c: JsonObject, at: string): Finding[] {
  const resources = obj(c, 'resources');
  const missing = (['requests', 'limits'] as const).flatMap((kind) =>
    (['cpu', 'memory'] as const).filter((r) => obj(resources, kind)[r] === undefined).map((r) => `${kind}.${r}`));
  if (missing.length === 0) return [];
  return [finding('resources', `${at}.resources`, `must set requests and limits for cpu and memory (missing ${missing.join(', ')})`, 'declare what the container needs at rest (requests) and at most (limits)')];
}

/** Whether an image reference names a version: a digest, or a tag other than `latest`. */
export function isPinnedImage(image: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(image)) return true;
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  if (colon < 0) return false;
  const tag = last.slice(colon + 1);
  return tag !== '' && tag.toLowerCase() !== 'latest';
}

function imageOf(c: JsonObject, at: string): Finding[] {
  const image = str(c, 'image') ?? '';
  if (isPinnedImage(image)) return [];
  return [finding('image-pinned', `${at}.image`, 'must be pinned by a tag other than latest or by a digest', 'pin a version tag (:1.4.2) or a digest (@sha256:...) so every node runs the same image', image)];
}

function credentialsOf(c: JsonObject, at: string): Finding[] {
  return arr(c, 'env').flatMap((e, i) => {
    const name = str(e, 'name') ?? '';
    const value = str(e, 'value');
    if (!looksLikeCredential(name) || value === undefined || value === '') return [];
    return [finding('credential-env', `${at}.env[${i}].value`, `must not give ${name}, which looks like a credential, a literal value`, 'store it in a Secret and reference it with valueFrom.secretKeyRef')];
  });
}

/** Every per-pod finding: Pod Security (baseline and restricted, in full), resources, pinned images and literal credentials. */
export function checkPodTemplate(t: PodTemplate): Finding[] {
  const out = [...podLevel(t), ...checkBaselineFields(t)];
  for (const { container, field, kind } of containersOf(t.spec)) {
    const at = `${t.specPath}.${field}`;
    out.push(...securityOf(t, container, at));
    if (kind !== 'ephemeralContainers') out.push(...resourcesOf(container, at));
    out.push(...imageOf(container, at), ...credentialsOf(container, at));
  }
  return out;
}

/** A container that serves a port, for the readiness rule. */
export function containerServing(t: PodTemplate, targetPort: unknown): { container: JsonObject; field: string } | undefined {
  const regular = containersOf(t.spec).filter((c) => c.kind === 'containers');
  const match = regular.find(({ container }) => arr(container, 'ports').some((p) =>
    (typeof targetPort === 'string' && str(p, 'name') === targetPort) || (typeof targetPort === 'number' && isObject(p) && p.containerPort === targetPort)));
  // A numeric target port no container declares is served by the main (first) container.
  const chosen = match ?? (typeof targetPort === 'number' ? regular[0] : undefined);
  return chosen === undefined ? undefined : { container: chosen.container, field: `${t.specPath}.${chosen.field}` };
}
