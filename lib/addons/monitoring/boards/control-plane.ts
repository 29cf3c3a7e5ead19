import type { DashboardSpec } from '../dashboards';
import { SEL } from './selectors';

const p99 = (metric: string, sel: string, by = '') => `histogram_quantile(0.99, sum by (le${by}) (rate(${metric}{${sel}}[5m])))`;

/** The API server, etcd, the scheduler, the controller-manager and CoreDNS (kubernetes-mixin and etcd/CoreDNS dashboards). */
export const CONTROL_PLANE_DASHBOARDS: readonly DashboardSpec[] = [
  {
    uid: 'platform-apiserver', title: 'Kubernetes / API server', counterpart: 'apiserver.json', variables: [],
    panels: [
      {
        title: 'Error budget burn rate (99% SLO)',
        queries: [
          { expr: 'sum by (verb) (apiserver_request:burnrate1h)', legend: '{{verb}} 1h' },
          { expr: 'sum by (verb) (apiserver_request:burnrate6h)', legend: '{{verb}} 6h' },
        ],
      },
      { title: 'Requests by code', unit: 'reqps', queries: [{ expr: `sum by (code) (rate(apiserver_request_total{${SEL.api}}[5m]))`, legend: '{{code}}' }] },
      { title: 'Server errors', unit: 'percentunit', queries: [{ expr: `sum(rate(apiserver_request_total{${SEL.api},code=~"5.."}[5m])) / sum(rate(apiserver_request_total{${SEL.api}}[5m]))`, legend: '5xx' }] },
      { title: 'Request latency p99 by verb', unit: 's', queries: [{ expr: p99('apiserver_request_duration_seconds_bucket', `${SEL.api},verb!~"WATCH|CONNECT"`, ', verb'), legend: '{{verb}}' }] },
      { title: 'Work queue depth', queries: [{ expr: `sum by (name) (workqueue_depth{${SEL.api}})`, legend: '{{name}}' }] },
      { title: 'Up', queries: [{ expr: `up{${SEL.api}}`, legend: '{{instance}}' }] },
    ],
  },
  {
    uid: 'platform-etcd', title: 'etcd', counterpart: 'etcd-mixin etcd.json', variables: [],
    panels: [
      { title: 'Has a leader', queries: [{ expr: `etcd_server_has_leader{${SEL.etcd}}`, legend: '{{job}} {{instance}}' }] },
      { title: 'Leader changes', queries: [{ expr: `increase(etcd_server_leader_changes_seen_total{${SEL.etcd}}[1h])`, legend: '{{job}} {{instance}}' }] },
      { title: 'Database size', unit: 'bytes', queries: [{ expr: `etcd_mvcc_db_total_size_in_bytes{${SEL.etcd}}`, legend: '{{job}} {{instance}}' }] },
      { title: 'Failed proposals', queries: [{ expr: `rate(etcd_server_proposals_failed_total{${SEL.etcd}}[5m])`, legend: '{{job}} {{instance}}' }] },
      { title: 'WAL fsync p99', unit: 's', queries: [{ expr: p99('etcd_disk_wal_fsync_duration_seconds_bucket', SEL.etcd, ', job, instance'), legend: '{{job}} {{instance}}' }] },
      { title: 'Peer round trip p99', unit: 's', queries: [{ expr: p99('etcd_network_peer_round_trip_time_seconds_bucket', SEL.etcd, ', job, instance'), legend: '{{job}} {{instance}}' }] },
    ],
  },
  {
    uid: 'platform-scheduler', title: 'Kubernetes / Scheduler', counterpart: 'scheduler.json', variables: [],
    panels: [
      { title: 'Scheduling attempts by result', queries: [{ expr: `sum by (result) (rate(scheduler_schedule_attempts_total{${SEL.scheduler}}[5m]))`, legend: '{{result}}' }] },
      { title: 'Scheduling attempt latency p99', unit: 's', queries: [{ expr: p99('scheduler_scheduling_attempt_duration_seconds_bucket', SEL.scheduler), legend: 'p99' }] },
      { title: 'Pending pods by queue', queries: [{ expr: `sum by (queue) (scheduler_pending_pods{${SEL.scheduler}})`, legend: '{{queue}}' }] },
      { title: 'Up', queries: [{ expr: `up{${SEL.scheduler}}`, legend: '{{node}}' }] },
    ],
  },
  {
    uid: 'platform-controller-manager', title: 'Kubernetes / Controller Manager', counterpart: 'controller-manager.json', variables: [],
    panels: [
      { title: 'Work queue adds', queries: [{ expr: `sum by (name) (rate(workqueue_adds_total{${SEL.controllerManager}}[5m]))`, legend: '{{name}}' }] },
      { title: 'Work queue depth', queries: [{ expr: `sum by (name) (workqueue_depth{${SEL.controllerManager}})`, legend: '{{name}}' }] },
      { title: 'Work queue latency p99', unit: 's', queries: [{ expr: p99('workqueue_queue_duration_seconds_bucket', SEL.controllerManager, ', name'), legend: '{{name}}' }] },
      { title: 'Up', queries: [{ expr: `up{${SEL.controllerManager}}`, legend: '{{node}}' }] },
    ],
  },
  {
    uid: 'platform-coredns', title: 'CoreDNS', counterpart: 'coredns-mixin coredns.json', variables: [],
    panels: [
      { title: 'Requests by type', unit: 'reqps', queries: [{ expr: `sum by (type) (rate(coredns_dns_requests_total{${SEL.coredns}}[5m]))`, legend: '{{type}}' }] },
      { title: 'Responses by code', unit: 'reqps', queries: [{ expr: `sum by (rcode) (rate(coredns_dns_responses_total{${SEL.coredns}}[5m]))`, legend: '{{rcode}}' }] },
      { title: 'Request latency p99', unit: 's', queries: [{ expr: p99('coredns_dns_request_duration_seconds_bucket', SEL.coredns), legend: 'p99' }] },
      {
        title: 'Cache hit ratio', unit: 'percentunit',
        queries: [{ expr: `sum(rate(coredns_cache_hits_total{${SEL.coredns}}[5m])) / (sum(rate(coredns_cache_hits_total{${SEL.coredns}}[5m])) + sum(rate(coredns_cache_misses_total{${SEL.coredns}}[5m])))`, legend: 'hits' }],
      },
    ],
  },
];
