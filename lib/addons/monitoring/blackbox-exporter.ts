import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { Probe } from '../../apps/probe';
import type { ResourcesProps } from '../../apps/resources';
import { Duration, ImageRef, PlatformError, parseAt, type DurationLike, type ImageRefLike } from '../../core';
import { addServiceAccount, componentLabels, componentSelector, hashedConfigMap, toYaml, addSingleDeployment } from './component';
import { MONITORING_IMAGES } from './images';
import { SERVICE_ACCOUNT_DIR } from './prometheus-config';
import { checkProps } from '../../core/props-check';

/** A blackbox exporter module: how one kind of target is probed. */
export type BlackboxModule =
  | {
    readonly kind: 'dns';
    /** The module's name, as probe jobs name it (`dns_cluster`). */
    readonly name: string;
    /** The name to resolve. */
    readonly queryName: string;
    /** @default 'A' */
    readonly queryType?: 'A' | 'AAAA' | 'SRV';
    /** @default 'udp' */
    readonly transport?: 'udp' | 'tcp';
    /** @default '5s' */
    readonly timeout?: DurationLike;
  }
  | {
    readonly kind: 'http';
    readonly name: string;
    /** The status codes that count as success. @default [200] */
    readonly validStatusCodes?: readonly number[];
    /** Authenticate with the pod's ServiceAccount token and trust the cluster CA (for the API server). @default false */
    readonly inCluster?: boolean;
    /** @default '5s' */
    readonly timeout?: DurationLike;
  };

/** Props of a {@link BlackboxExporter}. */
export interface BlackboxExporterProps {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** The modules. */
  readonly modules: readonly BlackboxModule[];
  /** The image. @default MONITORING_IMAGES.blackboxExporter */
  readonly image?: ImageRefLike;
  /** Requests and limits. @default { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } } */
  readonly resources?: ResourcesProps;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The port the blackbox exporter serves probes on. */
export const BLACKBOX_PORT = 9115;
/** The name of the component's objects and the `app.kubernetes.io/name` of its pods. */
export const BLACKBOX_EXPORTER_NAME = 'blackbox-exporter';
const NAME = BLACKBOX_EXPORTER_NAME;
const MODULE_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * The Prometheus blackbox exporter with typed modules, for probes of the platform from inside:
 * cluster DNS answers, the API server is ready (and its certificate is not about to expire).
 */
export class BlackboxExporter extends Construct {
  /** The generated `blackbox.yml`. */
  public readonly config: { readonly modules: Readonly<Record<string, unknown>> };
  /** Where Prometheus sends probe requests (`host:port`). */
  public readonly address: string;

  public constructor(scope: Construct, id: string, props: BlackboxExporterProps) {
    super(scope, id);
    props = checkProps(this, BlackboxExporter, props);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.blackboxExporter));
    const ns = props.namespace;
    const labels = componentLabels(NAME, 'exporter', image);
    this.address = `${NAME}.${ns}.svc:${BLACKBOX_PORT}`;
    const modules: Record<string, unknown> = {};
    props.modules.forEach((m, i) => {
      if (!MODULE_NAME.test(m.name) || modules[m.name] !== undefined) {
        throw PlatformError.at(this, { field: `modules[${i}].name`, value: m.name, rule: 'is not a new module name', fix: "use a unique name of lowercase letters, digits and '_' (e.g. 'dns_cluster')" });
      }
      modules[m.name] = this.renderModule(m, i);
    });
    this.config = { modules };
    const configMap = hashedConfigMap(this, 'config', `${NAME}-config`, ns, labels, { 'blackbox.yml': toYaml(this.config) });
    addServiceAccount(this, NAME, ns, labels, props.imagePullSecret);
    const main = buildContainer(this, NAME, {
      image,
      args: ['--config.file=/etc/blackbox/blackbox.yml', `--web.listen-address=:${BLACKBOX_PORT}`],
      ports: [{ name: 'http', port: BLACKBOX_PORT }],
      resources: props.resources ?? { requests: { cpu: '50m', memory: '64Mi' }, limits: { cpu: '200m', memory: '128Mi' } },
      readiness: Probe.http('/-/healthy', { period: '10s' }),
      liveness: Probe.http('/-/healthy', { period: '20s' }),
      writablePaths: [],
    }, {
      field: 'container', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [{ name: 'config', mountPath: '/etc/blackbox', readOnly: true }],
    });
    new k8s.KubeService(this, 'service', {
      metadata: { name: NAME, namespace: ns, labels },
      spec: { selector: componentSelector(NAME), ports: [{ name: 'http', port: BLACKBOX_PORT, targetPort: k8s.IntOrString.fromString('http') }] },
    });
    // The in-cluster modules authenticate to the API server with this token.
    addSingleDeployment(this, {
      name: NAME, namespace: ns, labels, user: 65534, automountToken: props.modules.some((m) => m.kind === 'http' && m.inCluster === true),
      containers: [main.container], volumes: [...main.volumes, { name: 'config', configMap: { name: configMap } }],
    });
  }

  private renderModule(m: BlackboxModule, i: number): Record<string, unknown> {
    const timeout = parseAt(this, `modules[${i}].timeout`, () => Duration.of(m.timeout ?? '5s')).toString();
    if (m.kind === 'dns') {
      return {
        prober: 'dns', timeout,
        dns: {
          query_name: m.queryName, query_type: m.queryType ?? 'A', transport_protocol: m.transport ?? 'udp',
          preferred_ip_protocol: 'ip4', valid_rcodes: ['NOERROR'],
          validate_answer_rrs: { fail_if_not_matches_regexp: ['.+'] },
        },
      };
    }
    return {
      prober: 'http', timeout,
      http: {
        valid_status_codes: [...(m.validStatusCodes ?? [200])],
        preferred_ip_protocol: 'ip4',
        ...(m.inCluster === true ? {
          fail_if_not_ssl: true,
          authorization: { credentials_file: `${SERVICE_ACCOUNT_DIR}/token` },
          tls_config: { ca_file: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
        } : {}),
      },
    };
  }
}
