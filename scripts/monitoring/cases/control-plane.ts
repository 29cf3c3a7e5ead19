import { s, type RuleCases, type Series } from './types';

const API = 'job="apiserver"';

/** Read requests answered fast enough, half of them failing with `errors` (5xx) against as many successes. */
function apiRequests(errors: string): Series[] {
  const sli = (scope: string, le: string, v: string) => s(`apiserver_request_sli_duration_seconds_bucket{${API},verb="GET",scope="${scope}",le="${le}"}`, v);
  return [
    s(`apiserver_request_total{${API},verb="GET",code="500"}`, errors), s(`apiserver_request_total{${API},verb="GET",code="200"}`, '0+10x70'),
    s(`apiserver_request_sli_duration_seconds_count{${API},verb="GET",scope="resource"}`, '0+10x70'),
    sli('resource', '1', '0+10x70'), sli('namespace', '5', '0x70'), sli('cluster', '30', '0x70'),
  ];
}

/** Client certificates presented to the API server, `soon` of them expiring within the hour (a share of 1%+ puts the 1st percentile there). */
function clientCertificates(soon: string): Series[] {
  const b = (le: string, v: string) => s(`apiserver_client_certificate_expiration_seconds_bucket{${API},instance="10.0.1.10:443",le="${le}"}`, v);
  return [
    b('3600', soon), b('86400', soon), b('604800', soon), b('2592000', soon), b('+Inf', '0+10x40'),
    s(`apiserver_client_certificate_expiration_seconds_count{${API},instance="10.0.1.10:443"}`, '0+10x40'),
  ];
}

const burn = (severity: string, long: string, short: string) => ({ severity, long, short });

/** The API server, scheduler, controller-manager and etcd. */
export function controlPlaneCases(): RuleCases {
  const down = (job: string) => ({
    fires: { series: [s('up{job="kubelet",instance="node-a"}', '1x40')], alerts: [{ job }] },
    // Present but down is KubeAPIInstanceUnreachable's / TargetDown's to tell, as in the mixin.
    quiet: { series: [s(`up{job="${job}",instance="10.0.1.10:443"}`, '0x40')], alerts: [] },
  });
  return {
    KubeAPIErrorBudgetBurn: {
      // Half the reads fail: every window burns at 50x; the tiers fire once held for 2m, 15m and 1h.
      fires: { series: apiRequests('0+10x70'), at: '65m', alerts: [burn('critical', '1h', '5m'), burn('critical', '6h', '30m'), burn('warning', '1d', '2h')] },
      quiet: { series: apiRequests('0x70'), at: '65m', alerts: [] },
      unshown: [{ tier: burn('warning', '3d', '6h'), reason: "held for 3h, beyond the 65m the test window keeps off range boundaries; its expression is the 1d tier's over the 3d and 6h recordings" }],
    },
    KubeClientCertificateExpiration: {
      fires: { series: clientCertificates('0+1x40'), alerts: [{ job: 'apiserver', instance: '10.0.1.10:443', severity: 'warning' }, { job: 'apiserver', instance: '10.0.1.10:443', severity: 'critical' }] },
      quiet: { series: clientCertificates('0x40'), alerts: [] },
    },
    KubeAPIDown: down('apiserver'),
    KubeAPIInstanceUnreachable: {
      fires: { series: [s(`up{${API},instance="10.0.1.10:443"}`, '0x40')], alerts: [{ job: 'apiserver', instance: '10.0.1.10:443' }] },
      quiet: { series: [s(`up{${API},instance="10.0.1.10:443"}`, '1x40')], alerts: [] },
    },
    KubeSchedulerDown: down('kube-scheduler'),
    KubeControllerManagerDown: down('kube-controller-manager'),
    EtcdInsufficientMembers: {
      fires: { series: etcdUp('1x40', '0x40', '0x40'), at: '10m', alerts: [{ job: 'etcd-main' }] },
      quiet: { series: etcdUp('1x40', '1x40', '0x40'), at: '10m', alerts: [] },
    },
    EtcdNoLeader: {
      fires: { series: [s('etcd_server_has_leader{job="etcd-main",instance="10.0.1.10:8081"}', '0x40')], at: '10m', alerts: [{ job: 'etcd-main', instance: '10.0.1.10:8081' }] },
      quiet: { series: [s('etcd_server_has_leader{job="etcd-main",instance="10.0.1.10:8081"}', '1x40')], at: '10m', alerts: [] },
    },
    EtcdHighNumberOfLeaderChanges: {
      fires: { series: [s('etcd_server_leader_changes_seen_total{job="etcd-events",instance="10.0.1.10:8082"}', '0+1x40')], alerts: [{ job: 'etcd-events', instance: '10.0.1.10:8082' }] },
      quiet: { series: [s('etcd_server_leader_changes_seen_total{job="etcd-events",instance="10.0.1.10:8082"}', '0x40')], alerts: [] },
    },
  };
}

function etcdUp(a: string, b: string, c: string): Series[] {
  return [a, b, c].map((v, i) => s(`up{job="etcd-main",instance="10.0.${i}.10:8081"}`, v));
}
