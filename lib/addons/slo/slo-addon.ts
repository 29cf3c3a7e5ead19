import type { Construct } from 'constructs';
import { addHashedConfigMap } from '../../apps/config';
import { Platform, PlatformError, contentHash, formatProblem } from '../../core';
import type { AddonContext, AddonSpec, PrometheusRuleFiles } from '../addon-spec';
import { GATE_DESCRIPTOR_FILE, gateDescriptor, type GateDescriptor, type GateEndpoint } from './gate-descriptor';
import type { SloDefinition } from './slo-definition';
import { renderSloRuleFile } from './slo-rules';
import { Slo } from './slo';
import { periodDuration, windowText } from './windows';

/** The SLO addon's part of a cluster definition (`addons.slo`). */
export interface SloAddonProps {
  /**
   * The SLOs the addon writes rules for. In a cluster definition, list the definitions service
   * repos publish for their services (`readSloDefinitions`): the composition root puts the SLOs
   * declared on the definition's own services (`Slo.definitionsIn`) before them.
   * @default []
   */
  readonly slos?: readonly SloDefinition[];
  /**
   * Where the rules run. 'prometheus': the monitoring addon's Prometheus evaluates them, so it
   * must keep samples for the longest period. 'long-term-store': a ruler in front of the
   * long-term store does, the rule file is emitted for it and Prometheus is not given it.
   * @default 'prometheus'
   */
  readonly evaluatedBy?: 'prometheus' | 'long-term-store';
  /**
   * The Prometheus-compatible API the release gate asks (the long-term store, or Prometheus
   * through the edge with authentication), written into the cluster's gate descriptor.
   * @default - no descriptor: the gate needs --descriptor from elsewhere
   */
  readonly gate?: GateEndpoint;
}

/** The release gate's descriptor of a cluster (`dist/<cluster>/release-gate.json`), when the addon names the gate's API. */
export function sloGateDescriptor(cluster: string, props: SloAddonProps): GateDescriptor | undefined {
  return props.gate === undefined ? undefined : gateDescriptor(cluster, props.gate, props.slos ?? []);
}

/** The rule file's key in the ConfigMap. */
export const SLO_RULE_FILE = 'slos.yaml';
const BASE_NAME = 'slo-rules';

/** The name of the rules' ConfigMap: the same in `provides` and `build`, from the content alone. */
function ruleConfigMapName(file: string): string {
  return `${BASE_NAME}-${contentHash({ [SLO_RULE_FILE]: file })}`;
}

function problems(slos: readonly SloDefinition[], props: SloAddonProps, context: AddonContext): string[] {
  const out: string[] = [];
  const seen = new Map<string, string>();
  for (const slo of slos) {
    const first = seen.get(slo.id);
    if (first !== undefined) {
      out.push(formatProblem({
        path: slo.path, field: 'name', value: slo.name, rule: `repeats SLO ${slo.id} of service ${slo.service} (${first})`,
        fix: 'give every SLO of a service its own name',
      }));
    } else seen.set(slo.id, slo.path);
  }
  if ((props.evaluatedBy ?? 'prometheus') === 'prometheus' && slos.length > 0) {
    const prometheus = context.addons.prometheus;
    if (prometheus === undefined) {
      out.push(formatProblem({
        path: `cluster ${context.cluster.name}`, field: 'addons.slo', rule: 'needs a Prometheus to evaluate its rules, and the cluster runs no monitoring addon',
        fix: "add the monitoring addon, or set evaluatedBy: 'long-term-store' and load the rules into its ruler",
      }));
    } else {
      for (const slo of slos) {
        if (periodDuration(slo.period).compare(prometheus.retention) > 0) {
          out.push(formatProblem({
            path: slo.path, field: 'period', value: slo.period, rule: `is longer than the ${windowText(prometheus.retention)} Prometheus keeps samples, so the period's ratio would read a shorter history`,
            fix: `raise the monitoring addon's sizing.prometheus.retention to at least ${slo.period}, or set addons.slo.evaluatedBy: 'long-term-store'`,
          }));
        }
      }
    }
  }
  return out;
}

/**
 * The SLO addon: every SLO of the cluster as one Prometheus rule file (Sloth's recording, meta
 * and alert rules), in an immutable ConfigMap in the monitoring namespace that the monitoring
 * addon's Prometheus loads (through the `prometheusRuleFiles` fact). Its alerts carry the owning
 * team, which the monitoring addon's Alertmanager routes on.
 */
export const sloAddon: AddonSpec<'slo', SloAddonProps> = {
  key: 'slo',
  phase: 'addons',
  fromServices: (props, services) => ({ ...props, slos: [...services.flatMap((s) => Slo.definitionsIn(s)), ...(props.slos ?? [])] }),
  provides: (props) => {
    const slos = props.slos ?? [];
    if ((props.evaluatedBy ?? 'prometheus') !== 'prometheus' || slos.length === 0) return {};
    const files: PrometheusRuleFiles = { configMap: ruleConfigMapName(renderSloRuleFile(slos)), files: [SLO_RULE_FILE] };
    return { prometheusRuleFiles: [files] };
  },
  publishes: (props, { cluster }) => {
    const descriptor = sloGateDescriptor(cluster.name, props);
    return descriptor === undefined ? [] : [{ name: GATE_DESCRIPTOR_FILE, content: `${JSON.stringify(descriptor, null, 2)}\n` }];
  },
  build: (scope: Construct, props: SloAddonProps, context: AddonContext) => {
    const slos = props.slos ?? [];
    const found = problems(slos, props, context);
    if (found.length > 0) throw new PlatformError(found);
    if (slos.length === 0) return;
    const file = renderSloRuleFile(slos);
    const namespace = context.addons.prometheus?.namespace ?? Platform.monitoringNamespace;
    addHashedConfigMap(scope, 'rules', BASE_NAME, { 'app.kubernetes.io/name': BASE_NAME, 'app.kubernetes.io/managed-by': Platform.managedBy }, { [SLO_RULE_FILE]: file }, namespace);
  },
};
