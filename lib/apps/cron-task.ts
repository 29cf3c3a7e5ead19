import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Duration, PlatformError, parseAt, type DurationLike } from '../core';
import { parseCronSchedule } from './cron-schedule';
import { overrideFor, withContainerOverrides, type ContainerOverrides } from './overrides';
import { Workload, type WorkloadProps } from './workload';
import { checkProps } from '../core/props-check';
import { checkTimeZone } from './time-zone';

/** What may differ per environment. */
export interface CronTaskOverrides extends ContainerOverrides {
  readonly schedule?: string;
  /** Stop scheduling runs in this environment. */
  readonly suspend?: boolean;
}

/** Props of a {@link CronTask}. */
export interface CronTaskProps extends WorkloadProps {
  /** When to run: five cron fields (`'*\/15 * * * *'`) or a macro (`'@daily'`). */
  readonly schedule: string;
  /** The IANA time zone the schedule is read in. @default - the controller's zone (UTC on kops) */
  readonly timeZone?: string;
  /**
   * What to do when a run is due while the last one still runs. `Forbid` skips the new run,
   * so slow runs cannot pile up and take the cluster down.
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: 'Forbid' | 'Replace' | 'Allow';
  /** A run that could not start within this long of its time is skipped. @default 5m */
  readonly startingDeadline?: DurationLike;
  /** A run still going after this long is stopped and counts as failed. @default 1h */
  readonly activeDeadline?: DurationLike;
  /** Retries of a failed run. @default 1 */
  readonly backoffLimit?: number;
  /** Finished runs kept for inspection. @default { successful: 3, failed: 3 } */
  readonly history?: { readonly successful?: number; readonly failed?: number };
  /** Create the CronJob suspended. @default false */
  readonly suspend?: boolean;
  /** Per-environment changes, keyed by environment name. @default {} */
  readonly overrides?: Readonly<Record<string, CronTaskOverrides>>;
}

/**
 * A scheduled job (CronJob) with the limits that keep runs from piling up: no concurrent runs,
 * a starting deadline and an active deadline.
 */
export class CronTask extends Workload {
  /** The CronJob. */
  public readonly cronJob: k8s.KubeCronJob;

  public constructor(scope: Construct, id: string, props: CronTaskProps) {
    super(scope, id, props.namespace, props.serviceAccountName);
    props = checkProps(this, CronTask, props);
    if (props.timeZone !== undefined) checkTimeZone(this, 'timeZone', props.timeZone);
    const o = overrideFor(this, props.overrides);
    const schedule = parseAt(this, 'schedule', () => parseCronSchedule(o.schedule ?? props.schedule));
    const startingDeadline = parseAt(this, 'startingDeadline', () => Duration.of(props.startingDeadline ?? '5m')).toSeconds();
    const activeDeadline = parseAt(this, 'activeDeadline', () => Duration.of(props.activeDeadline ?? '1h')).toSeconds();
    for (const [field, n] of [['startingDeadline', startingDeadline], ['activeDeadline', activeDeadline]] as const) {
      if (n < 1) throw PlatformError.at(this, { field, value: `${n}s`, rule: 'must be at least 1s', fix: 'give runs a positive deadline' });
    }
    const counts = {
      backoffLimit: props.backoffLimit ?? 1,
      'history.successful': props.history?.successful ?? 3,
      'history.failed': props.history?.failed ?? 3,
    };
    for (const [field, n] of Object.entries(counts)) {
      if (!Number.isInteger(n) || n < 0) throw PlatformError.at(this, { field, value: n, rule: 'must be a whole number >= 0', fix: 'use 0 or more' });
    }
    const effective = withContainerOverrides(props, o);
    const { template, image } = this.buildPod(effective, { component: 'cron', restartPolicy: 'Never' });

    this.cronJob = new k8s.KubeCronJob(this, 'cronjob', {
      metadata: this.metadata('cron', image, props.partOf),
      spec: {
        schedule,
        ...(props.timeZone === undefined ? {} : { timeZone: props.timeZone }),
        concurrencyPolicy: props.concurrencyPolicy ?? 'Forbid',
        startingDeadlineSeconds: startingDeadline,
        successfulJobsHistoryLimit: counts['history.successful'],
        failedJobsHistoryLimit: counts['history.failed'],
        suspend: o.suspend ?? props.suspend ?? false,
        jobTemplate: {
          metadata: { labels: this.labels('cron', image, props.partOf) },
          spec: { activeDeadlineSeconds: activeDeadline, backoffLimit: counts.backoffLimit, template },
        },
      },
    });
    this.addControllers(this.cronJob);
  }
}
