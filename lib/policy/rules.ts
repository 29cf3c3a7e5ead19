import type { PodSecurityLevel } from './pod-security';

/** The rules of the policy check. An exemption names one of them. */
export const POLICY_RULES = [
  // Pod Security Standards, restricted profile
  'run-as-non-root',
  'privilege-escalation',
  'drop-capabilities',
  'seccomp',
  'host-network',
  'host-pid',
  'host-ipc',
  'host-path',
  'host-ports',
  'privileged',
  'proc-mount',
  'selinux',
  'apparmor',
  'sysctls',
  'host-process',
  'volume-types',
  // resources and health
  'resources',
  'readiness-probe',
  // supply chain and secrets
  'image-pinned',
  'secret-data',
  'credential-env',
  // tenancy and availability
  'default-deny',
  'pdb',
  'cronjob-concurrency',
  'load-balancer',
  'tenant-kind',
  'endpoint-addresses',
  'pod-template',
] as const;

/** The id of a rule of the policy check. */
export type PolicyRule = (typeof POLICY_RULES)[number];

/**
 * The checks that are not rules of their own and cannot be exempted: an exempted pod that needs
 * more than its namespace's Pod Security level allows, and an exemption that exempts nothing.
 */
export type PolicyCheck = PolicyRule | 'pod-security-level' | 'unused-exemption';

/** Whether `text` is a rule id. */
export function isPolicyRule(text: string): text is PolicyRule {
  return (POLICY_RULES as readonly string[]).includes(text);
}

/**
 * The Pod Security level a namespace must enforce at most for a pod breaking this rule to be
 * admitted: `baseline` tolerates what only `restricted` forbids, `privileged` tolerates all.
 * Rules that are not about Pod Security need no level.
 */
export const LEVEL_NEEDED: Readonly<Partial<Record<PolicyRule, PodSecurityLevel>>> = {
  'run-as-non-root': 'baseline',
  'privilege-escalation': 'baseline',
  'drop-capabilities': 'baseline',
  seccomp: 'baseline',
  'host-network': 'privileged',
  'host-pid': 'privileged',
  'host-ipc': 'privileged',
  'host-path': 'privileged',
  'host-ports': 'privileged',
  privileged: 'privileged',
  'proc-mount': 'privileged',
  selinux: 'privileged',
  apparmor: 'privileged',
  sysctls: 'privileged',
  'host-process': 'privileged',
  'volume-types': 'baseline',
};
