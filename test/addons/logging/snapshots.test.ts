import { stringify } from 'yaml';
import type { LoggingDefinition } from '../../../lib/addons/logging';
import { testAddonContext } from '../../support/cluster-facts';
import { EDGE_AND_IDENTITY, loggingChart } from './fixture';

// The reviewer's view of the stack per kind of cluster: prod keeps longer and runs three zones;
// e2e runs one small node in one zone without mmap.
const PROD: LoggingDefinition = {
  nodeSets: [{ name: 'default', count: 3, memory: '8Gi', storage: '200Gi' }],
  retention: { containers: { days: 30 }, events: { days: 30 }, audit: { days: 365 } },
};
const E2E: LoggingDefinition = {
  nodeSets: [{ name: 'default', count: 1, memory: '2Gi', storage: '10Gi' }],
  mmap: 'disabled',
  retention: { containers: { days: 2 }, events: { days: 2 }, audit: { days: 2 } },
  lossBudget: { containers: { ingestRate: '50k', outage: '15m' } },
};

describe('the logging stack per cluster', () => {
  test('prod: three zone-aware nodes, a year of audit', () => {
    expect(stringify(loggingChart(PROD).toJson(), { lineWidth: 0 })).toMatchSnapshot();
  });

  test('e2e: one small node in one zone, mmap off, two days kept', () => {
    const ctx = testAddonContext(EDGE_AND_IDENTITY, { zones: ['eu-west-1a'], nodeGroups: [{ name: 'nodes', zones: ['eu-west-1a'], labels: {}, taints: [] }] });
    expect(stringify(loggingChart(E2E, ctx).toJson(), { lineWidth: 0 })).toMatchSnapshot();
  });
});
