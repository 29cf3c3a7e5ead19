import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import type { AddonContext } from '../addon-spec';
import { Platform, PlatformError, type SecretDeclaration } from '../../core';
import { PlatformNamespace } from '../../tenancy/platform-namespace';
import { EckOperator, ECK_OPERATOR_NAME } from './eck-operator';
import { ElasticsearchCluster, elasticsearchService, type MmapMode, type NodeSetProps } from './elasticsearch-cluster';
import { EventShipper, EVENT_SHIPPER_NAME } from './event-shipper';
import { FluentBitAgent } from './fluent-bit-agent';
import type { ContainerIndexMode, LogStream } from './fluent-bit-pipelines';
import { indexLifecycle, WRITER_ROLE, type RetentionProps } from './index-lifecycle';
import { KibanaServer, KIBANA_PORT } from './kibana-server';
import { addKibanaRoute, KIBANA_ROUTE_NAME } from './kibana-route';
import { addKibanaSignIn } from './kibana-sign-in';
import { AGENT_NAMESPACE, LOGGING_NAMESPACE, componentLabels } from './logging-component';
import { LoggingNetworkPolicies } from './logging-network-policies';
import { LoggingSetup, LOGGING_SETUP_NAME } from './logging-setup';
import { lossBudget, type LossBudgetProps } from './loss-budget';

/** Kibana's place at the edge and its sign-in. */
export interface LoggingKibanaProps {
  /** The host name it is served on. @default 'kibana.<the Gateway's DNS zone>' */
  readonly host?: string;
  /** Instances. @default 1 */
  readonly count?: number;
  /** Memory request and limit. @default '1Gi' */
  readonly memory?: string;
  /** The client id registered for Kibana at the identity provider. @default 'kibana' */
  readonly oidcClientId?: string;
}

/** The logging addon's part of the cluster definition (its `logging` field). */
export interface LoggingDefinition {
  /** Elasticsearch's node sets. @default - one set of three master-eligible data nodes, 4Gi, 50Gi each */
  readonly nodeSets?: readonly NodeSetProps[];
  /** How Elasticsearch's `vm.max_map_count` need is met. @default 'sysctl' */
  readonly mmap?: MmapMode;
  /** How container logs are indexed: one index a day, or one per namespace a day. @default 'daily' */
  readonly containerIndex?: ContainerIndexMode;
  /** Retention and layout per stream. @default { containers: { days: 14 }, events: { days: 14 }, audit: { days: 90 } } */
  readonly retention?: Partial<Readonly<Record<LogStream, RetentionProps>>>;
  /** Buffer sizing per stream: ingest rate × the outage to survive. @default containers 200k/s, audit 50k/s, events 20k/s, each for 15m */
  readonly lossBudget?: Partial<Readonly<Record<LogStream, LossBudgetProps>>>;
  /** Kibana, served at the edge behind OIDC sign-in; `false` for none (logs are then read through Elasticsearch's API only). @default {} */
  readonly kibana?: LoggingKibanaProps | false;
  /** The registry pull secret every ServiceAccount of the addon names. @default Platform.imagePullSecret */
  readonly imagePullSecret?: string;
}

/** The Elasticsearch and Kibana resources' name. */
export const LOGGING_STACK_NAME = 'logging';
/** The encrypted gp3 StorageClass of Elasticsearch's and the event shipper's volumes. */
export const LOGGING_STORAGE_CLASS = 'logging-gp3';
/** The file-realm user Fluent Bit writes as: its Secret (in both namespaces) and name. */
export const WRITER_USER = { secret: 'logging-writer', username: 'fluent-bit' } as const;
/** The Secret of Kibana's OIDC client at the edge. */
export const KIBANA_OIDC_SECRET = 'kibana-oidc';
/** The Secret the node agent reads ECK's CA from (copied by the setup). */
export const AGENT_CA_SECRET = 'elasticsearch-ca';

const DEFAULT_RETENTION: Readonly<Record<LogStream, RetentionProps>> = { containers: { days: 14 }, events: { days: 14 }, audit: { days: 90 } };
const DEFAULT_RATE: Readonly<Record<LogStream, string>> = { containers: '200k', audit: '50k', events: '20k' };

/** The Secrets the addon's pods read: the writer user (ECK's file realm, and the shippers), and Kibana's OIDC client when served. */
export function loggingSecrets(def: LoggingDefinition): SecretDeclaration[] {
  const withKibana = def.kibana !== false;
  const writer = (namespace: string): SecretDeclaration => ({
    name: WRITER_USER.secret, namespace, keys: ['username', 'password', 'roles'], configKey: 'loggingWriter',
    description: `Elasticsearch file-realm user the log shippers write as: username ${WRITER_USER.username}, a generated password, roles ${WRITER_ROLE}`,
  });
  return [
    writer(LOGGING_NAMESPACE),
    writer(AGENT_NAMESPACE),
    ...(withKibana ? [{ name: KIBANA_OIDC_SECRET, namespace: LOGGING_NAMESPACE, keys: ['client-secret'], configKey: 'kibanaOidc', description: "Kibana's OIDC client secret at the identity provider (the edge checks sign-in with it)" }] : []),
  ];
}

/**
 * The whole logging stack in one chart: the ECK operator, Elasticsearch and Kibana, the node
 * agent and the event shipper, the index lifecycle and the network policies.
 */
export class Logging extends Construct {
  public constructor(scope: Construct, id: string, def: LoggingDefinition, ctx: AddonContext) {
    super(scope, id);
    const cluster = ctx.cluster;
    const pullSecret = def.imagePullSecret ?? Platform.imagePullSecret;
    const ns = new PlatformNamespace(this, 'namespace', { name: LOGGING_NAMESPACE, gatewayListeners: true }).name;
    const agentNs = new PlatformNamespace(this, 'agent-namespace', {
      name: AGENT_NAMESPACE,
      podSecurity: { level: 'privileged', reason: "Fluent Bit reads the node's /var/log and keeps its buffer in a host folder (hostPath volumes)" },
    }).name;
    new k8s.KubeStorageClass(this, 'storage-class', {
      metadata: { name: LOGGING_STORAGE_CLASS, labels: componentLabels(LOGGING_STORAGE_CLASS, 'storage') },
      provisioner: 'ebs.csi.aws.com',
      parameters: { type: 'gp3', encrypted: 'true', 'csi.storage.k8s.io/fstype': 'ext4' },
      volumeBindingMode: 'WaitForFirstConsumer',
      allowVolumeExpansion: true,
      reclaimPolicy: 'Delete',
    });
    new EckOperator(this, 'operator', { namespace: ns, imagePullSecret: pullSecret });
    const es = new ElasticsearchCluster(this, 'elasticsearch', {
      namespace: ns, name: LOGGING_STACK_NAME, cluster, ...(def.nodeSets === undefined ? {} : { nodeSets: def.nodeSets }), mmap: def.mmap ?? 'sysctl',
      storageClassName: LOGGING_STORAGE_CLASS, fileRealmSecrets: [WRITER_USER.secret],
    });
    const service = elasticsearchService(LOGGING_STACK_NAME, ns);

    const streams: LogStream[] = ['containers', 'events', 'audit'];
    const budget = (s: LogStream) => lossBudget(this, `lossBudget.${s}`, def.lossBudget?.[s] ?? {}, DEFAULT_RATE[s]);
    const lifecycles = streams.map((s) => indexLifecycle(this, `retention.${s}`, s, def.retention?.[s] ?? DEFAULT_RETENTION[s], es.dataNodes));
    const target = { host: service.host, port: service.port, user: WRITER_USER.username, passwordSecret: { secret: WRITER_USER.secret, key: 'password' } };
    new LoggingSetup(this, 'setup', {
      namespace: ns,
      elasticsearch: { url: `https://${service.host}:${service.port}`, caSecret: service.caSecret, elasticUserSecret: service.elasticUserSecret },
      lifecycles,
      caCopy: { namespace: agentNs, secret: AGENT_CA_SECRET },
      imagePullSecret: pullSecret,
    });
    new FluentBitAgent(this, 'agent', {
      namespace: agentNs,
      target: { ...target, caSecret: AGENT_CA_SECRET },
      containers: budget('containers'),
      ...(def.containerIndex === undefined ? {} : { containerIndex: def.containerIndex }),
      audit: cluster.apiServerAuditLogPath === undefined ? undefined : { path: cluster.apiServerAuditLogPath, budget: budget('audit') },
      taints: [...cluster.nodeGroups.flatMap((g) => g.taints), ...cluster.controlPlaneTaints],
      imagePullSecret: pullSecret,
    });
    new EventShipper(this, 'events', { namespace: ns, target: { ...target, caSecret: service.caSecret }, events: budget('events'), storageClassName: LOGGING_STORAGE_CLASS, imagePullSecret: pullSecret });

    const gateway = ctx.addons.gateway;
    if (def.kibana !== false) this.addKibana(def.kibana ?? {}, ns, ctx);
    new LoggingNetworkPolicies(this, 'network-policies', {
      namespace: ns, agentNamespace: agentNs,
      elasticsearchPods: { 'elasticsearch.k8s.elastic.co/cluster-name': LOGGING_STACK_NAME },
      kibanaPods: { 'kibana.k8s.elastic.co/name': LOGGING_STACK_NAME },
      gatewayNamespace: def.kibana === false ? undefined : gateway?.namespace,
      apiClients: [ECK_OPERATOR_NAME, EVENT_SHIPPER_NAME, LOGGING_SETUP_NAME],
      vpcCidr: cluster.vpcCidr,
      nodeLocalDnsAddress: cluster.nodeLocalDnsAddress,
    });
  }

  private addKibana(props: LoggingKibanaProps, ns: string, ctx: AddonContext): void {
    const { gateway, identity } = ctx.addons;
    if (gateway === undefined || identity === undefined) {
      throw PlatformError.at(this, {
        field: 'kibana', value: gateway === undefined ? 'no gateway' : 'no identity provider',
        rule: 'needs the edge addon (its Gateway) and the identity addon (its OIDC issuer): Kibana is served only at the edge, behind sign-in',
        fix: 'run the edge and identity addons on this cluster, or set kibana: false',
      });
    }
    const host = props.host ?? `kibana.${gateway.dnsZone}`;
    const publicUrl = `https://${host}`;
    const kibana = new KibanaServer(this, 'kibana', {
      namespace: ns, name: LOGGING_STACK_NAME, elasticsearch: LOGGING_STACK_NAME, publicUrl,
      ...(props.count === undefined ? {} : { count: props.count }),
      ...(props.memory === undefined ? {} : { memory: props.memory }),
    });
    const labels = componentLabels('kibana', 'edge');
    addKibanaRoute(this, { gateway, namespace: ns, host, service: kibana.serviceName, port: KIBANA_PORT, labels });
    addKibanaSignIn(this, {
      namespace: ns, route: KIBANA_ROUTE_NAME, issuerUrl: identity.issuerUrl, clientId: props.oidcClientId ?? 'kibana',
      clientSecret: KIBANA_OIDC_SECRET, publicUrl, labels,
    });
  }
}
