import { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { buildContainer } from '../../apps/container';
import { ImageRef, parseAt, type ImageRefLike } from '../../core';
import { addServiceAccount, componentLabels, podSecurity } from './component';
import { MONITORING_IMAGES } from './images';
import { SERVICE_ACCOUNT_DIR } from './prometheus-config';
import { checkProps } from '../../core/props-check';

/** Props of a {@link PlatformProbe}. */
export interface PlatformProbeProps {
  /** The namespace it runs in. */
  readonly namespace: string;
  /** The image: a shell with `nslookup` and `curl`. @default MONITORING_IMAGES.probe */
  readonly image?: ImageRefLike;
  /** The name it resolves. @default 'kubernetes.default.svc.cluster.local' */
  readonly resolve?: string;
  /** The registry pull secret the ServiceAccount names. @default - none */
  readonly imagePullSecret?: string;
}

/** The name of the probe's CronJob; the alert rules read its last successful run from kube-state-metrics. */
export const PLATFORM_PROBE_NAME = 'platform-probe';

/**
 * A functional probe of the platform: a CronJob every minute whose pod must be scheduled,
 * resolve a cluster name and get `ok` from the API server's `/readyz`. kube-state-metrics
 * reports its last successful run; the probe rules alert when that goes stale or runs fail.
 */
export class PlatformProbe extends Construct {
  /** The CronJob's name. */
  public readonly name = PLATFORM_PROBE_NAME;

  public constructor(scope: Construct, id: string, props: PlatformProbeProps) {
    super(scope, id);
    props = checkProps(this, PlatformProbe, props);
    const image = parseAt(this, 'image', () => ImageRef.of(props.image ?? MONITORING_IMAGES.probe));
    const ns = props.namespace;
    const labels = componentLabels(PLATFORM_PROBE_NAME, 'probe', image);
    const resolve = props.resolve ?? 'kubernetes.default.svc.cluster.local';
    addServiceAccount(this, PLATFORM_PROBE_NAME, ns, labels, props.imagePullSecret);
    const script = [
      `nslookup ${resolve} >/dev/null`,
      `curl --fail --silent --show-error --max-time 10 --cacert ${SERVICE_ACCOUNT_DIR}/ca.crt`
        + ` --oauth2-bearer "$(cat ${SERVICE_ACCOUNT_DIR}/token)" https://kubernetes.default.svc/readyz`,
    ].join('\n');
    const main = buildContainer(this, 'probe', {
      image,
      command: ['/bin/sh', '-ec', script],
      resources: { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '100m', memory: '32Mi' } },
      writablePaths: [],
    }, { field: 'container', defaultReadiness: undefined, defaultLiveness: undefined });
    new k8s.KubeCronJob(this, 'cronjob', {
      metadata: { name: PLATFORM_PROBE_NAME, namespace: ns, labels },
      spec: {
        schedule: '* * * * *',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: 30,
        successfulJobsHistoryLimit: 1,
        failedJobsHistoryLimit: 3,
        jobTemplate: {
          metadata: { labels },
          spec: {
            backoffLimit: 0,
            activeDeadlineSeconds: 45,
            ttlSecondsAfterFinished: 600,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'Never',
                serviceAccountName: PLATFORM_PROBE_NAME,
                automountServiceAccountToken: true,
                securityContext: podSecurity(100),
                containers: [main.container],
              },
            },
          },
        },
      },
    });
  }
}
