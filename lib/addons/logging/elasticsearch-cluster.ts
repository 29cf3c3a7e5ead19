import { Construct } from 'constructs';
import {
  Elasticsearch, ElasticsearchSpecNodeSetsResourcesLimitsCpu, ElasticsearchSpecNodeSetsResourcesLimitsMemory,
  ElasticsearchSpecNodeSetsResourcesRequestsCpu, ElasticsearchSpecNodeSetsResourcesRequestsMemory,
  ElasticsearchSpecNodeSetsVolumeClaimTemplatesSpecResourcesRequests,
} from '../../../imports/elasticsearch.k8s.elastic.co';
import { PlatformError, Quantity, parseAt, type ClusterFacts, type QuantityLike } from '../../core';
import { ELASTIC_STACK_VERSION } from './images';
import { componentLabels } from './logging-component';

/** The roles a node set's nodes take (Elasticsearch's `node.roles`). */
export type ElasticsearchRole = 'master' | 'data' | 'ingest';

/**
 * How Elasticsearch's mmap needs are met. `sysctl`: the nodes get `vm.max_map_count=262144`
 * (the addon contributes it to the cluster model, which writes kops `sysctlParameters` on the
 * instance groups), and Elasticsearch uses mmap for its indices, its fastest store.
 * `disabled`: `node.store.allow_mmap: false`, no node change, but Elasticsearch reads index files
 * through NIO, slower for search-heavy use and fine for a small log store (e2e).
 */
export type MmapMode = 'sysctl' | 'disabled';

/** One group of identical Elasticsearch nodes. */
export interface NodeSetProps {
  /** Its name (`default`, `masters`, `data`). */
  readonly name: string;
  /** How many nodes. */
  readonly count: number;
  /** Their roles. @default ['master', 'data', 'ingest'] */
  readonly roles?: readonly ElasticsearchRole[];
  /** Memory request and limit (equal); Elasticsearch sizes its heap to half of it unless `heap` is set. @default '4Gi' */
  readonly memory?: QuantityLike;
  /** CPU request; the limit is twice it (Elasticsearch sizes its thread pools from the limit). @default '1' */
  readonly cpu?: QuantityLike;
  /** An explicit heap (`-Xms`/`-Xmx`), at most half of `memory` and under the compressed-oops limit. @default - Elasticsearch's automatic heap */
  readonly heap?: QuantityLike;
  /** The data volume of each node. @default '50Gi' */
  readonly storage?: QuantityLike;
  /** The zones its nodes spread over. @default - every zone of the cluster */
  readonly zones?: readonly string[];
}

/** Props of an {@link ElasticsearchCluster}. */
export interface ElasticsearchClusterProps {
  readonly namespace: string;
  /** The resource's name; ECK names its Services and Secrets after it (`<name>-es-http`). */
  readonly name: string;
  /** The cluster it runs on: its zones. */
  readonly cluster: ClusterFacts;
  /** The node sets. @default - one set of three master-eligible data nodes */
  readonly nodeSets?: readonly NodeSetProps[];
  /** How mmap is handled. */
  readonly mmap: MmapMode;
  /** The StorageClass of the data volumes. */
  readonly storageClassName: string;
  /** The Secrets of file-realm users (ECK's `auth.fileRealm`). @default [] */
  readonly fileRealmSecrets?: readonly string[];
  /** The Elastic Stack version. @default ELASTIC_STACK_VERSION */
  readonly version?: string;
}

/** The largest heap that keeps compressed ordinary object pointers (Elastic's guidance: below about 32 GB; 31 GiB is the usual ceiling). */
export const COMPRESSED_OOPS_LIMIT = Quantity.of('31Gi');

/** The Elasticsearch ECK's HTTP Service of `name` answers on. */
export function elasticsearchService(name: string, namespace: string): { host: string; port: number; caSecret: string; elasticUserSecret: string } {
  return { host: `${name}-es-http.${namespace}.svc`, port: 9200, caSecret: `${name}-es-http-certs-public`, elasticUserSecret: `${name}-es-elastic-user` };
}

/**
 * An Elasticsearch cluster through ECK: typed node sets with their roles, zone awareness over
 * the cluster's zones, the data volumes on the addon's encrypted StorageClass, memory request =
 * limit, and mmap handled by the chosen mode. TLS and the `elastic` user are ECK's.
 */
export class ElasticsearchCluster extends Construct {
  public readonly name: string;
  /** The data-node count (index templates keep their replicas below it). */
  public readonly dataNodes: number;

  public constructor(scope: Construct, id: string, props: ElasticsearchClusterProps) {
    super(scope, id);
    this.name = props.name;
    const zones = props.cluster.zones;
    const sets = props.nodeSets ?? [{ name: 'default', count: 3 }];
    if (sets.length === 0) {
      throw PlatformError.at(this, { field: 'nodeSets', value: [], rule: 'must list at least one node set', fix: 'leave nodeSets out for three master-eligible data nodes' });
    }
    const masters = sets.filter((s) => (s.roles ?? ['master', 'data', 'ingest']).includes('master')).reduce((n, s) => n + s.count, 0);
    this.dataNodes = sets.filter((s) => (s.roles ?? ['master', 'data', 'ingest']).includes('data')).reduce((n, s) => n + s.count, 0);
    if (zones.length > 1 && masters < 3) {
      throw PlatformError.at(this, {
        field: 'nodeSets', value: masters, rule: `must have at least 3 master-eligible nodes on a cluster of ${zones.length} zones (a zone's loss must leave a quorum)`,
        fix: "give the master role to 3 nodes, e.g. { name: 'default', count: 3 }",
      });
    }
    if (masters < 1 || this.dataNodes < 1) {
      throw PlatformError.at(this, { field: 'nodeSets', value: sets.map((s) => s.name), rule: 'must have at least one master-eligible and one data node', fix: "give a node set the 'master' and 'data' roles" });
    }
    const labels = componentLabels(props.name, 'elasticsearch');
    new Elasticsearch(this, 'elasticsearch', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        version: props.version ?? ELASTIC_STACK_VERSION,
        ...(props.fileRealmSecrets === undefined || props.fileRealmSecrets.length === 0 ? {} : {
          auth: { fileRealm: props.fileRealmSecrets.map((secretName) => ({ secretName })) },
        }),
        nodeSets: sets.map((set, i) => this.nodeSet(set, `nodeSets[${i}]`, props)),
      },
    });
  }

  private nodeSet(set: NodeSetProps, field: string, props: ElasticsearchClusterProps) {
    if (!Number.isInteger(set.count) || set.count < 1) {
      throw PlatformError.at(this, { field: `${field}.count`, value: set.count, rule: 'must be a whole number >= 1', fix: 'run at least one node per set, or remove the set' });
    }
    const memory = parseAt(this, `${field}.memory`, () => Quantity.of(set.memory ?? '4Gi'));
    const cpu = parseAt(this, `${field}.cpu`, () => Quantity.of(set.cpu ?? '1'));
    const storage = parseAt(this, `${field}.storage`, () => Quantity.of(set.storage ?? '50Gi'));
    const heap = set.heap === undefined ? undefined : parseAt(this, `${field}.heap`, () => Quantity.of(set.heap as QuantityLike));
    if (heap !== undefined && heap.times(2).greaterThan(memory)) {
      throw PlatformError.at(this, {
        field: `${field}.heap`, value: String(heap), rule: `must be at most half the memory limit ${String(memory)} (the rest is the filesystem cache Elasticsearch relies on)`,
        fix: 'lower heap, raise memory, or leave heap out for Elasticsearch to size it',
      });
    }
    if (heap !== undefined && heap.greaterThan(COMPRESSED_OOPS_LIMIT)) {
      throw PlatformError.at(this, {
        field: `${field}.heap`, value: String(heap), rule: `must be at most ${String(COMPRESSED_OOPS_LIMIT)}, the compressed-oops limit (a larger heap holds fewer objects)`,
        fix: 'keep heap at or below 31Gi and add nodes instead',
      });
    }
    const unknown = (set.zones ?? []).filter((z) => !props.cluster.zones.includes(z));
    if (unknown.length > 0) {
      throw PlatformError.at(this, {
        field: `${field}.zones`, value: unknown, rule: `must be zones of the cluster [${props.cluster.zones.join(', ')}]`,
        fix: 'name zones the cluster has, or leave zones out to use all of them',
      });
    }
    const roles = set.roles ?? ['master', 'data', 'ingest'];
    return {
      name: set.name,
      count: set.count,
      config: {
        'node.roles': [...roles],
        // The GeoIP downloader fetches databases from the internet, which the network policies do not allow.
        'ingest.geoip.downloader.enabled': false,
        ...(props.mmap === 'disabled' ? { 'node.store.allow_mmap': false } : {}),
      },
      resources: {
        requests: { memory: ElasticsearchSpecNodeSetsResourcesRequestsMemory.fromString(String(memory)), cpu: ElasticsearchSpecNodeSetsResourcesRequestsCpu.fromString(String(cpu)) },
        limits: { memory: ElasticsearchSpecNodeSetsResourcesLimitsMemory.fromString(String(memory)), cpu: ElasticsearchSpecNodeSetsResourcesLimitsCpu.fromString(String(cpu.times(2))) },
      },
      ...(props.cluster.zones.length > 1 ? { zoneAwareness: set.zones === undefined ? {} : { zones: [...set.zones] } } : {}),
      podTemplate: elasticsearchPodTemplate(heap),
      volumeClaimTemplates: [{
        metadata: { name: 'elasticsearch-data' },
        spec: {
          accessModes: ['ReadWriteOnce'],
          storageClassName: props.storageClassName,
          resources: { requests: { storage: ElasticsearchSpecNodeSetsVolumeClaimTemplatesSpecResourcesRequests.fromString(String(storage)) } },
        },
      }],
    };
  }
}

/** The pod template ECK merges into its own: non-root (ECK's image runs as uid 1000), read-only root, no capabilities, the heap when set. */
export function elasticsearchPodTemplate(heap: Quantity | undefined): Record<string, unknown> {
  const heapMb = heap === undefined ? undefined : Math.floor(heap.toNumber() / (1024 * 1024));
  return {
    spec: {
      securityContext: { runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000, seccompProfile: { type: 'RuntimeDefault' } },
      containers: [{
        name: 'elasticsearch',
        securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } },
        ...(heapMb === undefined ? {} : { env: [{ name: 'ES_JAVA_OPTS', value: `-Xms${heapMb}m -Xmx${heapMb}m` }] }),
      }],
    },
  };
}
