import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { replicaPlan, resolveShutdown, type AutoscalingProps, type AvailabilityProps } from './availability';
import { addDeployments, type MemoryStaggerProps } from './deployment-set';
import { overrideFor, withContainerOverrides, type ContainerOverrides } from './overrides';
import { addScrapePolicy, resolveScrape, scrapeMetadata, type MetricsProps, type ScrapeDeclaration } from './scrape';
import { Workload, type WorkloadProps } from './workload';
import { checkProps } from '../core/props-check';

/** What may differ per environment. */
export interface WorkerOverrides extends ContainerOverrides {
  readonly replicas?: number;
  readonly autoscaling?: AutoscalingProps;
}

/** Props of a {@link Worker}. */
export interface WorkerProps extends WorkloadProps, AvailabilityProps {
  /** Pod replicas (not with `autoscaling`). @default 2 */
  readonly replicas?: number;
  /** Prometheus scraping: the worker gets a headless `<name>-metrics` Service for it. @default - not scraped */
  readonly metrics?: MetricsProps;
  /** Split into Deployments with stepped memory limits. @default - one Deployment */
  readonly memoryStagger?: MemoryStaggerProps;
  /** Per-environment changes, keyed by environment name. @default {} */
  readonly overrides?: Readonly<Record<string, WorkerOverrides>>;
}

/**
 * A long-running process that serves no requests (a queue consumer): a Deployment and no
 * Service. It has no default probes, since nothing generic tells a worker's health: give it a
 * `liveness` (an exec or a health port) that reflects its own.
 */
export class Worker extends Workload {
  /** The Deployments: one, or one per memory variant. */
  public readonly deployments: readonly k8s.KubeDeployment[];
  /** How Prometheus scrapes it, if declared. */
  public readonly scrape: ScrapeDeclaration | undefined;

  public constructor(scope: Construct, id: string, props: WorkerProps) {
    super(scope, id, props.namespace, props.serviceAccountName);
    props = checkProps(this, Worker, props);
    const o = overrideFor(this, props.overrides);
    const effective = withContainerOverrides(props, o);
    const plan = replicaPlan(this, o.replicas ?? (o.autoscaling === undefined ? props.replicas : undefined), o.autoscaling ?? props.autoscaling, 2);
    const shutdown = resolveShutdown(this, props.shutdown, '0s');
    this.scrape = resolveScrape(this, props.metrics, props.ports ?? []);
    const pod = this.buildPod(effective, {
      component: 'worker',
      ...(shutdown.lifecycle === undefined ? {} : { lifecycle: shutdown.lifecycle }),
      terminationGracePeriodSeconds: shutdown.gracePeriodSeconds,
    });
    const metadata = this.metadata('worker', pod.image, props.partOf);
    this.deployments = addDeployments(this, {
      ...props, name: this.name, metadata, selector: this.selector, template: pod.template, mainResources: pod.mainResources, plan,
    }).map((v) => v.deployment);
    this.addControllers(...this.deployments);
    if (this.scrape !== undefined) {
      addScrapePolicy(this, this.name, this.namespace, this.selector, this.scrape);
      const scrape = scrapeMetadata(this.scrape);
      new k8s.KubeService(this, 'metrics', {
        metadata: { ...metadata, name: `${this.name}-metrics`, labels: { ...metadata.labels, ...scrape.labels }, annotations: scrape.annotations },
        spec: {
          clusterIp: 'None',
          selector: this.selector,
          ports: [{ name: this.scrape.portName, port: this.scrape.port, targetPort: k8s.IntOrString.fromString(this.scrape.portName) }],
        },
      });
    }
  }
}
