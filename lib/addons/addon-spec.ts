import type { Construct, IConstruct } from 'constructs';
import type { ClusterFacts, DeployPhase, Duration, SecretDeclaration } from '../core';

/**
 * Prometheus rule files one addon hands the cluster's Prometheus: an immutable ConfigMap in
 * Prometheus's namespace, named by its content, whose every key is a rule file (`slos.yaml`).
 * The monitoring addon mounts each and lists its keys in `rule_files`, so a change rolls it.
 */
export interface PrometheusRuleFiles {
  /** The ConfigMap's name (`slo-rules-<hash>`). */
  readonly configMap: string;
  /** Its keys, each a rule file. */
  readonly files: readonly string[];
}

/**
 * Facts one addon offers the others, filled in by the composition root from the addons a
 * cluster runs (the edge's Gateway, the identity provider's issuer). An addon reads them; it
 * never imports another addon.
 */
export interface AddonFacts {
  /** The shared Gateway services attach their routes to, when the cluster has an edge. */
  readonly gateway?: { readonly name: string; readonly namespace: string; readonly dnsZone: string };
  /** The OIDC issuer people sign in through, when the cluster runs the identity addon. */
  readonly identity?: { readonly issuerUrl: string };
  /** The cluster's Prometheus, when it runs the monitoring addon: its namespace and how long it keeps samples. */
  readonly prometheus?: { readonly namespace: string; readonly retention: Duration };
  /** Rule files other addons (the SLO addon) give the cluster's Prometheus to evaluate. */
  readonly prometheusRuleFiles?: readonly PrometheusRuleFiles[];
}

/** What an addon is given to build: the cluster's facts and the other addons' facts. */
export interface AddonContext {
  readonly cluster: ClusterFacts;
  readonly addons: AddonFacts;
  /** Every environment overrides may name. */
  readonly environments: readonly string[];
}

/**
 * The cluster an addon's `contributes` and `secrets` are asked about: only its name, since they
 * run before the cluster model (and so its facts) exists. An addon shared by several clusters
 * (the identity provider one cluster runs and all trust) answers per cluster with it.
 */
export interface ContributionTarget {
  /** The cluster's short name (`prod`). */
  readonly name: string;
}

/** What an addon hands back to the cluster model (fed through the definition, never by import). */
export interface ClusterContribution {
  /** The API server's OIDC issuer and audience (the identity addon). */
  readonly oidc?: { readonly issuerUrl: string; readonly clientId: string };
  /** Kernel parameters for every node, as `name=value` (`vm.max_map_count=262144`, for Elasticsearch): kops's `spec.sysctlParameters`. */
  readonly sysctls?: readonly string[];
}

/** A file an addon publishes next to a cluster's manifests (`dist/<cluster>/<name>`): a descriptor for a command, never a manifest. */
export interface PublishedFile {
  /** The file's name in the cluster's folder (`release-gate.json`). */
  readonly name: string;
  readonly content: string;
}

/**
 * The one shape of an addon: a folder under `lib/addons/` exports one of these, and the
 * composition root (`lib/platform`) loops over the list of them. `D` is the addon's part of
 * the cluster definition, under `addons.<key>`.
 */
export interface AddonSpec<K extends string, D> {
  /** Its key in the definition's `addons` and its chart's name (`addon-<key>`). */
  readonly key: K;
  /** When its chart is applied. */
  readonly phase: DeployPhase;
  /**
   * Completes its part of the definition from what the cluster's services declare (the SLO
   * addon takes the SLOs put on them). The composition root calls it once the service groups
   * are defined and before any addon's `provides`, so facts and build see the completed value.
   * `services` are the service groups' charts.
   * @default - the definition's value as it is
   */
  readonly fromServices?: (props: D, services: readonly IConstruct[]) => D;
  /** The facts it offers the other addons. @default - none */
  readonly provides?: (props: D, cluster: ClusterFacts) => AddonFacts;
  /** What it feeds into the cluster model. @default - nothing */
  readonly contributes?: (props: D, cluster: ContributionTarget) => ClusterContribution;
  /** The Secrets its pods read in `cluster`, whose values the deploy step provides. @default - none */
  readonly secrets?: (props: D, cluster: ContributionTarget) => readonly SecretDeclaration[];
  /** Builds its objects into `scope`, the addon's own chart `addon-<key>`, applied in `phase`. */
  readonly build: (scope: Construct, props: D, context: AddonContext) => void;
  /**
   * Files it publishes with the cluster's manifests, for commands that read them (the release
   * gate's descriptor, the login descriptor). `npm run synth` writes them with the manifests,
   * all or nothing.
   * @default - none
   */
  readonly publishes?: (props: D, context: AddonContext) => readonly PublishedFile[];
  /**
   * Builds the CustomResourceDefinitions it brings into `scope`, a chart of its own
   * (`addon-<key>-crds`) applied in the `crds` phase, before any chart that uses them.
   * @default - it brings no CRDs
   */
  readonly crds?: (scope: Construct, props: D, context: AddonContext) => void;
}
