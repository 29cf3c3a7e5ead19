/**
 * The credential heuristic, one place for every check that looks for a secret value written in
 * clear: the config of an app, the env of any container the policy check sees.
 */
const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL)/i;

/** Whether a variable or config key name looks like it holds a credential. */
export function looksLikeCredential(name: string): boolean {
  return CREDENTIAL_NAME.test(name);
}
