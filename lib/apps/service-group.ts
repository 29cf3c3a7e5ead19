import type { Construct } from 'constructs';
import { PlatformChart, checkDnsLabel, pathOf } from '../core';

/**
 * A set of services synthesized together into one chart (one file): an application's web
 * service, its worker and its cron task, in one namespace.
 */
export interface ServiceGroup {
  /** The chart's id and file name (`orders` writes `orders.k8s.yaml`). */
  readonly name: string;
  /** The namespace the services run in. */
  readonly namespace: string;
  /** Creates the services in the given scope (a Chart whose namespace is `namespace`). */
  readonly define: (scope: Construct) => void;
}

/** Adds a group as its own Chart under `scope` (an Environment) and defines its services in it. */
export function addServiceGroup(scope: Construct, group: ServiceGroup): PlatformChart {
  const chart = new PlatformChart(scope, group.name, { phase: 'services', namespace: group.namespace });
  checkDnsLabel(group.name, { path: pathOf(chart), field: 'name' });
  checkDnsLabel(group.namespace, { path: pathOf(chart), field: 'namespace' });
  group.define(chart);
  return chart;
}
