import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Testing } from 'cdk8s';
import { stringify } from 'yaml';
import { renderAlertmanagerConfig } from '../../../lib/addons/monitoring/alertmanager-config';
import { Sli } from '../../../lib/addons/slo/sli';
import { defineSlo } from '../../../lib/addons/slo/slo-definition';
import { sloRuleGroups } from '../../../lib/addons/slo/slo-rules';

// The seam with the monitoring addon, checked by Alertmanager's own tool (Debian's amtool 0.25):
// the labels the SLO alerts carry reach the owning team's receivers through the routes
// lib/addons/monitoring/alertmanager-config.ts renders (a route per team on `team`, critical to its pager).
test("SLO page alerts go to the owning team's pager and tickets to its channel", () => {
  // GIVEN the monitoring addon's routing for two teams, shop with a pager
  const { config } = renderAlertmanagerConfig(Testing.chart(), {
    receivers: [
      { kind: 'webhook', name: 'heartbeat', url: 'https://heartbeat.example.com/ping' },
      { kind: 'webhook', name: 'platform', url: 'https://hooks.example.com/platform' },
      { kind: 'webhook', name: 'shop-alerts', url: 'https://hooks.example.com/shop' },
      { kind: 'webhook', name: 'shop-pager', url: 'https://hooks.example.com/shop-pager' },
      { kind: 'webhook', name: 'blog-alerts', url: 'https://hooks.example.com/blog' },
    ],
    defaultReceiver: 'platform',
    heartbeatReceiver: 'heartbeat',
    teams: [
      { team: 'blog', namespaces: ['blog'], receiver: 'blog-alerts' },
      { team: 'shop', namespaces: ['shop'], receiver: 'shop-alerts', criticalReceiver: 'shop-pager' },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'slo-amtool-'));
  writeFileSync(join(dir, 'alertmanager.yml'), stringify(config));
  // AND the SLO's alerts with the labels Prometheus gives them (the rule's labels and the series')
  const def = defineSlo('test/orders-api/availability', { name: 'orders-api', namespace: 'shop', metricsService: 'orders-api', scraped: true }, 'availability', {
    objective: 99.9, sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/slo',
  });
  const alerts = sloRuleGroups(def)[2]?.rules ?? [];
  // WHEN amtool routes each
  const receivers = alerts.map((a) => {
    const labels = { alertname: a.alert ?? '', namespace: 'shop', sloth_id: def.id, cluster: 'prod', ...a.labels };
    return execFileSync('amtool', ['config', 'routes', 'test', '--config.file', join(dir, 'alertmanager.yml'), ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)], { encoding: 'utf8' }).trim();
  });
  rmSync(dir, { recursive: true, force: true });
  // THEN
  expect(receivers).toEqual(['shop-pager', 'shop-alerts']);
});
