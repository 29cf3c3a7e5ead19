import { PlatformError } from '../core/errors';
import { AWS_DEFS, COMPONENTS } from '../core/generated/aws-args-schema';
import { addShapes, propsProblems } from '../core/props-check';

addShapes(AWS_DEFS);

/**
 * Checks a Pulumi component's args against its `XxxArgs` type, as scripts/props-schema.ts recorded
 * it (lib/core/generated/aws-args-schema.ts), for the stack programs `tsc` never checked: a key the
 * type does not declare (with the closest declared one), a missing required field, a wrong
 * primitive, a value outside a string-literal union. A `pulumi.Input<T>` field takes an Output or
 * a Promise as it is (its value is known only at deployment) and any other value as a `T`. The
 * component calls it first, before its own registration, so that nothing is registered from bad
 * args; every problem is thrown at once, each naming the component's type token and name.
 */
export function checkArgs(type: string, name: string, cls: abstract new (...args: never[]) => unknown, args: unknown): void {
  const typeName = COMPONENTS[cls.name];
  if (typeName === undefined) return;
  const problems = propsProblems(typeName, args, `${type} ${name}`, 'args');
  if (problems.length > 0) throw new PlatformError(problems);
}
