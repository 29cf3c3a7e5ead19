import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';
import { formatProblem, pathOf } from '../core';
import { Exemption, type DeclaredExemption } from './exemption';
import { describeObject } from '../core';
import { identityOf, isObject, obj, str, strings } from './manifest';
import { checkDefaultDeny, checkEndpointAddresses, checkObject, checkPdb, checkReadiness, checkTenantKinds, type CheckedObject } from './object-checks';
import { tenancyFactsAt } from './tenancy-facts';
import type { Finding } from './pod-checks';
import { POD_SECURITY_ENFORCE, isPodSecurityLevel, levelAllows } from './pod-security';
import { LEVEL_NEEDED, type PolicyCheck, type PolicyRule } from './rules';

/** One broken rule at one field of one object, and how to fix it. */
export interface PolicyViolation {
  /** The object as `Kind namespace/name` (empty for an exemption that exempts nothing). */
  readonly object: string;
  /** The construct path of the object (or of the exemption). */
  readonly path: string;
  /** The rule. */
  readonly rule: PolicyCheck;
  /** The field path inside the object. */
  readonly field: string;
  /** What to do. */
  readonly fix: string;
  /** The whole violation as one line: `path: Kind ns/name [rule] field problem (got value); fix`. */
  readonly message: string;
}

/** An exemption that exempted at least one object. */
export interface ExemptionInForce {
  readonly rule: PolicyRule;
  readonly reason: string;
  /** The construct path it was declared on. */
  readonly path: string;
  /** The objects it exempted, as `Kind namespace/name`, sorted. */
  readonly objects: readonly string[];
  /** One line for synth to print: `path: rule exempted for Kind ns/name, ... (reason)`. */
  readonly message: string;
}

/** What the policy check found. */
export interface PolicyReport {
  /** Every violation, in tree order. Synth writes nothing while there is one. */
  readonly violations: readonly PolicyViolation[];
  /** The exemptions that were used, in tree order: printed per cluster so they stay visible. */
  readonly exemptions: readonly ExemptionInForce[];
}

interface Tracked extends CheckedObject {
  readonly apiObject: ApiObject;
  readonly exemptions: readonly DeclaredExemption[];
}

function violation(t: { apiObject: ApiObject; id: CheckedObject['id'] }, rule: PolicyCheck, f: Omit<Finding, 'rule'>): PolicyViolation {
  const object = describeObject(t.id);
  const path = pathOf(t.apiObject);
  const message = formatProblem({ path, field: `${object} [${rule}] ${f.field}`, rule: f.problem, ...(f.value === undefined ? {} : { value: f.value }), fix: f.fix });
  return { object, path, rule, field: f.field, fix: f.fix, message };
}

/**
 * Checks every Kubernetes object (cdk8s `ApiObject`) at or under `scope` against the platform's
 * policy: Pod Security Standards (restricted) for every pod template, requests and limits,
 * readiness probes behind Services, pinned images, no secret values in manifests, default-deny
 * network policies in team namespaces, PodDisruptionBudgets, CronJob concurrency and no
 * LoadBalancer Services. An {@link Exemption} on an object or any construct above it lifts one
 * rule; an exemption that needs a weaker Pod Security level than its namespace (when the
 * Namespace is in the tree) enforces is itself a violation, and so is one that exempts nothing.
 *
 * Call it once per App (or per Environment) after the tree is built; it changes nothing.
 * `jsonOf` gives an object's rendered JSON, when the caller has it already (synth renders each
 * object once); by default each object is rendered here.
 */
export function checkPolicy(scope: IConstruct, jsonOf: (o: ApiObject) => unknown = (o) => o.toJson()): PolicyReport {
  const tracked: Tracked[] = scope.node.findAll().filter((c): c is ApiObject => ApiObject.isApiObject(c)).flatMap((apiObject) => {
    const exemptions = Exemption.applying(apiObject);
    const facts = tenancyFactsAt(apiObject);
    // A List is applied as its items: each is checked as the object it is.
    return listItems(jsonOf(apiObject)).map((json) => ({ apiObject, json, id: identityOf(json), exemptions, facts }));
  });
  const byObject = new Map<CheckedObject, Tracked>(tracked.map((t) => [t, t]));
  const findings: { on: Tracked; finding: Finding }[] = tracked.flatMap((t) => checkObject(t.json, t.facts).map((finding) => ({ on: t, finding })));
  for (const r of [...checkReadiness(tracked), ...checkDefaultDeny(tracked), ...checkPdb(tracked), ...checkTenantKinds(tracked), ...checkEndpointAddresses(tracked)]) {
    const on = byObject.get(r.on);
    if (on !== undefined) findings.push({ on, finding: r.finding });
  }

  // An exemption is one per construct and rule, so its path and rule identify it.
  const keyOf = (e: DeclaredExemption) => `${pathOf(e.scope)}|${e.rule}`;
  const used = new Map<string, { exemption: DeclaredExemption; objects: Set<string> }>();
  const violations: PolicyViolation[] = [];
  const levelChecked = new Set<string>();
  for (const { on, finding } of findings) {
    const exemption = on.exemptions.find((e) => e.rule === finding.rule);
    if (exemption === undefined) {
      violations.push(violation(on, finding.rule, finding));
      continue;
    }
    const entry = used.get(keyOf(exemption)) ?? { exemption, objects: new Set<string>() };
    entry.objects.add(describeObject(on.id));
    used.set(keyOf(exemption), entry);
    const key = `${describeObject(on.id)}|${finding.rule}`;
    if (levelChecked.has(key)) continue;
    levelChecked.add(key);
    const problem = levelProblem(tracked, on, finding.rule);
    if (problem !== undefined) violations.push(violation(on, 'pod-security-level', problem));
  }

  const declared = scope.node.findAll().flatMap((c) => Exemption.on(c));
  for (const e of declared.filter((d) => !used.has(keyOf(d)))) {
    const path = pathOf(e.scope);
    const fix = 'remove the exemption, or move it to the construct whose objects break the rule';
    violations.push({ object: '', path, rule: 'unused-exemption', field: 'exemption', fix, message: `${path}: exemption from rule ${e.rule} exempts no object at or under this construct; ${fix}` });
  }
  const inForce = [...used.values()].map(({ exemption: e, objects }) => {
    const path = pathOf(e.scope);
    const list = [...objects].sort();
    return { rule: e.rule, reason: e.reason, path, objects: list, message: `${path}: ${e.rule} exempted for ${list.join(', ')} (${e.reason})` };
  });
  return { violations, exemptions: inForce };
}

/**
 * The objects a manifest applies: a `List` (`v1` `List`, or any `<Kind>List`) is applied item by
 * item, nested Lists included, so a List wrapping a pod is checked as that pod.
 */
export function listItems(json: unknown): CheckedObject['json'][] {
  if (!isObject(json)) return [{}];
  const kind = str(json, 'kind') ?? '';
  if ((kind === 'List' || kind.endsWith('List')) && Array.isArray(json.items)) return json.items.flatMap(listItems);
  return [json];
}

/** When an exempted rule needs a weaker Pod Security level than the object's Namespace (in the tree) enforces. */
function levelProblem(objects: readonly CheckedObject[], on: CheckedObject, rule: PolicyRule): Omit<Finding, 'rule'> | undefined {
  const needed = LEVEL_NEEDED[rule];
  if (needed === undefined || on.id.namespace === '') return undefined;
  const ns = objects.find((o) => o.id.kind === 'Namespace' && o.id.name === on.id.namespace);
  if (ns === undefined) return undefined;
  const label = strings(obj(ns.json, 'metadata'), 'labels')[POD_SECURITY_ENFORCE];
  const level = label !== undefined && isPodSecurityLevel(label) ? label : undefined;
  if (level !== undefined && levelAllows(level, needed)) return undefined;
  return {
    field: 'metadata.namespace',
    problem: `is exempted from ${rule}, which needs Pod Security level ${needed}, but Namespace ${on.id.namespace} enforces ${label ?? 'no level'}`,
    fix: `set the namespace's podSecurity to { level: '${needed}', reason } (a PlatformNamespace, or the team namespace with a stated reason)`,
  };
}
