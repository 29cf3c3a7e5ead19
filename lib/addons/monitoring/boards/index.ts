import type { DashboardSpec } from '../dashboards';
import { COMPUTE_DASHBOARDS } from './compute';
import { CONTROL_PLANE_DASHBOARDS } from './control-plane';
import { MONITORING_DASHBOARDS } from './monitoring';
import { NODE_DASHBOARDS } from './nodes';
import { SERVICE_DASHBOARD } from './service';

/** Every dashboard the addon provisions, each answering the questions of its kube-prometheus counterpart. */
export const DEFAULT_DASHBOARDS: readonly DashboardSpec[] = [
  ...COMPUTE_DASHBOARDS, ...NODE_DASHBOARDS, ...CONTROL_PLANE_DASHBOARDS, ...MONITORING_DASHBOARDS, SERVICE_DASHBOARD,
];
