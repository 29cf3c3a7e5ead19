// promtool unit tests for every default alert: cases where it fires (one per tier of a name with
// a warning and a critical rule) and one where it stays quiet, written once in cases/ and turned
// into promtool's test format per cluster by check.ts.
//
// Every series is sampled every 61s starting at 61s (check.ts prefixes a missing sample at 0),
// while rules are evaluated every 60s, so no sample sits on the start boundary of a range (or of
// the 5m lookback) before minute 66: sample k is at 61k s and a window of W whole minutes starts
// at 60j - W, which first meet at k = 60 (61m), for an evaluation at 61m + W. Prometheus 2
// (promtool 2.42) counts a sample on that boundary and Prometheus 3 does not, and the tests must
// mean the same under both: so every evaluation is at most 65m (an alert held `for: 1h` is
// looked at between 63m and 65m).
import { appsCases } from './cases/apps';
import { controlPlaneCases } from './cases/control-plane';
import { monitoringCases } from './cases/monitoring';
import { nodeCases } from './cases/nodes';
import { sloCases } from './cases/slos';
import type { RuleCases, TestContext } from './cases/types';

export type { AlertCase, RuleCases, Series, TestContext } from './cases/types';

/** The firing and quiet cases of every default alert and of the clusters' SLO alerts, by alert name. */
export function ruleTests(ctx: TestContext): RuleCases {
  return { ...monitoringCases(ctx), ...nodeCases(), ...controlPlaneCases(), ...appsCases(ctx), ...sloCases() };
}
