import type { IConstruct } from 'constructs';
import { Environment } from '../core/environment';
import type { ContainerOptions } from './container';
import { mergeResources, type ResourcesProps } from './resources';

/** What every workload's per-environment override may change of its main container. */
export interface ContainerOverrides {
  /** Merged over the base field by field. */
  readonly resources?: ResourcesProps;
  /** Merged over the base key by key. */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The override for the environment `scope` is synthesized in, out of a construct's `overrides`
 * map (keyed by environment name), after checking that every key names an environment of the
 * definition; `{}` when there is none. Every app construct reads its overrides through this.
 */
export function overrideFor<T extends object>(scope: IConstruct, overrides: Readonly<Record<string, T>> | undefined): Partial<T> {
  return Environment.of(scope).overrideFor(scope, 'overrides', overrides) ?? {};
}

/** The container props with an override applied: resources merged field by field, env key by key. */
export function withContainerOverrides<P extends ContainerOptions>(props: P, o: ContainerOverrides): P {
  const resources = mergeResources(props.resources, o.resources);
  return { ...props, env: { ...props.env, ...o.env }, ...(resources === undefined ? {} : { resources }) };
}
