import { monitoring, objects } from './fixture';

describe('the monitoring namespace network policies', () => {
  test('deny by default, then allow DNS and traffic among the monitoring components', () => {
    // GIVEN / WHEN
    const o = objects(monitoring({ nodeLocalDnsAddress: '169.254.20.10' }));
    // THEN
    expect(o['NetworkPolicy/monitoring-default-deny'].spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    expect(o['NetworkPolicy/monitoring-allow-dns'].spec.egress[0].to).toContainEqual({ ipBlock: { cidr: '169.254.20.10/32' } });
    expect(o['NetworkPolicy/monitoring-allow-same-namespace'].spec).toMatchObject({ ingress: [{ from: [{ podSelector: {} }] }], egress: [{ to: [{ podSelector: {} }] }] });
  });

  test('only Prometheus reaches any address; Grafana takes requests from the Gateway\'s Envoy pods on its port', () => {
    const o = objects(monitoring());
    expect(o['NetworkPolicy/monitoring-allow-prometheus-scrapes'].spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } }, policyTypes: ['Egress'], egress: [{}],
    });
    expect(o['NetworkPolicy/monitoring-allow-grafana-ingress'].spec.ingress).toEqual([{
      from: [{
        namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
        podSelector: { matchLabels: { 'app.kubernetes.io/name': 'envoy', 'app.kubernetes.io/component': 'proxy', 'app.kubernetes.io/managed-by': 'envoy-gateway' } },
      }],
      ports: [{ protocol: 'TCP', port: 3000 }],
    }]);
  });

  test('the components that call out reach HTTPS only', () => {
    const spec = objects(monitoring())['NetworkPolicy/monitoring-allow-https-out'].spec;
    expect(spec.podSelector.matchExpressions).toEqual([{
      key: 'app.kubernetes.io/name', operator: 'In', values: ['alertmanager', 'grafana', 'kube-state-metrics', 'blackbox-exporter', 'platform-probe'],
    }]);
    expect(spec.egress).toEqual([{ ports: [{ protocol: 'TCP', port: 443 }] }]);
  });

  test('every pod that needs an allowance carries the name the policies select', () => {
    const o = objects(monitoring());
    const podNames = Object.values(o).flatMap((x: any) => {
      const template = x.kind === 'CronJob' ? x.spec.jobTemplate.spec.template : x.spec?.template;
      return template === undefined ? [] : [template.metadata.labels['app.kubernetes.io/name']];
    });
    expect(podNames).toEqual(expect.arrayContaining(['prometheus', 'grafana', 'alertmanager', 'kube-state-metrics', 'blackbox-exporter', 'platform-probe']));
  });
});
