import { ApiObject, type Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformLabels, renderApp } from '../../lib';
import { Exemption, checkPolicy, type PolicyRule } from '../../lib/policy';
import { goodPod, tree } from './fixtures';

const labels = { 'app.kubernetes.io/name': 'api' };
const podJson = (change: (pod: any) => void = () => undefined): any => {
  const pod = JSON.parse(JSON.stringify({ ...goodPod(), containers: goodPod().containers.map((c: any) => ({ ...c, resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '200m', memory: '128Mi' } } })) }));
  change(pod);
  return pod;
};
const deploymentJson = (change?: (pod: any) => void, annotations?: Record<string, string>) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api' },
  spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels, ...(annotations === undefined ? {} : { annotations }) }, spec: podJson(change) } },
});

function rulesOf(chart: Chart, json: Record<string, unknown>): [string, string][] {
  new ApiObject(chart, 'object', json as never);
  return checkPolicy(chart.node.root).violations.map((v) => [v.rule, v.field]);
}

describe('the policy check cannot be stepped around', () => {
  test('a List wrapping a privileged pod is checked as the pod, nested Lists too', () => {
    const { chart } = tree();
    const privileged = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x', namespace: 'shop' }, spec: podJson((p) => { p.containers[0].securityContext.privileged = true; }) };
    const list = { apiVersion: 'v1', kind: 'List', metadata: { name: 'wrapper' }, items: [{ apiVersion: 'v1', kind: 'List', items: [privileged] }] };
    new ApiObject(chart, 'list', list as never);
    const violations = checkPolicy(chart.node.root).violations;
    expect(violations.map((v) => [v.object, v.rule, v.field])).toEqual([['Pod shop/x', 'privileged', 'spec.containers[0].securityContext.privileged']]);
  });

  test.each([
    ['ReplicationController', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'rc' }, spec: { template: { metadata: { labels }, spec: podJson((p) => { p.hostNetwork = true; }) } } }, 'spec.template.spec.hostNetwork'],
    ['PodTemplate', { apiVersion: 'v1', kind: 'PodTemplate', metadata: { name: 'tpl' }, template: { metadata: { labels }, spec: podJson((p) => { p.hostNetwork = true; }) } }, 'template.spec.hostNetwork'],
  ])('a %s carries a pod template and is checked', (_kind, json, field) => {
    const { chart } = tree();
    expect(rulesOf(chart, json)).toEqual([['host-network', field]]);
  });

  const c0 = 'spec.template.spec.containers[0].securityContext';
  test.each<[PolicyRule, string, (pod: any) => void]>([
    ['proc-mount', `${c0}.procMount`, (p) => { p.containers[0].securityContext.procMount = 'Unmasked'; }],
    ['selinux', `${c0}.seLinuxOptions.type`, (p) => { p.containers[0].securityContext.seLinuxOptions = { type: 'spc_t' }; }],
    ['selinux', 'spec.template.spec.securityContext.seLinuxOptions.user', (p) => { p.securityContext.seLinuxOptions = { user: 'system_u' }; }],
    ['apparmor', `${c0}.appArmorProfile.type`, (p) => { p.containers[0].securityContext.appArmorProfile = { type: 'Unconfined' }; }],
    ['sysctls', 'spec.template.spec.securityContext.sysctls[0].name', (p) => { p.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '65536' }]; }],
    ['host-process', `${c0}.windowsOptions.hostProcess`, (p) => { p.containers[0].securityContext.windowsOptions = { hostProcess: true }; }],
    ['volume-types', 'spec.template.spec.volumes[0]', (p) => { p.volumes = [{ name: 'share', nfs: { server: '10.0.0.9', path: '/' } }]; }],
  ])('Pod Security: %s is refused at %s', (rule, field, change) => {
    const { chart } = tree();
    expect(rulesOf(chart, deploymentJson(change))).toEqual([[rule, field]]);
  });

  test('the AppArmor annotation form is refused unless runtime/default or localhost', () => {
    const { chart } = tree();
    expect(rulesOf(chart, deploymentJson(undefined, { 'container.apparmor.security.beta.kubernetes.io/app': 'unconfined' })))
      .toEqual([['apparmor', 'spec.template.metadata.annotations["container.apparmor.security.beta.kubernetes.io/app"]']]);
    const other = tree();
    expect(rulesOf(other.chart, deploymentJson(undefined, { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' }))).toEqual([]);
  });

  test('what Pod Security allows passes: safe sysctls, container_t, RuntimeDefault AppArmor, the restricted volume types', () => {
    const { chart } = tree();
    expect(rulesOf(chart, deploymentJson((p) => {
      p.securityContext.sysctls = [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }];
      p.securityContext.seLinuxOptions = { type: 'container_t' };
      p.containers[0].securityContext.appArmorProfile = { type: 'RuntimeDefault' };
      p.containers[0].securityContext.procMount = 'Default';
      p.volumes = ['configMap', 'secret', 'emptyDir', 'projected', 'downwardAPI', 'persistentVolumeClaim', 'csi', 'ephemeral'].map((k, i) => ({ name: `v${i}`, [k]: {} }));
    }))).toEqual([]);
  });

  describe('kinds in a team namespace', () => {
    function teamTree(): { app: Construct; chart: Chart } {
      const t = tree();
      new k8s.KubeNamespace(t.chart, 'ns', { metadata: { name: 'shop', labels: { [PlatformLabels.team]: 'shop' } } });
      new k8s.KubeNetworkPolicy(t.chart, 'deny', { metadata: { name: 'deny' }, spec: { podSelector: {}, policyTypes: ['Ingress', 'Egress'] } });
      return { app: t.app, chart: t.chart };
    }
    test('a kind the team namespace does not hold is refused', () => {
      const { app, chart } = teamTree();
      const ds = { ...deploymentJson(), kind: 'DaemonSet' };
      new ApiObject(chart, 'ds', ds as never);
      new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
      expect(checkPolicy(app).violations.map((v) => v.message)).toEqual([
        'prod/services/ds: DaemonSet shop/api [tenant-kind] kind is not a kind a team namespace holds (got "apps/DaemonSet"); use the app constructs, or have the platform declare the kind (a custom pod-bearing kind in podTemplateKinds, another with an exemption from tenant-kind and its reason)',
        'prod/services/widget: Widget shop/w [tenant-kind] kind is not a kind a team namespace holds (got "example.com/Widget"); use the app constructs, or have the platform declare the kind (a custom pod-bearing kind in podTemplateKinds, another with an exemption from tenant-kind and its reason)',
      ]);
    });
    test('a kind declared by an exemption passes, and the app kinds pass as they are', () => {
      const { app, chart } = teamTree();
      const widget = new ApiObject(chart, 'widget', { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } });
      Exemption.add(widget, { rule: 'tenant-kind', reason: 'the team runs the widget operator' });
      new ApiObject(chart, 'api', deploymentJson() as never);
      expect(checkPolicy(app).violations).toEqual([]);
    });
  });

  test('the check reads exactly the bytes written, even when a second render differs', () => {
    // GIVEN an object that renders clean once and privileged afterwards, and a construct dependency (so cdk8s renders again)
    const { app, chart } = tree();
    class Shifty extends ApiObject {
      private renders = 0;
      public override toJson(): any {
        this.renders += 1;
        const json = super.toJson();
        if (this.renders > 1) json.spec.template.spec.containers[0].securityContext.privileged = true;
        return json;
      }
    }
    const shifty = new Shifty(chart, 'shifty', deploymentJson() as never);
    const other = new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: {} });
    shifty.node.addDependency(other);
    // WHEN
    const result = renderApp(app.node.root as never);
    // THEN the privileged render, the one that would be written, is refused
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([expect.stringContaining('Deployment shop/api [privileged] spec.template.spec.containers[0].securityContext.privileged must not be true')]);
  });

  test('without dependencies each object renders once, and the file holds what was checked', () => {
    const { app, chart } = tree();
    new ApiObject(chart, 'api', deploymentJson() as never);
    const result = renderApp(app as never);
    expect(result.problems).toEqual([]);
    expect(result.files.map((f) => f.content).join('')).toContain('allowPrivilegeEscalation: false');
  });
});
