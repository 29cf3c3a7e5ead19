import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { addHashedConfigMap } from '../../apps/config';
import { buildContainer } from '../../apps/container';
import { nonRootPodSecurity } from '../../apps/workload';
import { ImageRef, contentHash, parseAt, type ImageRefLike } from '../../core';
import { LOGGING_IMAGES } from './images';
import { WRITER_ROLE, WRITER_ROLE_BODY, type IndexLifecycle } from './index-lifecycle';
import { componentLabels } from './logging-component';

/** Props of a {@link LoggingSetup}. */
export interface LoggingSetupProps {
  readonly namespace: string;
  /** Elasticsearch's URL, its CA Secret and the `elastic` user's Secret (ECK's). */
  readonly elasticsearch: { readonly url: string; readonly caSecret: string; readonly elasticUserSecret: string };
  readonly lifecycles: readonly IndexLifecycle[];
  /** Where ECK's CA is copied for the node agent: namespace and Secret name. */
  readonly caCopy: { readonly namespace: string; readonly secret: string };
  /** The image. @default LOGGING_IMAGES.setup */
  readonly image?: ImageRefLike;
  readonly imagePullSecret?: string;
}

/** The setup's name. */
export const LOGGING_SETUP_NAME = 'logging-setup';

/** The setup script: every call is a PUT (or a server-side apply), so running it again changes nothing. */
export const SETUP_SCRIPT = `#!/bin/sh
# Waits for Elasticsearch, then PUTs the index lifecycle policies, index templates and the writer
# role, then copies ECK's HTTP CA into the node agent's namespace (server-side apply).
set -eu
es() {
  curl --silent --show-error --fail-with-body --cacert /es-ca/ca.crt \\
    --user "elastic:$ELASTIC_PASSWORD" --header 'Content-Type: application/json' "$@"
}
until es "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=30s" > /dev/null; do
  echo 'waiting for Elasticsearch'
  sleep 10
done
for file in /setup/ilm-*.json; do
  name=$(basename "$file" .json)
  es --request PUT "$ES_URL/_ilm/policy/\${name#ilm-}" --data-binary "@$file"
done
for file in /setup/template-*.json; do
  name=$(basename "$file" .json)
  es --request PUT "$ES_URL/_index_template/\${name#template-}" --data-binary "@$file"
done
es --request PUT "$ES_URL/_security/role/$WRITER_ROLE" --data-binary @/setup/role.json
sa=/var/run/secrets/kubernetes.io/serviceaccount
ca=$(base64 -w 0 /es-ca/ca.crt)
curl --silent --show-error --fail-with-body --cacert "$sa/ca.crt" \\
  --header "Authorization: Bearer $(cat "$sa/token")" \\
  --header 'Content-Type: application/apply-patch+yaml' --request PATCH \\
  "https://kubernetes.default.svc/api/v1/namespaces/$CA_NAMESPACE/secrets/$CA_COPY_NAME?fieldManager=$FIELD_MANAGER&force=true" \\
  --data-binary "{\\"apiVersion\\":\\"v1\\",\\"kind\\":\\"Secret\\",\\"metadata\\":{\\"name\\":\\"$CA_COPY_NAME\\",\\"namespace\\":\\"$CA_NAMESPACE\\"},\\"data\\":{\\"ca.crt\\":\\"$ca\\"}}"
echo 'logging setup done'
`;

/**
 * Applies the index lifecycle once Elasticsearch answers, and keeps ECK's CA in the node agent's
 * namespace: a Job named after its content (a change runs it again), and the same pod hourly as
 * a CronJob, so a rotated CA (ECK renews it a day before its year runs out) reaches the agents.
 * It uses the `elastic` user ECK creates; its only Kubernetes right is writing that one Secret.
 */
export class LoggingSetup extends Construct {
  public constructor(scope: Construct, id: string, props: LoggingSetupProps) {
    super(scope, id);
    const ns = props.namespace;
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? LOGGING_IMAGES.setup));
    const labels = componentLabels(LOGGING_SETUP_NAME, 'setup', image);
    const name = LOGGING_SETUP_NAME;
    new k8s.KubeServiceAccount(this, 'service-account', {
      metadata: { name, namespace: ns, labels },
      ...(props.imagePullSecret === undefined ? {} : { imagePullSecrets: [{ name: props.imagePullSecret }] }),
    });
    // Server-side apply creates the Secret when it is missing (create) and updates it after (patch, this name only).
    new k8s.KubeRole(this, 'role', {
      metadata: { name, namespace: props.caCopy.namespace, labels },
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: [props.caCopy.secret], verbs: ['get', 'patch'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'role-binding', {
      metadata: { name, namespace: props.caCopy.namespace, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: ns }],
    });
    const data: Record<string, string> = { 'setup.sh': SETUP_SCRIPT, 'role.json': JSON.stringify(WRITER_ROLE_BODY) };
    for (const l of props.lifecycles) {
      data[`ilm-${l.policyName}.json`] = JSON.stringify(l.policy);
      data[`template-${l.templateName}.json`] = JSON.stringify(l.template);
    }
    const configMap = addHashedConfigMap(this, 'config', name, labels, data, ns);
    const main = buildContainer(this, 'setup', {
      image,
      command: ['/bin/sh', '/setup/setup.sh'],
      env: { ES_URL: props.elasticsearch.url, WRITER_ROLE, CA_NAMESPACE: props.caCopy.namespace, CA_COPY_NAME: props.caCopy.secret, FIELD_MANAGER: name },
      secretEnv: { ELASTIC_PASSWORD: { secret: props.elasticsearch.elasticUserSecret, key: 'elastic' } },
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
      readiness: false, liveness: false,
      writablePaths: [],
    }, {
      field: 'setup', defaultReadiness: undefined, defaultLiveness: undefined,
      mounts: [{ name: 'setup', mountPath: '/setup', readOnly: true }, { name: 'es-ca', mountPath: '/es-ca', readOnly: true }],
    });
    const template: k8s.PodTemplateSpec = {
      metadata: { labels },
      spec: {
        serviceAccountName: name,
        automountServiceAccountToken: true,
        restartPolicy: 'OnFailure',
        securityContext: nonRootPodSecurity(65534),
        containers: [main.container],
        volumes: [
          { name: 'setup', configMap: { name: configMap } },
          { name: 'es-ca', secret: { secretName: props.elasticsearch.caSecret } },
        ],
      },
    };
    const jobSpec: k8s.JobSpec = { backoffLimit: 20, activeDeadlineSeconds: 3600, ttlSecondsAfterFinished: 86400, template };
    new k8s.KubeJob(this, 'job', { metadata: { name: `${name}-${contentHash(data).slice(0, 8)}`, namespace: ns, labels }, spec: jobSpec });
    new k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name, namespace: ns, labels },
      spec: {
        schedule: '17 * * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 600,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: { spec: { ...jobSpec, activeDeadlineSeconds: 1800 } },
      },
    });
  }
}
