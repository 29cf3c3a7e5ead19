import type { RuleContext } from '../jobs';
import type { RuleGroupProps } from '../rule-group';
import { alertmanagerRules } from './alertmanager-rules';
import { apiServerBurnrateRules } from './apiserver-burnrate-rules';
import { apiServerRules } from './apiserver-rules';
import { controlPlaneRules } from './control-plane-rules';
import { generalRules } from './general-rules';
import { k8sRecordingRules } from './k8s-records';
import { kubeStateMetricsRules } from './kube-state-metrics-rules';
import { kubeletRules } from './kubelet-rules';
import { nodeExporterRules } from './node-exporter-rules';
import { probeRules } from './probe-rules';
import { prometheusRules } from './prometheus-rules';
import { resourceRules } from './resource-rules';
import { storageRules } from './storage-rules';
import { workloadRules } from './workload-rules';

export {
  alertmanagerRules, apiServerBurnrateRules, apiServerRules, controlPlaneRules, generalRules, k8sRecordingRules, kubeStateMetricsRules,
  kubeletRules, nodeExporterRules, probeRules, prometheusRules, resourceRules, storageRules, workloadRules,
};

/** Every default rule group of the addon, for one cluster. */
export function defaultRuleGroups(ctx: RuleContext): RuleGroupProps[] {
  return [
    generalRules(ctx), prometheusRules(ctx), alertmanagerRules(ctx), kubeStateMetricsRules(ctx), nodeExporterRules(ctx), kubeletRules(ctx),
    storageRules(ctx), apiServerBurnrateRules(), apiServerRules(ctx), controlPlaneRules(ctx), k8sRecordingRules(), workloadRules(ctx),
    resourceRules(ctx), probeRules(ctx),
  ];
}
