import type { IConstruct } from 'constructs';
import { stringify } from 'yaml';
import type { ClusterSpec, ClusterSpecKubeApiServer } from '../../../imports/kops.k8s.io';
import { DnsName, Cidr, type CidrLike, PlatformError, parseAt } from '../../core';
import type { KubernetesVersion } from '../kubernetes-version';
import type { OidcSettings } from '../oidc';
import { authenticationConfiguration } from './authentication';

/** The Kubernetes API endpoint. */
export interface ApiServerProps {
  /** An internal NLB, reachable only from the VPC (and what is peered or VPN-ed to it), or a public one open to `access` only. @default 'internal' */
  readonly loadBalancer?: 'public' | 'internal';
  /** Extra names in the API server certificate. @default - none */
  readonly additionalSans?: readonly string[];
  /**
   * The source ranges allowed to reach the API (kops `kubernetesApiAccess`: the balancer's
   * security group): the office or VPN ranges, and the egress of the runners that deploy. Required
   * with a public balancer, and never `0.0.0.0/0` — anyone with a leaked token could use it.
   * @default - the VPC, for an internal balancer; none for a public one (an error)
   */
  readonly access?: readonly CidrLike[];
  /** Days the API server keeps rotated audit logs. @default 30 */
  readonly auditLogMaxAgeDays?: number;
}

/** Where each API server writes its audit log on its master (kops `spec.kubeAPIServer.auditLogPath`). */
export const AUDIT_LOG_PATH = '/var/log/kube-apiserver-audit.log';

/** Where the audit policy is written on the masters (kops's documented path). */
export const AUDIT_POLICY_PATH = '/etc/kubernetes/audit/policy-config.yaml';

/**
 * Where the API server's authentication configuration is written on the masters: next to the
 * audit policy, in the one directory of a kops file asset that is mounted into the API server's
 * static pod. kops mounts the directory of `auditPolicyFile` ("the audit config dir will be used
 * for both the audit policy and the audit webhook config") and nothing for
 * `authenticationConfigFile`, which it only passes as `--authentication-config` (kubernetes/kops
 * nodeup/pkg/model/kube_apiserver.go, buildPod; its own golden test
 * nodeup/pkg/model/tests/golden/audit puts the file at /etc/kubernetes/authentication-config.yaml,
 * which that pod has no volume for).
 */
export const AUTHENTICATION_CONFIG_PATH = '/etc/kubernetes/audit/authentication-config.yaml';

/** The audit policy: secrets and tokens at Metadata only (never their content), writes with their request, health checks not at all. */
export const AUDIT_POLICY = stringify({
  apiVersion: 'audit.k8s.io/v1',
  kind: 'Policy',
  omitStages: ['RequestReceived'],
  rules: [
    { level: 'None', nonResourceURLs: ['/healthz*', '/livez*', '/readyz*', '/version'] },
    { level: 'None', users: ['system:kube-proxy'], verbs: ['watch'] },
    { level: 'Metadata', resources: [{ group: '', resources: ['secrets', 'configmaps'] }, { group: 'authentication.k8s.io', resources: ['tokenreviews'] }] },
    { level: 'Request', verbs: ['create', 'update', 'patch', 'delete', 'deletecollection'] },
    { level: 'Metadata' },
  ],
});


/**
 * Admission plugins the platform adds to kops's list. `DenyServiceExternalIPs` refuses every
 * Service that sets `spec.externalIPs` (CVE-2020-8554: such a Service intercepts traffic to
 * those addresses from every pod); the tenant admission policy says the same for team
 * namespaces, this holds for the whole cluster.
 */
export const APPENDED_ADMISSION_PLUGINS: readonly string[] = ['DenyServiceExternalIPs'];

/**
 * The admission plugins kops enables, in its order: it overwrites `enableAdmissionPlugins` with
 * this list and appends `appendAdmissionPlugins` (kubernetes/kops
 * pkg/model/components/apiserver.go, KubeAPIServerOptionsBuilder.BuildOptions). The API server
 * enables its default plugins (PodSecurity and ValidatingAdmissionPolicy among them) besides.
 */
export const KOPS_ADMISSION_PLUGINS: readonly string[] = [
  'NamespaceLifecycle', 'LimitRanger', 'ServiceAccount', 'PersistentVolumeLabel', 'DefaultStorageClass',
  'DefaultTolerationSeconds', 'NodeRestriction', 'Priority', 'StorageObjectInUseProtection',
  'PersistentVolumeClaimResize', 'RuntimeClass', 'MutatingAdmissionWebhook', 'ValidatingAdmissionWebhook', 'ResourceQuota',
];

/**
 * The `--enable-admission-plugins` flag kops renders for an API server spec: its own list, then
 * `appendAdmissionPlugins`, comma-joined (kops's flagbuilder joins a string list with commas).
 * Whatever `enableAdmissionPlugins` says is overwritten.
 */
export function kopsAdmissionFlag(spec: Pick<ClusterSpecKubeApiServer, 'appendAdmissionPlugins' | 'enableAdmissionPlugins'>): string {
  return `--enable-admission-plugins=${[...KOPS_ADMISSION_PLUGINS, ...(spec.appendAdmissionPlugins ?? [])].join(',')}`;
}

/**
 * The API part of the cluster spec: balancer, SANs, access, RBAC, encryption at rest, anonymous
 * auth off, audit, and the JWT issuers. The issuers go in a structured authentication
 * configuration (`kubeAPIServer.authenticationConfigFile`, the file a control-plane file asset),
 * never in the `oidc*` fields: kube-apiserver refuses `--authentication-config` together with any
 * `--oidc-*` flag (k8s.io/kubernetes pkg/kubeapiserver/options/authentication.go: "authentication-config
 * file and oidc-* flags are mutually exclusive"), and only the file can hold a second issuer.
 */
export function apiSpec(scope: IConstruct, props: ApiServerProps, vpcCidr: Cidr, oidc: OidcSettings | undefined, version: KubernetesVersion): Partial<ClusterSpec> {
  const type = props.loadBalancer ?? 'internal';
  const sans = props.additionalSans ?? [];
  const maxAge = props.auditLogMaxAgeDays ?? 30;
  if (type === 'public' && (props.access === undefined || props.access.length === 0)) {
    throw PlatformError.at(scope, {
      field: 'api.access', value: props.access ?? [], rule: 'is empty, and a public API load balancer with no allowed CIDRs would be open to the internet',
      fix: "list the ranges that may reach the API (the office VPN, the deploy runners' egress), or set api.loadBalancer: 'internal'",
    });
  }
  const access = (props.access ?? [vpcCidr]).map((c, i) => parseAt(scope, `api.access[${i}]`, () => Cidr.of(c)));
  const everywhere = access.findIndex((c) => c.prefix === 0);
  if (everywhere >= 0) {
    throw PlatformError.at(scope, {
      field: `api.access[${everywhere}]`, value: access[everywhere]?.toString(), rule: 'opens the API to every address',
      fix: "list the ranges that may reach the API (the office VPN, the deploy runners' egress), or set api.loadBalancer: 'internal'",
    });
  }
  for (const san of sans) {
    if (!DnsName.isValid(san, { minLabels: 1 })) {
      throw PlatformError.at(scope, { field: 'api.additionalSans', value: san, rule: 'is not a DNS name', fix: 'write a lowercase host name such as api.internal.example.com' });
    }
  }
  if (!Number.isInteger(maxAge) || maxAge < 1) {
    throw PlatformError.at(scope, { field: 'api.auditLogMaxAgeDays', value: maxAge, rule: 'must be a whole number of days >= 1', fix: 'keep audit logs for at least a day' });
  }
  const kubeApiServer: ClusterSpecKubeApiServer = {
    anonymousAuth: false,
    // kops sets enableAdmissionPlugins itself and appends this list to it (see ADMISSION_PLUGINS).
    appendAdmissionPlugins: [...APPENDED_ADMISSION_PLUGINS],
    auditLogPath: AUDIT_LOG_PATH,
    auditLogMaxAge: maxAge,
    auditLogMaxBackups: 10,
    auditLogMaxSize: 100,
    auditPolicyFile: AUDIT_POLICY_PATH,
    ...(oidc === undefined ? {} : { authenticationConfigFile: AUTHENTICATION_CONFIG_PATH }),
  };
  const authentication = oidc === undefined ? [] : [{
    name: 'authentication-config', path: AUTHENTICATION_CONFIG_PATH, roles: ['ControlPlane'],
    content: stringify(parseAt(scope, 'oidc', () => authenticationConfiguration(oidc, version))),
  }];
  return {
    api: { loadBalancer: { type: type === 'public' ? 'Public' : 'Internal', class: 'Network', crossZoneLoadBalancing: true } },
    ...(sans.length === 0 ? {} : { additionalSans: [...sans] }),
    kubernetesApiAccess: access.map(String),
    authorization: { rbac: {} },
    encryptionConfig: true,
    kubeApiServer,
    fileAssets: [{ name: 'audit-policy-config', path: AUDIT_POLICY_PATH, roles: ['ControlPlane'], content: AUDIT_POLICY }, ...authentication],
  };
}
