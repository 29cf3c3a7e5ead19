import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Duration, PlatformError, parseAt, type DurationLike } from '../core';

/** A HorizontalPodAutoscaler for the service: it owns the replica count. */
export interface AutoscalingProps {
  /** The fewest pods. */
  readonly minReplicas: number;
  /** The most pods. */
  readonly maxReplicas: number;
  /** Target average CPU use, in percent of the request. @default 70 */
  readonly cpuUtilization?: number;
  /** Target average memory use, in percent of the request. @default - not a target */
  readonly memoryUtilization?: number;
}

/** How a new release replaces the pods. */
export interface RolloutProps {
  /** Extra pods allowed during a rollout (a count or a percentage). @default '25%' */
  readonly maxSurge?: number | string;
  /** Pods allowed to be unavailable during a rollout. @default 0 */
  readonly maxUnavailable?: number | string;
}

/** How a pod stops (field-notes: the balancer may still send requests while a pod stops). */
export interface ShutdownProps {
  /**
   * Wait this long before the process gets SIGTERM, so endpoints and balancers stop sending it
   * requests first (a `sleep` in the preStop hook: the image needs a `sleep` binary; set `'0s'`
   * for images without one). @default '5s' for a WebService, '0s' otherwise
   */
  readonly preStopDelay?: DurationLike;
  /** Time from the start of shutdown to SIGKILL; must exceed the preStop delay. @default '30s' */
  readonly gracePeriod?: DurationLike;
}

/** Availability settings shared by the Deployment-based constructs. */
export interface AvailabilityProps {
  /** Scale with an HPA instead of a fixed count (then `replicas` must not be set). @default - a fixed count */
  readonly autoscaling?: AutoscalingProps;
  /**
   * A PodDisruptionBudget allowing one pod down at a time. On by default when the service runs
   * 2 or more pods (the HPA's minimum, when autoscaled); `true` with fewer is refused.
   * @default - on when replicas >= 2
   */
  readonly pdb?: boolean;
  /** Spread pods across zones and nodes. @default true */
  readonly spread?: boolean;
  /** Rolling update limits. @default { maxSurge: '25%', maxUnavailable: 0 } */
  readonly rollout?: RolloutProps;
  /** Graceful shutdown. @default - see ShutdownProps */
  readonly shutdown?: ShutdownProps;
}

/** Checks a replica count. */
export function checkReplicas(scope: Construct, replicas: number, field = 'replicas'): number {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw PlatformError.at(scope, { field, value: replicas, rule: 'must be a whole number >= 0', fix: 'set the number of pods to run' });
  }
  return replicas;
}

/** The replica plan: a fixed count, or the HPA's range. */
export type ReplicaPlan =
  | { readonly kind: 'fixed'; readonly replicas: number }
  | { readonly kind: 'autoscaled'; readonly min: number; readonly max: number; readonly cpu: number; readonly memory: number | undefined };

/** Decides between a fixed count and an HPA, refusing both at once and a min above the max. */
export function replicaPlan(scope: Construct, replicas: number | undefined, autoscaling: AutoscalingProps | undefined, fallback: number): ReplicaPlan {
  if (autoscaling === undefined) return { kind: 'fixed', replicas: checkReplicas(scope, replicas ?? fallback) };
  if (replicas !== undefined) {
    throw PlatformError.at(scope, {
      field: 'replicas', value: replicas, rule: 'is set together with autoscaling',
      fix: 'drop replicas: the HorizontalPodAutoscaler owns the count between minReplicas and maxReplicas',
    });
  }
  const min = checkReplicas(scope, autoscaling.minReplicas, 'autoscaling.minReplicas');
  const max = checkReplicas(scope, autoscaling.maxReplicas, 'autoscaling.maxReplicas');
  if (min < 1) throw PlatformError.at(scope, { field: 'autoscaling.minReplicas', value: min, rule: 'must be >= 1', fix: 'keep at least one pod' });
  if (min > max) {
    throw PlatformError.at(scope, {
      field: 'autoscaling.minReplicas', value: min, rule: `must be <= autoscaling.maxReplicas (${max})`, fix: 'raise maxReplicas or lower minReplicas',
    });
  }
  const percent = (field: string, v: number | undefined): number | undefined => {
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 100)) {
      throw PlatformError.at(scope, { field, value: v, rule: 'must be a whole percentage from 1 to 100', fix: 'use a target such as 70' });
    }
    return v;
  };
  return {
    kind: 'autoscaled', min, max,
    cpu: percent('autoscaling.cpuUtilization', autoscaling.cpuUtilization) ?? 70,
    memory: percent('autoscaling.memoryUtilization', autoscaling.memoryUtilization),
  };
}

/** The fewest pods the plan runs: what decides whether a PDB makes sense. */
export function minimumPods(plan: ReplicaPlan): number {
  return plan.kind === 'fixed' ? plan.replicas : plan.min;
}

/** Whether to make a PDB; refuses an explicit one that would block every eviction. */
export function wantsPdb(scope: Construct, pdb: boolean | undefined, plan: ReplicaPlan): boolean {
  const pods = minimumPods(plan);
  if (pdb === true && pods < 2) {
    throw PlatformError.at(scope, {
      field: 'replicas', value: pods, rule: 'must be >= 2 when a PodDisruptionBudget is enabled',
      fix: 'raise replicas (or autoscaling.minReplicas) or set pdb: false',
    });
  }
  return pdb ?? pods >= 2;
}

/** A PodDisruptionBudget that lets one pod of the selection go at a time. */
export function addPdb(scope: Construct, metadata: k8s.ObjectMeta, selector: Record<string, string>): k8s.KubePodDisruptionBudget {
  return new k8s.KubePodDisruptionBudget(scope, 'pdb', {
    metadata,
    spec: { maxUnavailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
}

/** An autoscaling/v2 HPA on one Deployment. */
export function addHpa(scope: Construct, id: string, metadata: k8s.ObjectMeta, deployment: string, plan: Extract<ReplicaPlan, { kind: 'autoscaled' }>): k8s.KubeHorizontalPodAutoscalerV2 {
  const target = (name: string, averageUtilization: number): k8s.MetricSpecV2 => ({
    type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } },
  });
  return new k8s.KubeHorizontalPodAutoscalerV2(scope, id, {
    metadata,
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: deployment },
      minReplicas: plan.min,
      maxReplicas: plan.max,
      metrics: [target('cpu', plan.cpu), ...(plan.memory === undefined ? [] : [target('memory', plan.memory)])],
    },
  });
}

const intOrString = (v: number | string) => (typeof v === 'number' ? k8s.IntOrString.fromNumber(v) : k8s.IntOrString.fromString(v));

/** The RollingUpdate strategy. */
export function rolloutStrategy(rollout: RolloutProps | undefined): k8s.DeploymentStrategy {
  return {
    type: 'RollingUpdate',
    rollingUpdate: { maxSurge: intOrString(rollout?.maxSurge ?? '25%'), maxUnavailable: intOrString(rollout?.maxUnavailable ?? 0) },
  };
}

/** Spread constraints over zones and nodes; `ScheduleAnyway`, so losing a zone never leaves pods pending. */
export function spreadConstraints(selector: Record<string, string>): k8s.TopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: selector },
  }));
}

/** The resolved shutdown: the preStop hook (if any) and the grace period in seconds. */
export function resolveShutdown(scope: Construct, shutdown: ShutdownProps | undefined, defaultDelay: string): { lifecycle: k8s.Lifecycle | undefined; gracePeriodSeconds: number } {
  const delay = parseAt(scope, 'shutdown.preStopDelay', () => Duration.of(shutdown?.preStopDelay ?? defaultDelay)).toSeconds();
  const grace = parseAt(scope, 'shutdown.gracePeriod', () => Duration.of(shutdown?.gracePeriod ?? '30s')).toSeconds();
  if (grace <= delay) {
    throw PlatformError.at(scope, {
      field: 'shutdown.gracePeriod', value: `${grace}s`, rule: `must be longer than shutdown.preStopDelay (${delay}s)`,
      fix: 'leave the process time to finish after the delay: raise gracePeriod or lower preStopDelay',
    });
  }
  return {
    lifecycle: delay === 0 ? undefined : { preStop: { exec: { command: ['sleep', String(delay)] } } },
    gracePeriodSeconds: grace,
  };
}
