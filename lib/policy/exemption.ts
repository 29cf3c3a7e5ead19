import type { IConstruct } from 'constructs';
import { PlatformError } from '../core';
import { POLICY_RULES, isPolicyRule, type PolicyRule } from './rules';

/** One rule of the policy check that does not apply to a construct, and why. */
export interface ExemptionProps {
  /** The rule that does not apply. */
  readonly rule: PolicyRule;
  /** Why: read by reviewers and printed by synth with every exemption in force. */
  readonly reason: string;
}

/** An exemption as found on the tree: where it was declared. */
export interface DeclaredExemption extends ExemptionProps {
  /** The construct it was added to; it applies to every Kubernetes object at or under it. */
  readonly scope: IConstruct;
}

/** The node metadata type exemptions are stored under. */
const METADATA_TYPE = 'platform-constructs/policy-exemption';

/** The node metadata type of a scope under which no exemption is in force (see {@link refuseExemptionsUnder}). */
const REFUSED_TYPE = 'platform-constructs/policy-exemptions-refused';

/**
 * Refuses every exemption declared at or under `scope` (a service repo's environment: its code is
 * not the platform's): the policy check then treats them as never declared — the rules apply, and
 * none is reported as exempting nothing — and {@link refusedExemptions} lists them for the one line
 * that refuses each.
 */
export function refuseExemptionsUnder(scope: IConstruct): void {
  scope.node.addMetadata(REFUSED_TYPE, true);
}

const refusedAt = (scope: IConstruct) => scope.node.scopes.some((s) => s.node.metadata.some((m) => m.type === REFUSED_TYPE));

/** The exemptions declared on `scope` itself that are refused (see {@link refuseExemptionsUnder}). */
export function refusedExemptions(scope: IConstruct): DeclaredExemption[] {
  return refusedAt(scope) ? declaredOn(scope) : [];
}

function declaredOn(scope: IConstruct): DeclaredExemption[] {
  return scope.node.metadata
    .filter((m) => m.type === METADATA_TYPE)
    .map((m) => {
      const data = m.data as ExemptionProps;
      return { rule: data.rule, reason: data.reason, scope };
    });
}

/**
 * Exemptions from the policy check, stored on the construct node they are added to, so that
 * they travel with the construct and show in the tree. An exemption applies to every Kubernetes
 * object at or under its construct.
 *
 * @example
 * Exemption.add(nodeExporter, { rule: 'host-network', reason: 'reads the node network statistics' });
 */
export class Exemption {
  /** Exempts every object at or under `scope` from one rule; the reason is required. */
  public static add(scope: IConstruct, props: ExemptionProps): void {
    const rule: string = props.rule;
    if (!isPolicyRule(rule)) {
      throw PlatformError.at(scope, { field: 'exemption.rule', value: rule, rule: 'is not a policy rule', fix: `use one of ${POLICY_RULES.join(', ')}` });
    }
    if (typeof props.reason !== 'string' || props.reason.trim() === '') {
      throw PlatformError.at(scope, {
        field: 'exemption.reason', rule: `must say why rule ${rule} does not apply`,
        fix: 'state the reason a reviewer should accept, or fix the object so the rule passes',
      });
    }
    if (declaredOn(scope).some((e) => e.rule === props.rule)) {
      throw PlatformError.at(scope, { field: 'exemption.rule', value: rule, rule: 'is already exempted on this construct', fix: 'give each rule one exemption per construct' });
    }
    scope.node.addMetadata(METADATA_TYPE, { rule: props.rule, reason: props.reason.trim() });
  }

  /** The exemptions added to `scope` itself (not its parents), except those refused there (a service repo's). */
  public static on(scope: IConstruct): DeclaredExemption[] {
    const declared = declaredOn(scope);
    return declared.length === 0 || !refusedAt(scope) ? declared : [];
  }

  /** The exemptions that apply to `scope`: those on it and on every construct above it. */
  public static applying(scope: IConstruct): DeclaredExemption[] {
    return scope.node.scopes.flatMap((s) => Exemption.on(s));
  }

  private constructor() {}
}
