import { App, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Environment } from '../../lib';

/** GIVEN helper: an App with a `prod` Environment and a Chart in namespace `shop`. */
export function tree(): { app: App; env: Environment; chart: Chart } {
  const app = new App({ outdir: 'dist' });
  const env = new Environment(app, 'prod', { name: 'prod', environments: ['prod'] });
  const chart = new Chart(env, 'services', { namespace: 'shop', disableResourceNameHashes: true });
  return { app, env, chart };
}

const q = (text: string) => k8s.Quantity.fromString(text);

/** A pod spec that passes every pod rule: the starting point each test breaks in one way. */
export function goodPod(): any {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{
      name: 'app',
      image: 'registry.example.com/shop/app:1.0.0',
      ports: [{ name: 'http', containerPort: 8080 }],
      readinessProbe: { httpGet: { path: '/ready', port: 'http' } },
      resources: { requests: { cpu: q('100m'), memory: q('128Mi') }, limits: { cpu: q('200m'), memory: q('128Mi') } },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
    }],
  };
}

/** A Deployment named `name` under its own construct (`services/<name>/deployment`), its pod spec changed by `change`. */
export function deployment(scope: Construct, name: string, change: (pod: any) => void = () => undefined, replicas = 1): { owner: Construct; object: k8s.KubeDeployment } {
  const owner = new Construct(scope, name);
  const pod = goodPod();
  change(pod);
  const labels = { 'app.kubernetes.io/name': name };
  const object = new k8s.KubeDeployment(owner, 'deployment', {
    metadata: { name },
    spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: pod } },
  });
  return { owner, object };
}
