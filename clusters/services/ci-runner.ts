import { Probe, WebService, type ServiceGroup } from '../../lib';

/** The CI coordinator the admin cluster runs for every team's pipelines. */
export const ciRunner: ServiceGroup = {
  name: 'ci',
  namespace: 'ci',
  define: (scope) => {
    new WebService(scope, 'ci-coordinator', {
      image: 'registry.example.com/platform/ci-coordinator:3.2.0',
      serviceAccountName: 'ci-runner',
      ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090 }],
      readiness: Probe.http('/api/health'),
      startup: Probe.http('/api/health', { period: '5s', failureThreshold: 30 }),
      resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '1Gi' } },
      secretEnv: { RUNNER_REGISTRATION_TOKEN: { secret: 'ci-runner', key: 'registration-token' } },
      ingress: { host: 'ci.example.com' },
    });
  },
};
