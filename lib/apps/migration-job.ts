import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Duration, Platform, PlatformError, contentHash, parseAt, type DurationLike } from '../core';
import { Workload, type WorkloadProps } from './workload';
import { checkProps } from '../core/props-check';

/**
 * The annotation that says which objects must wait for a Job to complete: their keys
 * `<Kind>/<namespace>/<name>`, comma-separated (a staggered service has one Deployment per variant).
 */
export const RUN_BEFORE_ANNOTATION = `${Platform.labelPrefix}/run-before`;

/** The keys an ordering annotation's value names (see {@link RUN_BEFORE_ANNOTATION}). */
export function runBeforeTargets(value: string): string[] {
  return value.split(',').map((k) => k.trim()).filter((k) => k !== '');
}

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
 * (annotation `<prefix>/run-before: <Kind>/<namespace>/<name>[,...]`) that it must complete before
 * the workload's controllers roll — its Deployment, each Deployment of a memory-staggered service,
 * or its StatefulSet; the Pulumi deployment orders them so, and in `dist/` the annotation
 * documents the order for whoever applies the files.
 */
export class MigrationJob extends Workload {
  /** The Job. */
  public readonly job: k8s.KubeJob;
  /** The Job's name, with the release hash. */
  public readonly jobName: string;

  public constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id, props.namespace, props.serviceAccountName);
    props = checkProps(this, MigrationJob, props);
    const activeDeadline = parseAt(this, 'activeDeadline', () => Duration.of(props.activeDeadline ?? '15m')).toSeconds();
    const backoffLimit = props.backoffLimit ?? 0;
    if (!Number.isInteger(backoffLimit) || backoffLimit < 0) {
      throw PlatformError.at(this, { field: 'backoffLimit', value: backoffLimit, rule: 'must be a whole number >= 0', fix: 'use 0 or more' });
    }
    const pod = this.buildPod(props, { component: 'migration', restartPolicy: 'Never' });
    const release = contentHash({ image: pod.image.toString(), command: props.command, args: props.args, config: props.config?.data, env: props.env });
    this.jobName = `${this.name}-${release}`;
    const targets = props.before.controllers;
    if (targets.length === 0) {
      throw PlatformError.at(this, {
        field: 'before', value: `${props.before.namespace}/${props.before.name}`, rule: 'names a workload that runs no pods yet',
        fix: 'pass a WebService, Worker, StatefulService or CronTask once it is constructed',
      });
    }
    this.job = new k8s.KubeJob(this, 'job', {
      metadata: {
        ...this.metadata('migration', pod.image, props.partOf, this.jobName),
        annotations: { [RUN_BEFORE_ANNOTATION]: targets.join(',') },
      },
      spec: { backoffLimit, activeDeadlineSeconds: activeDeadline, template: pod.template },
    });
    this.addControllers(this.job);
  }
}
