import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { mergeResources, type ResourcesProps } from './resources';
import { checkReplicas } from './web-service';
import { Workload, type WorkloadProps } from './workload';

/** What may differ per environment. */
export interface WorkerOverrides {
  readonly replicas?: number;
  /** Merged over the base field by field. */
  readonly resources?: ResourcesProps;
  /** Merged over the base key by key. */
  readonly env?: Readonly<Record<string, string>>;
}

/** Props of a {@link Worker}. */
export interface WorkerProps extends WorkloadProps {
  /** Pod replicas. @default 2 */
  readonly replicas?: number;
  /** Per-environment changes, keyed by environment name. @default {} */
  readonly overrides?: Readonly<Record<string, WorkerOverrides>>;
}

/**
 * A long-running process that serves no requests (a queue consumer): a Deployment and no
 * Service. It has no default probes, since nothing generic tells a worker's health: give it a
 * `liveness` (an exec or a health port) that reflects its own.
 */
export class Worker extends Workload {
  /** The Deployment. */
  public readonly deployment: k8s.KubeDeployment;

  public constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props.namespace);
    const o = this.environment.overrideFor(this, 'overrides', props.overrides) ?? {};
    const resources = mergeResources(props.resources, o.resources);
    const effective: WorkerProps = { ...props, env: { ...props.env, ...o.env }, ...(resources === undefined ? {} : { resources }) };
    const replicas = checkReplicas(this, o.replicas ?? props.replicas ?? 2);
    const { template, image } = this.buildPod(effective, { component: 'worker' });
    this.deployment = new k8s.KubeDeployment(this, 'deployment', {
      metadata: this.metadata('worker', image, props.partOf),
      spec: { replicas, selector: { matchLabels: this.selector }, template },
    });
  }
}
