import { Construct, type IConstruct } from 'constructs';
import { PlatformError, pathOf } from './errors';
import { checkDnsLabel } from './names';
import { checkProps } from './props-check';

/** Props of an {@link Environment}. */
export interface EnvironmentProps {
  /** The environment this tree is synthesized for (`prod`, `stage`). */
  readonly name: string;
  /** Every environment the definitions may name in their overrides; `name` must be one of them. */
  readonly environments: readonly string[];
  /**
   * The cluster this tree is synthesized for.
   * @default - none: a service repo's tree, synthesized without a cluster definition
   */
  readonly cluster?: string;
}

/**
 * The scope that says which environment (and, inside a cluster definition, which cluster) a
 * tree of constructs is synthesized for. App constructs find it with `Environment.of(this)` and
 * apply their per-environment overrides from it.
 */
export class Environment extends Construct {
  /** The nearest enclosing Environment, if there is one. */
  public static find(scope: IConstruct): Environment | undefined {
    return scope.node.scopes.slice().reverse().find((s): s is Environment => s instanceof Environment);
  }

  /** The nearest enclosing Environment; an app construct outside one is an error. */
  public static of(scope: IConstruct): Environment {
    const found = Environment.find(scope);
    if (found === undefined) {
      throw PlatformError.at(scope, {
        field: 'scope', rule: 'is not inside an Environment',
        fix: 'create the construct under an Environment (synthServiceRepo and buildClusterApp make one per environment)',
      });
    }
    return found;
  }

  /** The environment's name. */
  public readonly name: string;
  /** Every environment the definitions know. */
  public readonly environments: readonly string[];
  /** The cluster, when synthesized from a cluster definition. */
  public readonly cluster: string | undefined;

  public constructor(scope: Construct, id: string, props: EnvironmentProps) {
    super(scope, id);
    props = checkProps(this, Environment, props);
    const where = { path: pathOf(this), field: 'name' };
    for (const env of props.environments) checkDnsLabel(env, { ...where, field: 'environments' });
    if (!props.environments.includes(props.name)) {
      throw PlatformError.at(this, {
        field: 'name', value: props.name, rule: `is not one of the environments [${props.environments.join(', ')}]`,
        fix: 'add it to environments or pick one of them',
      });
    }
    this.name = props.name;
    this.environments = props.environments;
    this.cluster = props.cluster;
  }

  /**
   * The override for this environment out of a per-environment map, after checking that every
   * key names a known environment (a typo would otherwise be silently ignored).
   */
  public overrideFor<T>(scope: IConstruct, field: string, overrides: Readonly<Record<string, T>> | undefined): T | undefined {
    if (overrides === undefined) return undefined;
    for (const key of Object.keys(overrides)) {
      if (!this.environments.includes(key)) {
        throw PlatformError.at(scope, {
          field, value: key, rule: `names an environment the definition does not have [${this.environments.join(', ')}]`,
          fix: 'fix the environment name or add the environment to the definition',
        });
      }
    }
    return overrides[this.name];
  }
}
