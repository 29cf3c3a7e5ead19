import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformError, Quantity, checkDnsLabel, parseAt, pathOf, type QuantityLike } from '../core';
import { addPdb, checkReplicas, resolveShutdown, wantsPdb, type ShutdownProps } from './availability';
import type { PortProps } from './container';
import { Probe } from './probe';
import { Workload, type WorkloadProps } from './workload';
import { checkProps } from '../core/props-check';

/** A persistent volume per pod, from a volume claim template. */
export interface VolumeClaimProps {
  /** The claim's name (also the volume's). */
  readonly name: string;
  /** Where it is mounted. */
  readonly mountPath: string;
  /** Its size (`'20Gi'`). */
  readonly size: QuantityLike;
  /** The StorageClass. @default - the cluster's default class */
  readonly storageClass?: string;
}

/** Props of a {@link StatefulService}. */
export interface StatefulServiceProps extends WorkloadProps {
  /** The ports; the first is the one probes use. */
  readonly ports: readonly PortProps[];
  /** The volumes each pod keeps across restarts. */
  readonly volumes: readonly VolumeClaimProps[];
  /** Pod replicas. @default 1 */
  readonly replicas?: number;
  /** Readiness check. @default Probe.tcp() on the first port */
  readonly readiness?: Probe | false;
  /** A PodDisruptionBudget; on by default with 2 or more replicas. @default - on when replicas >= 2 */
  readonly pdb?: boolean;
  /** Graceful shutdown. @default { preStopDelay: '0s', gracePeriod: '30s' } */
  readonly shutdown?: ShutdownProps;
}

/**
 * For the cases that need stable identity and storage: a StatefulSet whose pods keep their own
 * volume, behind a headless Service that gives each pod a DNS name (`<name>-0.<name>`).
 */
export class StatefulService extends Workload {
  /** The StatefulSet. */
  public readonly statefulSet: k8s.KubeStatefulSet;
  /** The headless Service. */
  public readonly service: k8s.KubeService;

  public constructor(scope: Construct, id: string, props: StatefulServiceProps) {
    super(scope, id, props.namespace, props.serviceAccountName);
    props = checkProps(this, StatefulService, props);
    if (props.ports.length === 0) {
      throw PlatformError.at(this, { field: 'ports', value: [], rule: 'must list at least one port', fix: 'declare the port the service listens on' });
    }
    if (props.volumes.length === 0) {
      throw PlatformError.at(this, { field: 'volumes', value: [], rule: 'must list at least one volume', fix: 'declare its storage, or use a WebService or Worker' });
    }
    const replicas = checkReplicas(this, props.replicas ?? 1);
    const shutdown = resolveShutdown(this, props.shutdown, '0s');
    const claims = props.volumes.map((v, i) => ({
      name: checkDnsLabel(v.name, { path: pathOf(this), field: `volumes[${i}].name` }),
      mountPath: v.mountPath,
      size: parseAt(this, `volumes[${i}].size`, () => Quantity.of(v.size)),
      storageClass: v.storageClass,
    }));
    const pod = this.buildPod({ ...props, secretVolumes: props.secretVolumes ?? [] }, {
      component: 'stateful',
      defaultReadiness: Probe.tcp(),
      ...(shutdown.lifecycle === undefined ? {} : { lifecycle: shutdown.lifecycle }),
      terminationGracePeriodSeconds: shutdown.gracePeriodSeconds,
    });
    const [main, ...rest] = pod.template.spec?.containers ?? [];
    const containers = main === undefined ? [] : [{ ...main, volumeMounts: [...(main.volumeMounts ?? []), ...claims.map((c) => ({ name: c.name, mountPath: c.mountPath }))] }, ...rest];
    const metadata = this.metadata('stateful', pod.image, props.partOf);
    this.service = new k8s.KubeService(this, 'service', {
      metadata,
      spec: {
        clusterIp: 'None',
        selector: this.selector,
        ports: props.ports.map((p) => ({ name: p.name, port: p.port, targetPort: k8s.IntOrString.fromString(p.name), protocol: p.protocol ?? 'TCP' })),
      },
    });
    this.statefulSet = new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata,
      spec: {
        serviceName: this.name,
        replicas,
        selector: { matchLabels: this.selector },
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate' },
        template: { ...pod.template, spec: { ...pod.template.spec, containers } },
        volumeClaimTemplates: claims.map((c) => ({
          metadata: { name: c.name },
          spec: {
            accessModes: ['ReadWriteOnce'],
            ...(c.storageClass === undefined ? {} : { storageClassName: c.storageClass }),
            resources: { requests: { storage: k8s.Quantity.fromString(c.size.toString()) } },
          },
        })),
      },
    });
    this.addControllers(this.statefulSet);
    if (wantsPdb(this, props.pdb, { kind: 'fixed', replicas })) addPdb(this, metadata, this.selector);
  }
}
