import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Platform, PlatformError, Quantity, parseAt, type QuantityLike } from '../core';
import { addHpa, addPdb, rolloutStrategy, spreadConstraints, wantsPdb, type AvailabilityProps, type ReplicaPlan } from './availability';
import type { Resources } from './resources';

/**
 * Splits one service into several Deployments whose memory limits step down from the declared
 * limit, behind the service's one selector, so the OOM killer does not take every replica at once.
 */
export interface MemoryStaggerProps {
  /** How many Deployments (2 or more; at most the replica count). */
  readonly variants: number;
  /** How much lower each next variant's memory limit is (`'64Mi'`). */
  readonly step: QuantityLike;
}

/** The label that tells the variants of a staggered service apart. */
export const VARIANT_LABEL = `${Platform.labelPrefix}/variant`;

/** What a set of Deployments is made from. */
export interface DeploymentSetInput extends AvailabilityProps {
  readonly name: string;
  readonly metadata: k8s.ObjectMeta;
  readonly selector: Record<string, string>;
  readonly template: k8s.PodTemplateSpec;
  readonly mainResources: Resources;
  readonly plan: ReplicaPlan;
  readonly memoryStagger?: MemoryStaggerProps;
}

/** One Deployment of the set. */
export interface DeploymentVariant {
  readonly deployment: k8s.KubeDeployment;
  readonly memoryLimit: Quantity;
}

/** Shares `total` out over `n` parts as evenly as possible, the larger parts first. */
export function shareOut(total: number, n: number): number[] {
  return Array.from({ length: n }, (_, i) => Math.floor(total / n) + (i < total % n ? 1 : 0));
}

function checkStagger(scope: Construct, stagger: MemoryStaggerProps, input: DeploymentSetInput): Quantity {
  const pods = input.plan.kind === 'fixed' ? input.plan.replicas : input.plan.min;
  if (!Number.isInteger(stagger.variants) || stagger.variants < 2) {
    throw PlatformError.at(scope, { field: 'memoryStagger.variants', value: stagger.variants, rule: 'must be a whole number >= 2', fix: 'use 2 or more variants, or drop memoryStagger' });
  }
  if (stagger.variants > pods) {
    throw PlatformError.at(scope, {
      field: 'memoryStagger.variants', value: stagger.variants, rule: `must not exceed the replicas (${pods})`,
      fix: 'use fewer variants or run more replicas: every variant needs at least one pod',
    });
  }
  const step = parseAt(scope, 'memoryStagger.step', () => Quantity.of(stagger.step));
  const { limits, requests } = input.mainResources;
  const lowest = limits.memory.toMilli() - step.toMilli() * BigInt(stagger.variants - 1);
  if (step.toMilli() === 0n || lowest <= requests.memory.toMilli()) {
    throw PlatformError.at(scope, {
      field: 'memoryStagger.step', value: step.toString(),
      rule: `makes the lowest memory limit ${lowest > 0n ? Quantity.milli(lowest).toString() : '0'} not exceed the memory request (${requests.memory}) (limit ${limits.memory}, ${stagger.variants} variants)`,
      fix: 'use a smaller positive step, fewer variants, or a higher resources.limits.memory',
    });
  }
  return step;
}

/**
 * Creates the Deployment(s) of a service with its PDB and HPA(s). A staggered service gets
 * one Deployment per variant (`<name>-m0`, `<name>-m1`, ...), its replicas (or the HPA's min and
 * max) shared out over them, one HPA per variant, and a single PDB over the service's selector,
 * so disruptions are limited across all variants together.
 */
export function addDeployments(scope: Construct, input: DeploymentSetInput): DeploymentVariant[] {
  const stagger = input.memoryStagger;
  const step = stagger === undefined ? undefined : checkStagger(scope, stagger, input);
  const variants = stagger?.variants ?? 1;
  const plan = input.plan;
  const fixedShares = plan.kind === 'fixed' ? shareOut(plan.replicas, variants) : [];
  const minShares = plan.kind === 'autoscaled' ? shareOut(plan.min, variants) : [];
  const maxShares = plan.kind === 'autoscaled' ? shareOut(plan.max, variants) : [];
  const spread = input.spread ?? true;

  const result = Array.from({ length: variants }, (_, i): DeploymentVariant => {
    const variantLabels = stagger === undefined ? {} : { [VARIANT_LABEL]: `m${i}` };
    const name = stagger === undefined ? input.name : `${input.name}-m${i}`;
    const memoryLimit = step === undefined ? input.mainResources.limits.memory : Quantity.milli(input.mainResources.limits.memory.toMilli() - step.toMilli() * BigInt(i));
    const [main, ...rest] = input.template.spec?.containers ?? [];
    const containers = main === undefined ? [] : [
      { ...main, resources: { ...main.resources, limits: { ...main.resources?.limits, memory: k8s.Quantity.fromString(memoryLimit.toString()) } } },
      ...rest,
    ];
    const podSpec = input.template.spec;
    const template: k8s.PodTemplateSpec = {
      metadata: { ...input.template.metadata, labels: { ...input.template.metadata?.labels, ...variantLabels } },
      spec: {
        ...podSpec,
        containers,
        ...(spread ? { topologySpreadConstraints: spreadConstraints(input.selector) } : {}),
      },
    };
    const metadata = { ...input.metadata, name, labels: { ...input.metadata.labels, ...variantLabels } };
    const deployment = new k8s.KubeDeployment(scope, stagger === undefined ? 'deployment' : `deployment-m${i}`, {
      metadata,
      spec: {
        ...(plan.kind === 'fixed' ? { replicas: fixedShares[i] ?? 0 } : {}),
        selector: { matchLabels: { ...input.selector, ...variantLabels } },
        strategy: rolloutStrategy(input.rollout),
        template,
      },
    });
    if (plan.kind === 'autoscaled') {
      addHpa(scope, stagger === undefined ? 'hpa' : `hpa-m${i}`, metadata, name, { ...plan, min: minShares[i] ?? 1, max: maxShares[i] ?? 1 });
    }
    return { deployment, memoryLimit };
  });
  if (wantsPdb(scope, input.pdb, plan)) addPdb(scope, input.metadata, input.selector);
  return result;
}
