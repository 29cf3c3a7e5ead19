import type { RuleContext } from '../jobs';
import type { RuleGroupProps } from '../rule-group';
import { controlPlaneRules } from './control-plane-rules';
import { monitoringRules } from './monitoring-rules';
import { nodeRules } from './node-rules';
import { probeRules } from './probe-rules';
import { workloadRules } from './workload-rules';

export { controlPlaneRules, monitoringRules, nodeRules, probeRules, workloadRules };

/** Every default rule group of the addon, for one cluster. */
export function defaultRuleGroups(ctx: RuleContext): RuleGroupProps[] {
  return [monitoringRules(ctx), nodeRules(ctx), workloadRules(ctx), controlPlaneRules(ctx), probeRules(ctx)];
}
