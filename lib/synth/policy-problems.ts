import type { App } from 'cdk8s';
import { checkPolicy } from '../policy/check';

/**
 * The policy problems of an app whose validation already failed, so that one run reports both;
 * an app whose objects cannot even be rendered is left to the validation problems already found.
 */
export function policyProblemsOf(app: App): string[] {
  try {
    return checkPolicy(app).violations.map((v) => v.message);
  } catch {
    return [];
  }
}
