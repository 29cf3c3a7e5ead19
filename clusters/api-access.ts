/**
 * Who may reach the clusters' API servers (their load balancers are public, open to these
 * ranges only): the office VPN, and the runners that deploy — the `platform-deploy` runner
 * group, GitHub-hosted larger runners with static egress addresses, which the platform's and the
 * teams' deploy jobs run on. A job on any other runner cannot reach an API server.
 */
export const API_ACCESS: readonly string[] = [
  '198.51.100.0/27', // the office VPN's egress
  '192.0.2.16/28', // the platform-deploy runner group's static egress
];
