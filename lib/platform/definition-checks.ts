import { duplicates, formatProblem } from '../core';
import { propsProblems } from '../core/props-check';
import type { ClusterDefinition } from './cluster-definition';

/** How errors name a definition: `cluster <name>` (or its place in the list when the name itself is bad). */
export function definitionPath(def: unknown, index: number): string {
  const name = typeof def === 'object' && def !== null ? (def as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name !== '' ? `cluster ${name}` : `clusters[${index}]`;
}

/**
 * What is wrong with a cluster definition before anything is built from it: its shape against
 * the ClusterDefinition type (for callers tsc never saw), and what must not repeat in it — team
 * names, a namespace claimed by two teams, service group names. A definition with shape problems
 * is not built (its values cannot be trusted); the repeats are reported here once, as their cause,
 * and the repeated entry is left out of the build, so no consequence of it is reported again.
 */
export function definitionProblems(def: unknown, path: string): { readonly shape: string[]; readonly repeats: string[] } {
  const shape = propsProblems('ClusterDefinition', def, path);
  if (shape.length > 0) return { shape, repeats: [] };
  const d = def as ClusterDefinition;
  return { shape, repeats: [
    ...duplicates(path, 'teams', d.teams.map((t, i) => ({ key: t.name, where: `teams[${i}]` })), 'give each team its own name, or merge the two'),
    ...claimedTwice(d, path),
    ...duplicates(path, 'services', d.services.map((g, i) => ({ key: g.name, where: `services[${i}]` })), 'give each service group its own name (it names the chart and its file)'),
  ] };
}

/** The namespaces each team claims, in definition order. */
export function teamNamespaces(def: ClusterDefinition): { team: string; index: number; namespaces: string[] }[] {
  return def.teams.map((t, index) => ({ team: t.name, index, namespaces: (t.namespaces ?? [{ name: t.name }]).map((n) => n.name) }));
}

/** The teams left out of the build because they repeat an earlier team's name or namespace. */
export function repeatedTeams(def: ClusterDefinition): Set<number> {
  const names = new Set<string>();
  const claimed = new Set<string>();
  const repeated = new Set<number>();
  for (const { team, index, namespaces } of teamNamespaces(def)) {
    if (names.has(team) || namespaces.some((n) => claimed.has(n))) repeated.add(index);
    names.add(team);
    if (!repeated.has(index)) for (const n of namespaces) claimed.add(n);
  }
  return repeated;
}

function claimedTwice(def: ClusterDefinition, path: string): string[] {
  const owner = new Map<string, string>();
  const problems: string[] = [];
  for (const { team, index, namespaces } of teamNamespaces(def)) {
    for (const ns of namespaces) {
      const first = owner.get(ns);
      if (first === undefined) owner.set(ns, `team ${team} (teams[${index}])`);
      else if (first !== `team ${team} (teams[${index}])`) {
        problems.push(formatProblem({
          path, field: `teams[${index}].namespaces`, value: ns, rule: `claims a namespace ${first} already owns`,
          fix: 'give each namespace to exactly one team (the later team is not built until then)',
        }));
      }
    }
  }
  return problems;
}

/**
 * What must not repeat across the fleet: cluster names (each names its output folder
 * `dist/<name>/`) and kops cluster names (each names a cluster in the kops state store).
 */
export function fleetProblems(defs: readonly unknown[]): string[] {
  const named = defs.flatMap((d, i) => (typeof d === 'object' && d !== null ? [{ d: d as Partial<ClusterDefinition>, i }] : []));
  const names = named.flatMap(({ d, i }) => (typeof d.name === 'string' ? [{ key: d.name, where: `clusters[${i}]` }] : []));
  const kops = named.flatMap(({ d, i }) => (typeof d.kubernetes?.clusterName === 'string' ? [{ key: d.kubernetes.clusterName, where: `clusters[${i}] (${String(d.name)})` }] : []));
  return [
    ...duplicates('clusters', 'name', names, 'give each cluster its own name: it names the output folder dist/<name>/, which the second would overwrite'),
    ...duplicates('clusters', 'kubernetes.clusterName', kops, 'give each cluster its own kops cluster name: it names the cluster in the kops state store'),
  ];
}
