import { k8s } from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { CronTask, PlatformLabels, WebService, Worker } from '../../lib';
import { Exemption, checkPolicy, type PolicyRule } from '../../lib/policy';
import { deployment, goodPod, tree } from './fixtures';

const c0 = 'spec.template.spec.containers[0]';

/** Pod rules: each breaks the good pod in exactly one way, and names the field it reports. */
const POD_CASES: ReadonlyArray<[PolicyRule, string, (pod: any) => void]> = [
  ['run-as-non-root', `${c0}.securityContext.runAsNonRoot`, (p) => { delete p.securityContext.runAsNonRoot; }],
  ['privilege-escalation', `${c0}.securityContext.allowPrivilegeEscalation`, (p) => { p.containers[0].securityContext.allowPrivilegeEscalation = true; }],
  ['drop-capabilities', `${c0}.securityContext.capabilities.drop`, (p) => { p.containers[0].securityContext.capabilities = { drop: ['NET_RAW'] }; }],
  ['seccomp', `${c0}.securityContext.seccompProfile.type`, (p) => { delete p.securityContext.seccompProfile; }],
  ['host-network', 'spec.template.spec.hostNetwork', (p) => { p.hostNetwork = true; }],
  ['host-pid', 'spec.template.spec.hostPID', (p) => { p.hostPid = true; }],
  ['host-ipc', 'spec.template.spec.hostIPC', (p) => { p.hostIpc = true; }],
  ['host-path', 'spec.template.spec.volumes[0].hostPath', (p) => { p.volumes = [{ name: 'logs', hostPath: { path: '/var/log' } }]; }],
  ['host-ports', `${c0}.ports[0].hostPort`, (p) => { p.containers[0].ports[0].hostPort = 8080; }],
  ['privileged', `${c0}.securityContext.privileged`, (p) => { p.containers[0].securityContext.privileged = true; }],
  ['resources', `${c0}.resources`, (p) => { delete p.containers[0].resources.limits; }],
  ['image-pinned', `${c0}.image`, (p) => { p.containers[0].image = 'registry.example.com/shop/app:latest'; }],
  ['credential-env', `${c0}.env[0].value`, (p) => { p.containers[0].env = [{ name: 'DB_PASSWORD', value: 'hunter2' }]; }],
];

describe('checkPolicy', () => {
  test('the app constructs pass the policy as they are', () => {
    // GIVEN
    const { app, chart } = tree();
    const image = 'registry.example.com/shop/orders:2.3.1';
    // WHEN
    new WebService(chart, 'api', { image, config: { data: { MODE: 'live' } }, secretEnv: { DB_PASSWORD: { secret: 'db', key: 'password' } } });
    new Worker(chart, 'worker', { image, replicas: 1 });
    new CronTask(chart, 'report', { image, schedule: '@daily' });
    // THEN
    expect(checkPolicy(app)).toEqual({ violations: [], exemptions: [] });
  });

  test.each(POD_CASES)('a pod template breaking %s is a violation at %s', (rule, field, change) => {
    // GIVEN
    const { app, chart } = tree();
    deployment(chart, 'bad', change);
    // WHEN
    const report = checkPolicy(app);
    // THEN
    expect(report.violations.map((v) => [v.rule, v.object, v.path, v.field])).toEqual([[rule, 'Deployment shop/bad', 'prod/services/bad/deployment', field]]);
  });

  test.each(POD_CASES)('an exemption from %s on the owning construct lifts it', (rule, _field, change) => {
    // GIVEN
    const { app, chart } = tree();
    const { owner } = deployment(chart, 'bad', change);
    // WHEN
    Exemption.add(owner, { rule, reason: 'the vendor image needs it' });
    const report = checkPolicy(app);
    // THEN
    expect(report.violations).toEqual([]);
    expect(report.exemptions.map((e) => e.message)).toEqual([`prod/services/bad: ${rule} exempted for Deployment shop/bad (the vendor image needs it)`]);
  });

  test('a policy violation without an exemption reads as one line: path, object, rule, field, value and fix', () => {
    // GIVEN
    const { app, chart } = tree();
    deployment(chart, 'bad', (p) => { p.containers[0].securityContext.allowPrivilegeEscalation = true; });
    // WHEN
    const [violation] = checkPolicy(app).violations;
    // THEN
    expect(violation?.message).toBe(
      'prod/services/bad/deployment: Deployment shop/bad [privilege-escalation] spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation must be false (got true); set allowPrivilegeEscalation: false',
    );
  });

  test('an image tagged latest is reported with the image', () => {
    const { app, chart } = tree();
    deployment(chart, 'bad', (p) => { p.containers[0].image = 'nginx'; });
    expect(checkPolicy(app).violations.map((v) => v.message)).toEqual([
      'prod/services/bad/deployment: Deployment shop/bad [image-pinned] spec.template.spec.containers[0].image must be pinned by a tag other than latest or by a digest (got "nginx"); pin a version tag (:1.4.2) or a digest (@sha256:...) so every node runs the same image',
    ]);
  });

  test('a literal credential is reported by name, never by value', () => {
    const { app, chart } = tree();
    deployment(chart, 'bad', (p) => { p.containers[0].env = [{ name: 'API_TOKEN', value: 's3cr3t' }]; });
    const [violation] = checkPolicy(app).violations;
    expect(violation?.message).toBe(
      'prod/services/bad/deployment: Deployment shop/bad [credential-env] spec.template.spec.containers[0].env[0].value must not give API_TOKEN, which looks like a credential, a literal value; store it in a Secret and reference it with valueFrom.secretKeyRef',
    );
    expect(violation?.message).not.toContain('s3cr3t');
  });

  test('init containers and CronJob pod templates are checked too', () => {
    // GIVEN
    const { app, chart } = tree();
    const pod = goodPod();
    pod.restartPolicy = 'Never';
    pod.initContainers = [{ ...pod.containers[0], name: 'migrate', securityContext: { capabilities: { drop: ['ALL'] } } }];
    // WHEN
    new k8s.KubeCronJob(chart, 'job', { metadata: { name: 'job' }, spec: { schedule: '@daily', concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template: { spec: pod } } } } });
    // THEN
    expect(checkPolicy(app).violations.map((v) => [v.rule, v.field])).toEqual([
      ['privilege-escalation', 'spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.allowPrivilegeEscalation'],
    ]);
  });

  describe('object rules', () => {
    function secret(scope: Construct): void {
      new k8s.KubeSecret(scope, 'secret', { metadata: { name: 'db' }, stringData: { password: 'hunter2' } });
    }
    function loadBalancer(scope: Construct): void {
      new k8s.KubeService(scope, 'service', { metadata: { name: 'edge' }, spec: { type: 'LoadBalancer', ports: [{ port: 443 }] } });
    }
    function cronJob(scope: Construct): void {
      const pod = { ...goodPod(), restartPolicy: 'Never' };
      new k8s.KubeCronJob(scope, 'cronjob', { metadata: { name: 'report' }, spec: { schedule: '@daily', jobTemplate: { spec: { template: { spec: pod } } } } });
    }
    function unbudgeted(scope: Construct): void {
      deployment(scope, 'api', undefined, 2);
    }
    function unready(scope: Construct): void {
      deployment(scope, 'api', (p) => { delete p.containers[0].readinessProbe; });
      new k8s.KubeService(scope, 'service', { metadata: { name: 'api' }, spec: { selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 80, targetPort: k8s.IntOrString.fromString('http') }] } });
    }
    function teamNamespace(scope: Construct): void {
      new k8s.KubeNamespace(scope, 'namespace', { metadata: { name: 'payments', labels: { [PlatformLabels.team]: 'payments' } } });
      new k8s.KubeNetworkPolicy(scope, 'deny-in', { metadata: { name: 'deny-in', namespace: 'payments' }, spec: { podSelector: {}, policyTypes: ['Ingress'] } });
    }
    const CASES: ReadonlyArray<[PolicyRule, (scope: Construct) => void, string]> = [
      ['secret-data', secret, 'prod/services/case/secret: Secret shop/db [secret-data] stringData must not hold values in a synthesized manifest; let the deploy step create the Secret (from the CI secret store) and reference it by name'],
      ['load-balancer', loadBalancer, 'prod/services/case/service: Service shop/edge [load-balancer] spec.type must not be LoadBalancer (each one is a cloud load balancer open to the network) (got "LoadBalancer"); route through the ingress controller with an Ingress, or exempt it with the reason'],
      ['cronjob-concurrency', cronJob, 'prod/services/case/cronjob: CronJob shop/report [cronjob-concurrency] spec.concurrencyPolicy must not be Allow (slow runs pile up) (got "Allow"); set concurrencyPolicy \'Forbid\' (or \'Replace\')'],
      ['pdb', unbudgeted, "prod/services/case/api/deployment: Deployment shop/api [pdb] spec.replicas needs a PodDisruptionBudget selecting the pods when replicas >= 2 (got 2); add a PodDisruptionBudget (maxUnavailable: 1) over the Deployment's pod labels, so node drains keep the service up"],
      ['readiness-probe', unready, 'prod/services/case/api/deployment: Deployment shop/api [readiness-probe] spec.template.spec.containers[0].readinessProbe must be set: the container serves port http of Service shop/api; give the container a readiness probe, so the Service sends traffic only to pods that are ready'],
      ['default-deny', teamNamespace, 'prod/services/case/namespace: Namespace payments [default-deny] metadata.name must have a default-deny NetworkPolicy for Egress (team payments); declare the namespace through a Team, which writes the default-deny policies, or add a policy with an empty podSelector and no rules'],
    ];

    test.each(CASES)('%s fires with its exact message', (_rule, build, message) => {
      // GIVEN
      const { app, chart } = tree();
      build(new Construct(chart, 'case'));
      // WHEN
      const report = checkPolicy(app);
      // THEN
      expect(report.violations.map((v) => v.message)).toEqual([message]);
    });

    test.each(CASES)('an exemption from %s lifts it and is listed in force', (rule, build) => {
      // GIVEN
      const { app, chart } = tree();
      const scope = new Construct(chart, 'case');
      build(scope);
      // WHEN
      Exemption.add(scope, { rule, reason: 'accepted by infra review' });
      const report = checkPolicy(app);
      // THEN
      expect(report.violations).toEqual([]);
      expect(report.exemptions.map((e) => [e.rule, e.path, e.reason])).toEqual([[rule, 'prod/services/case', 'accepted by infra review']]);
    });
  });

  test('a Deployment with a PodDisruptionBudget over its pods passes the pdb rule', () => {
    const { app, chart } = tree();
    deployment(chart, 'api', undefined, 3);
    new k8s.KubePodDisruptionBudget(chart, 'pdb', { metadata: { name: 'api' }, spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: { 'app.kubernetes.io/name': 'api' } } } });
    expect(checkPolicy(app).violations).toEqual([]);
  });

  test('a Service in another namespace does not make a container need a readiness probe', () => {
    const { app, chart } = tree();
    deployment(chart, 'api', (p) => { delete p.containers[0].readinessProbe; });
    new k8s.KubeService(chart, 'service', { metadata: { name: 'api', namespace: 'other' }, spec: { selector: { 'app.kubernetes.io/name': 'api' }, ports: [{ port: 8080 }] } });
    expect(checkPolicy(app).violations).toEqual([]);
  });
});
