import { Chart, App } from 'cdk8s';
import { lossBudget } from '../../../lib/addons/logging';
import { testAddonContext } from '../../support/cluster-facts';
import { EDGE_AND_IDENTITY, loggingChart } from './fixture';

const PATH = 'addon-logging/logging';

describe('the logging addon refuses', () => {
  test('fewer than three master-eligible nodes on a multi-zone cluster', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'default', count: 2 }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets must have at least 3 master-eligible nodes on a cluster of 3 zones (a zone's loss must leave a quorum) (got 2); give the master role to 3 nodes, e.g. { name: 'default', count: 3 }`,
    );
  });

  test('a single small node set is fine on a one-zone cluster (e2e)', () => {
    const ctx = testAddonContext(EDGE_AND_IDENTITY, { zones: ['eu-west-1a'] });
    const es = loggingChart({ nodeSets: [{ name: 'default', count: 1, memory: '2Gi', storage: '10Gi' }], mmap: 'disabled' }, ctx).toJson().find((o: any) => o.kind === 'Elasticsearch');
    expect(es.spec.nodeSets[0].count).toBe(1);
    expect(es.spec.nodeSets[0].zoneAwareness).toBeUndefined();
  });

  test('a node set without data or master nodes', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'masters', count: 3, roles: ['master'] }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets must have at least one master-eligible and one data node (got ["masters"]); give a node set the 'master' and 'data' roles`,
    );
  });

  test('a node count that is not a whole number >= 1', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'default', count: 3 }, { name: 'data', count: 0, roles: ['data'] }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets[1].count must be a whole number >= 1 (got 0); run at least one node per set, or remove the set`,
    );
  });

  test('a heap over half the memory limit', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'default', count: 3, memory: '4Gi', heap: '3Gi' }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets[0].heap must be at most half the memory limit 4Gi (the rest is the filesystem cache Elasticsearch relies on) (got "3Gi"); lower heap, raise memory, or leave heap out for Elasticsearch to size it`,
    );
  });

  test('a heap over the compressed-oops limit', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'default', count: 3, memory: '64Gi', heap: '32Gi' }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets[0].heap must be at most 31Gi, the compressed-oops limit (a larger heap holds fewer objects) (got "32Gi"); keep heap at or below 31Gi and add nodes instead`,
    );
  });

  test('a node set pinned to a zone the cluster does not have', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'default', count: 3, zones: ['eu-west-1a', 'us-east-1a'] }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets[0].zones must be zones of the cluster [eu-west-1a, eu-west-1b, eu-west-1c] (got ["us-east-1a"]); name zones the cluster has, or leave zones out to use all of them`,
    );
  });

  test('a memory value that is not a quantity, naming the field', () => {
    expect(() => loggingChart({ nodeSets: [{ name: 'default', count: 3, memory: 'lots' }] })).toThrow(
      `${PATH}/elasticsearch: nodeSets[0].memory: Quantity: value is not a Kubernetes quantity (got "lots")`,
    );
  });

  test('replicas in a template at or above the data-node count', () => {
    expect(() => loggingChart({ retention: { containers: { days: 7, replicas: 3 } } })).toThrow(
      `${PATH}: retention.containers.replicas must be a whole number below the data-node count 3 (a replica never shares a node with its primary, so more stay unassigned and the cluster stays yellow) (got 3); set replicas to at most 2, or add data nodes`,
    );
  });

  test('a retention of zero days or less', () => {
    expect(() => loggingChart({ retention: { audit: { days: 0 } } })).toThrow(
      `${PATH}: retention.audit.days must be a whole number of days > 0 (got 0); keep the indices for at least one day`,
    );
  });

  test('zero shards', () => {
    expect(() => loggingChart({ retention: { events: { days: 7, shards: 0 } } })).toThrow(
      `${PATH}: retention.events.shards must be a whole number >= 1 (got 0); use 1 shard per daily index unless a day holds more than ~50 GB`,
    );
  });

  test('Kibana without an edge or an identity provider', () => {
    expect(() => loggingChart({}, testAddonContext({ gateway: EDGE_AND_IDENTITY.gateway }))).toThrow(
      `${PATH}: kibana needs the edge addon (its Gateway) and the identity addon (its OIDC issuer): Kibana is served only at the edge, behind sign-in (got "no identity provider"); run the edge and identity addons on this cluster, or set kibana: false`,
    );
    expect(() => loggingChart({}, testAddonContext())).toThrow(/kibana needs the edge addon .* \(got "no gateway"\)/);
  });

  test('a loss budget with no rate or too short an outage', () => {
    const scope = new Chart(new App({ outdir: 'dist' }), 'c');
    expect(() => lossBudget(scope, 'lossBudget.containers', { ingestRate: 0 }, '200k')).toThrow(
      "c: lossBudget.containers.ingestRate must be at least 1 byte per second (got \"0\"); state the busiest rate one node writes, e.g. '200k'",
    );
    expect(() => lossBudget(scope, 'lossBudget.containers', { outage: '30s' }, '200k')).toThrow(
      "c: lossBudget.containers.outage must be at least 1m (got \"30s\"); state the Elasticsearch outage to survive, e.g. '15m'",
    );
  });
});
