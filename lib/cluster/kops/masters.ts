import type { IConstruct } from 'constructs';
import type { ClusterSpecEtcdClusters, ClusterSpecMasterKubelet } from '../../../imports/kops.k8s.io';
import { Duration, type DurationLike, PlatformError, parseAt } from '../../core';
import { CloudValues } from '../../core/cloud-values';
import { KUBELET_READ_ONLY_PORT, type ReservedResources, reservedMap } from './kubelet';
import type { KubernetesVersion } from '../kubernetes-version';

/** The control plane: one instance group per master, each in its own zone. */
export interface MastersProps {
  /** How many masters; 3, 5 or 7 (odd, so etcd keeps a quorum when one is lost). @default 3 */
  readonly count?: number;
  /** The masters' EC2 instance type. @default 'm6i.large' */
  readonly machineType?: string;
  /** Root volume size in GiB (gp3, encrypted). @default 64 */
  readonly rootVolumeSize?: number;
  /** Allow more masters than zones (two in one zone lose quorum together). @default false */
  readonly allowMultipleMastersPerZone?: boolean;
  /**
   * Let workloads run on the masters. kops 1.36 always registers masters with the control-plane
   * NoSchedule taint, so this means: workloads that tolerate it (`KopsCluster.controlPlaneToleration`)
   * may land there, and the masters' kubelet keeps `kubeReserved` and `systemReserved` back.
   * @default false
   */
  readonly takeWorkloads?: boolean;
  /** Kept back for Kubernetes daemons on the masters; required with `takeWorkloads`. @default - the cluster kubelet's */
  readonly kubeReserved?: ReservedResources;
  /** Kept back for the operating system on the masters; required with `takeWorkloads`. @default - the cluster kubelet's */
  readonly systemReserved?: ReservedResources;
}

/** The two etcd clusters (`main`, `events`) that etcd-manager runs on the masters. */
export interface EtcdProps {
  /** The etcd version, pinned. @default - kops 1.36's pin: '3.6.12' for Kubernetes >= 1.34, else '3.5.31' */
  readonly version?: string;
  /** Days etcd-manager keeps backups in the etcd-backup bucket (it alone expires them); the stack sets its `etcdBackupRetentionDays` here. @default 90 */
  readonly backupRetentionDays?: number;
  /** Time between backups. @default '1h' */
  readonly backupInterval?: DurationLike;
  /** Size of each member's volume in GiB (gp3, encrypted). @default 20 */
  readonly volumeSize?: number;
  /**
   * Serve etcd's /metrics on each master's loopback address (main :8081, events :8082), in plain
   * HTTP for the monitoring addon's authenticating proxies on the masters; never on another interface. @default true
   */
  readonly exposeMetrics?: boolean;
}

/** The ports etcd serves /metrics on, on 127.0.0.1, when `exposeMetrics` is on (kops's documented ports). */
export const ETCD_METRICS_PORTS = { main: 8081, events: 8082 } as const;

/** One master instance group. */
export interface MasterGroup {
  readonly name: string;
  readonly zone: string;
}

/** Go's duration text (`1h0m0s`, `15m0s`), which kops fields parse. */
export function goDuration(d: Duration): string {
  const total = d.toSeconds();
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60];
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}

/** The master groups: `master-<zone>` in zone order, a second round `master-<zone>-2` only when allowed. */
export function masterGroups(scope: IConstruct, props: MastersProps, zones: readonly string[]): MasterGroup[] {
  const count = props.count ?? 3;
  if (!Number.isInteger(count) || count < 3 || count % 2 === 0 || count > 7) {
    throw PlatformError.at(scope, {
      field: 'masters.count', value: count, rule: 'must be 3, 5 or 7 (odd and at least 3, for an etcd quorum that survives losing a master)',
      fix: 'use 3 masters, or 5 or 7 for larger clusters',
    });
  }
  if (count > zones.length && props.allowMultipleMastersPerZone !== true) {
    throw PlatformError.at(scope, {
      field: 'masters.count', value: count, rule: `is more than the ${zones.length} zones (one master per zone)`,
      fix: 'add zones, lower the count, or set allowMultipleMastersPerZone: true',
    });
  }
  if (props.takeWorkloads === true && (props.kubeReserved === undefined || props.systemReserved === undefined)) {
    throw PlatformError.at(scope, {
      field: 'masters.takeWorkloads', value: true, rule: 'requires masters.kubeReserved and masters.systemReserved',
      fix: 'reserve CPU and memory for the control plane, or keep workloads off the masters',
    });
  }
  return Array.from({ length: count }, (_, i) => {
    const zone = zones[i % zones.length] ?? '';
    const round = Math.floor(i / zones.length) + 1;
    return { name: round === 1 ? `master-${zone}` : `master-${zone}-${round}`, zone };
  });
}

/**
 * The masters' kubelet (kops `masterKubelet`, its control-plane kubelet, merged over `kubelet`):
 * anonymous auth and the read-only port off, and when they take workloads the reservations they
 * keep back.
 */
export function masterKubeletSpec(scope: IConstruct, props: MastersProps): ClusterSpecMasterKubelet {
  const base: ClusterSpecMasterKubelet = { anonymousAuth: false, readOnlyPort: KUBELET_READ_ONLY_PORT };
  if (props.takeWorkloads !== true || props.kubeReserved === undefined || props.systemReserved === undefined) return base;
  return {
    ...base,
    kubeReserved: reservedMap(scope, 'masters.kubeReserved', props.kubeReserved),
    systemReserved: reservedMap(scope, 'masters.systemReserved', props.systemReserved),
    enforceNodeAllocatable: 'pods',
  };
}

/**
 * `main` and `events`, one member per master group, encrypted volumes, backups kept
 * `backupRetentionDays` in the etcd-backup bucket (not the state store, so their lifecycle is their own).
 */
export function etcdClusters(scope: IConstruct, props: EtcdProps, groups: readonly MasterGroup[], version: KubernetesVersion, platformKey: boolean): ClusterSpecEtcdClusters[] {
  const etcdVersion = props.version ?? (version.atLeast(34) ? '3.6.12' : '3.5.31');
  if (!/^3\.\d+\.\d+$/.test(etcdVersion)) {
    throw PlatformError.at(scope, { field: 'etcd.version', value: etcdVersion, rule: 'is not an etcd 3 release version', fix: "pin a version such as '3.6.12'" });
  }
  const retention = props.backupRetentionDays ?? 90;
  if (!Number.isInteger(retention) || retention < 1) {
    throw PlatformError.at(scope, { field: 'etcd.backupRetentionDays', value: retention, rule: 'must be a whole number of days >= 1', fix: 'keep backups for at least a day (90 is the default)' });
  }
  const interval = parseAt(scope, 'etcd.backupInterval', () => Duration.of(props.backupInterval ?? '1h'));
  const volumeSize = props.volumeSize ?? 20;
  return (['main', 'events'] as const).map((name) => ({
    name,
    version: etcdVersion,
    backups: { backupStore: `s3://${CloudValues.etcdBackupBucket()}/backups/etcd/${name}` },
    etcdMembers: groups.map((g) => ({
      name: g.name.replace(/^master-/, ''),
      instanceGroup: g.name,
      encryptedVolume: true,
      ...(platformKey ? { kmsKeyId: CloudValues.kmsKeyArn() } : {}),
      volumeType: 'gp3',
      volumeSize,
    })),
    manager: {
      backupRetentionDays: retention,
      backupInterval: goDuration(interval),
      ...(props.exposeMetrics === false ? {} : {
        env: [
          // Loopback only: plain HTTP and no authentication, so nothing but the master itself may reach it.
          { name: 'ETCD_LISTEN_METRICS_URLS', value: `http://127.0.0.1:${ETCD_METRICS_PORTS[name]}` },
          { name: 'ETCD_METRICS', value: 'basic' },
        ],
      }),
    },
  }));
}
