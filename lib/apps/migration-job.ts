import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Duration, Platform, PlatformError, contentHash, parseAt, type DurationLike } from '../core';
import { Workload, type WorkloadProps } from './workload';
import { checkProps } from '../core/props-check';

/** The annotation that says which workload must wait for a Job to complete. */
export const RUN_BEFORE_ANNOTATION = `${Platform.labelPrefix}/run-before`;

/** Props of a {@link MigrationJob}. */
export interface MigrationJobProps extends WorkloadProps {
  /** The workload that must not roll until this Job completed (`api`). */
  readonly before: Workload;
  /** A run still going after this long is stopped and fails. @default '15m' */
  readonly activeDeadline?: DurationLike;
  /** Retries of a failed run. @default 0: a half-run migration needs a person, not a retry */
  readonly backoffLimit?: number;
}

/**
 * A Job that runs once per release: its name carries a hash of the image, command and config,
 * so a new release is a new Job and re-applying the same release changes nothing. It declares
 * (annotation `<prefix>/run-before: <Kind>/<namespace>/<name>`) that it must complete before the
 * named workload rolls; the Pulumi deployment orders them so, and in `dist/` the annotation
 * documents the order for whoever applies the files.
 */
export class MigrationJob extends Workload {
  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** The Job's name, with the release hash. */
  public readonly jobName: string;

  public constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id, props.namespace, props.serviceAccountName);
    checkProps(this, MigrationJob, props);
    const activeDeadline = parseAt(this, 'activeDeadline', () => Duration.of(props.activeDeadline ?? '15m')).toSeconds();
    const backoffLimit = props.backoffLimit ?? 0;
    if (!Number.isInteger(backoffLimit) || backoffLimit < 0) {
      throw PlatformError.at(this, { field: 'backoffLimit', value: backoffLimit, rule: 'must be a whole number >= 0', fix: 'use 0 or more' });
    }
    const pod = this.buildPod(props, { component: 'migration', restartPolicy: 'Never' });
    const release = contentHash({ image: pod.image.toString(), command: props.command, args: props.args, config: props.config?.data, env: props.env });
    this.jobName = `${this.name}-${release}`;
    const target = props.before;
    this.job = new k8s.KubeJob(this, 'job', {
      metadata: {
        ...this.metadata('migration', pod.image, props.partOf, this.jobName),
        annotations: { [RUN_BEFORE_ANNOTATION]: `Deployment/${target.namespace}/${target.name}` },
      },
      spec: { backoffLimit, activeDeadlineSeconds: activeDeadline, template: pod.template },
    });
  }
}
