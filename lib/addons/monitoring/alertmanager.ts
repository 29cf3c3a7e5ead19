import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { ImageRef, parseAt, type ImageRefLike } from '../../core';
import { ALERTMANAGER_SECRETS_DIR, renderAlertmanagerConfig, type AlertmanagerConfigProps } from './alertmanager-config';
import { addPdb, addServiceAccount, checkCount, componentLabels, componentSelector, hashedConfigMap, podSecurity, toYaml } from './component';
import { MONITORING_IMAGES } from './images';
import { checkProps } from '../../core/props-check';

/** Sizing of Alertmanager, per cluster. */
export interface AlertmanagerSizing {
  /** Replicas; they form one gossip cluster that shares silences and deduplicates notifications. @default 3 */
  readonly replicas?: number;
  /** Requests and limits. @default { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } } */
  readonly resources?: ResourcesProps;
}

/** Props of an {@link Alertmanager}. */
export interface AlertmanagerProps extends AlertmanagerConfigProps, AlertmanagerSizing {
  /** The namespace it runs in (where the receivers' Secrets are). */
  readonly namespace: string;
  /** The image. @default MONITORING_IMAGES.alertmanager */
  readonly image?: ImageRefLike;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The port Alertmanager serves its API on. */
export const ALERTMANAGER_PORT = 9093;
const MESH_PORT = 9094;
/** The name of the component's objects and the `app.kubernetes.io/name` of its pods. */
export const ALERTMANAGER_NAME = 'alertmanager';
const NAME = ALERTMANAGER_NAME;
const USER = 65534;

/**
 * Alertmanager, replicated and clustered: a StatefulSet whose pods find each other through a
 * headless Service, with the configuration in an immutable ConfigMap named by its content and
 * every receiver credential mounted from a Secret as a file.
 */
export class Alertmanager extends Construct {
  /** The generated `alertmanager.yml`. */
  public readonly config: Record<string, unknown>;
  /** Every replica as `host:port`: Prometheus sends each alert to all of them. */
  public readonly peers: readonly string[];

  public constructor(scope: Construct, id: string, props: AlertmanagerProps) {
    super(scope, id);
    props = checkProps(this, Alertmanager, props);
    const replicas = checkCount(this, 'replicas', props.replicas ?? 3, 1);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.alertmanager));
    const ns = props.namespace;
    const labels = componentLabels(NAME, 'alertmanager', image);
    const rendered = renderAlertmanagerConfig(this, props);
    this.config = rendered.config;
    const hosts = Array.from({ length: replicas }, (_, i) => `${NAME}-${i}.${NAME}.${ns}.svc`);
    this.peers = hosts.map((h) => `${h}:${ALERTMANAGER_PORT}`);
    const configMap = hashedConfigMap(this, 'config', `${NAME}-config`, ns, labels, { 'alertmanager.yml': toYaml(this.config) });
    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);

    const secretVolume = (secret: string, i: number) => ({ name: `secret${i}`, secret: { secretName: secret } });
    const main = buildContainer(this, NAME, {
      image,
      args: [
        '--config.file=/etc/alertmanager/alertmanager.yml',
        '--storage.path=/alertmanager',
        `--web.listen-address=:${ALERTMANAGER_PORT}`,
        `--cluster.listen-address=[$(POD_IP)]:${MESH_PORT}`,
        ...(replicas > 1 ? hosts.map((h) => `--cluster.peer=${h}:${MESH_PORT}`) : []),
        '--cluster.reconnect-timeout=5m',
      ],
      ports: [{ name: 'web', port: ALERTMANAGER_PORT }, { name: 'mesh-tcp', port: MESH_PORT }, { name: 'mesh-udp', port: MESH_PORT, protocol: 'UDP' }],
      resources: props.resources ?? { requests: { cpu: '50m', memory: '128Mi' }, limits: { cpu: '200m', memory: '256Mi' } },
      readiness: Probe.http('/-/ready', { period: '10s' }),
      liveness: Probe.http('/-/healthy', { period: '20s' }),
      writablePaths: ['/alertmanager'],
    }, {
      field: 'container', defaultReadiness: undefined, defaultLiveness: undefined,
      env: [{ name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
      mounts: [
        { name: 'config', mountPath: '/etc/alertmanager/alertmanager.yml', subPath: 'alertmanager.yml', readOnly: true },
        ...rendered.secrets.map((s, i) => ({ name: `secret${i}`, mountPath: `${ALERTMANAGER_SECRETS_DIR}/${s}`, readOnly: true })),
      ],
    });

    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        clusterIp: 'None',
        publishNotReadyAddresses: true,
        selector: componentSelector(NAME),
        ports: [
          { name: 'web', port: ALERTMANAGER_PORT, targetPort: k8s.IntOrString.fromString('web') },
          { name: 'mesh-tcp', port: MESH_PORT, targetPort: k8s.IntOrString.fromString('mesh-tcp') },
          { name: 'mesh-udp', port: MESH_PORT, protocol: 'UDP', targetPort: k8s.IntOrString.fromString('mesh-udp') },
        ],
      },
    });
    new k8s.KubeStatefulSet(this, 'statefulset', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: {
        replicas,
        serviceName: NAME,
        podManagementPolicy: 'Parallel',
        selector: { matchLabels: componentSelector(NAME) },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: NAME,
            automountServiceAccountToken: false,
            securityContext: podSecurity(USER),
            containers: [main.container],
            volumes: [...main.volumes, { name: 'config', configMap: { name: configMap } }, ...rendered.secrets.map(secretVolume)],
          },
        },
      },
    });
    if (replicas >= 2) addPdb(this, NAME, ns, labels);
  }
}
