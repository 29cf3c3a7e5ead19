import { ApiObject } from 'cdk8s';
import { Construct, type IConstruct } from 'constructs';
import type { k8s } from 'cdk8s-plus-27';
import { Cidr, type CidrLike, DnsName, Environment, Platform, PlatformChart, PlatformError, PlatformLabels, checkDnsLabel, formatProblem, parseAt, pathOf, type WorkloadIdentity } from '../core';
import { identityOf } from '../policy/manifest';
import { checkQuotas } from './quota-check';
import { SecretStore, checkSecretsPrefix, teamSecretStores, type SecretsManagerTarget } from './secret-store';
import { type DeployIdentity, type OidcPrefixes, type OwnerAccess, isGithubRepository } from './rbac';
import { TeamNamespace, type TeamNamespaceOptions } from './team-namespace';
import { checkProps } from '../core/props-check';
import type { PodTemplateKind } from '../policy/tenancy-facts';

/** A team as a cluster definition declares it. */
export interface TeamDefinition {
  /** The team's name (`payments`): its label value on every namespace it owns. */
  readonly name: string;
  /** Directory groups that own the team, by the names the company directory uses; at least one. */
  readonly owners: readonly string[];
  /** Directory groups that may read the team's namespaces. @default [] */
  readonly members?: readonly string[];
  /** The team's namespaces. @default [{ name: <team name> }] */
  readonly namespaces?: readonly TeamNamespaceOptions[];
  /** What owners may do beyond reading: `operate` (evict, scale, stop Jobs) or Kubernetes' `edit`. @default 'operate' */
  readonly ownerAccess?: OwnerAccess;
  /**
   * Where the team deploys from: a GitHub repository (`{ githubRepository: 'example/shop-services' }`,
   * whose deploy job for each cluster's environment is bound to the deploy Role), or an OIDC user or
   * group. @default - none: nothing deploys to the team's namespaces
   */
  readonly deployer?: DeployIdentity;
  /**
   * The team's workload identities: AWS permissions of its ServiceAccounts, reviewed with the
   * cluster definition. Each ServiceAccount is created in its namespace (with the pull secret)
   * and its role by kops. @default []
   */
  readonly identities?: readonly WorkloadIdentity[];
  /**
   * The host names the team serves: its routes, listeners and certificates may carry these and no
   * others (checked at synth and by the cluster's admission policies); no other team may declare
   * one of them. @default [] - the team serves no host
   */
  readonly hosts?: readonly string[];
  /** The DNS names the team's ExternalName Services may alias (its ExternalServices by name). @default [] */
  readonly externalNames?: readonly string[];
  /**
   * Address blocks outside the cluster that the team's own network policies may name (an
   * ExternalService given by addresses). Unlike a namespace's `egressTo`, this opens nothing by
   * itself: the service that needs the address still declares it. @default [] - only the namespaces' egressTo
   */
  readonly externalAddresses?: readonly CidrLike[];
  /**
   * The team's folder in AWS Secrets Manager (`teams/shop/`). Each of its namespaces gets a
   * SecretStore reading `<prefix><cluster>/` and nothing else, through which its ExternalSecrets
   * sync; the cluster must run the secrets addon. @default - none: the team's namespaces have no store
   */
  readonly secretsPrefix?: string;
}

/** What the cluster supplies to every team, from its one place in the cluster model. */
export interface TenancyContext {
  /** The API server's OIDC prefixes (pass the cluster model's `OidcSettings`). */
  readonly oidc: OidcPrefixes;
  /** The NodeLocal DNSCache address, when the cluster runs it. @default - not enabled: DNS goes to kube-dns only */
  readonly nodeLocalDnsAddress?: string;
  /** The registry pull secret every ServiceAccount names. @default Platform.imagePullSecret */
  readonly imagePullSecret?: string;
  /** The cluster, when it runs the External Secrets Operator (the secrets addon). @default - none: no team may declare a secretsPrefix */
  readonly secretsManager?: SecretsManagerTarget;
  /** The custom pod-bearing kinds the platform declares (the cluster definition's): deployable, and counted against quota. @default [] */
  readonly podTemplateKinds?: readonly PodTemplateKind[];
}

/** Props of a {@link Team}. */
export interface TeamProps extends TeamDefinition, TenancyContext {}

function environmentRoot(scope: IConstruct): IConstruct {
  return Environment.find(scope) ?? scope.node.root;
}

/**
 * A team and its namespaces (see {@link TeamNamespace}). Two checks need the whole tree and run
 * at synth, over the team's Environment (or the whole App outside one): no namespace is claimed
 * by two teams, and each namespace's quota covers what its workloads need at max replicas plus
 * rollout surge.
 */
export class Team extends Construct {
  /** The team's name. */
  public readonly name: string;
  /** Its namespaces. */
  public readonly namespaces: readonly TeamNamespace[];
  /** Its workload identities. */
  public readonly identities: readonly WorkloadIdentity[];
  /** The host names it serves. */
  public readonly hosts: readonly string[];
  /** The DNS names its ExternalName Services may alias. */
  public readonly externalNames: readonly string[];
  /** The address blocks its network policies may name besides its namespaces' egressTo. */
  public readonly externalAddresses: readonly Cidr[];
  /** The team's Secrets Manager folder, when it has one. */
  public readonly secretsPrefix: string | undefined;
  private readonly podTemplateKinds: readonly PodTemplateKind[];

  public constructor(scope: Construct, id: string, props: TeamProps) {
    super(scope, id);
    props = checkProps(this, Team, props);
    const members = props.members ?? [];
    const namespaces = props.namespaces ?? [{ name: props.name }];
    this.name = checkDnsLabel(props.name, { path: pathOf(this), field: 'name' });
    if (props.owners.length === 0) {
      throw PlatformError.at(this, {
        field: 'owners', value: [], rule: 'must list at least one directory group',
        fix: "name the group that answers for the team's namespaces (e.g. 'payments-owners')",
      });
    }
    for (const [field, groups] of [['owners', props.owners], ['members', members]] as const) {
      const bad = groups.find((g, i) => g.trim() === '' || g !== g.trim() || groups.indexOf(g) !== i);
      if (bad !== undefined) {
        throw PlatformError.at(this, { field, value: bad, rule: 'must list distinct, non-empty group names without surrounding spaces', fix: 'write each directory group once, as the directory spells it' });
      }
    }
    if (namespaces.length === 0) {
      throw PlatformError.at(this, { field: 'namespaces', value: [], rule: 'must list at least one namespace', fix: 'leave namespaces out to get one named after the team' });
    }
    const names = namespaces.map((n) => n.name);
    const repeated = names.find((n, i) => names.indexOf(n) !== i);
    if (repeated !== undefined) {
      throw PlatformError.at(this, { field: 'namespaces', value: repeated, rule: 'lists a namespace twice', fix: 'list each namespace once' });
    }
    if (props.deployer !== undefined && 'githubRepository' in props.deployer) this.checkGithubDeployer(props.deployer.githubRepository, props.oidc);
    const identities = props.identities ?? [];
    const secretsPrefix = props.secretsPrefix === undefined ? undefined : checkSecretsPrefix(pathOf(this), 'secretsPrefix', props.secretsPrefix);
    if (secretsPrefix !== undefined && props.secretsManager === undefined) {
      throw PlatformError.at(this, {
        field: 'secretsPrefix', value: secretsPrefix, rule: 'is set but the cluster runs no External Secrets Operator',
        fix: 'enable the secrets addon in the cluster definition (secrets: {}), or drop secretsPrefix',
      });
    }
    this.secretsPrefix = secretsPrefix;
    this.podTemplateKinds = props.podTemplateKinds ?? [];
    for (const identity of identities) {
      if (identity.serviceAccount === Platform.secretStore) {
        throw PlatformError.at(this, {
          field: 'identities', value: identity.key, rule: `uses the name of the platform's secret-store ServiceAccount (${Platform.secretStore})`,
          fix: 'give the workload identity another name; secretsPrefix gives the store its identity',
        });
      }
      if (!names.includes(identity.namespace)) {
        throw PlatformError.at(this, {
          field: 'identities', value: identity.key, rule: `is in a namespace the team does not own [${names.join(', ')}]`,
          fix: "declare it with the team that owns the namespace, or add the namespace to this team's",
        });
      }
    }
    this.identities = identities;
    this.hosts = (props.hosts ?? []).map((h, i) => parseAt(this, `hosts[${i}]`, () => DnsName.of(h)).toString());
    this.externalAddresses = (props.externalAddresses ?? []).map((c, i) => parseAt(this, `externalAddresses[${i}]`, () => Cidr.of(c)));
    this.externalNames = (props.externalNames ?? []).map((h, i) => parseAt(this, `externalNames[${i}]`, () => DnsName.of(h, { minLabels: 1 })).toString());
    const { namespaces: _namespaces, identities: _identities, hosts: _hosts, externalNames: _externalNames, externalAddresses: _externalAddresses, secretsPrefix: _secretsPrefix, secretsManager: _secretsManager, ...shared } = props; // a TeamNamespace takes none of these
    this.namespaces = namespaces.map((ns) => new TeamNamespace(this, ns.name, {
      ...shared, ...ns, team: this.name, members,
      serviceAccounts: [...(ns.serviceAccounts ?? []), ...identities.filter((i) => i.namespace === ns.name).map((i) => i.serviceAccount)],
    }));
    if (secretsPrefix !== undefined && props.secretsManager !== undefined) {
      const target = props.secretsManager;
      teamSecretStores(target, secretsPrefix, names).forEach((plan, i) => new SecretStore(this.namespaces[i] ?? this, 'secret-store', { plan, target }));
    }
    this.node.addValidation({ validate: () => [...this.claimedTwice(), ...this.quotaShortfalls(), ...this.prefixOverlaps()] });
  }

  private checkGithubDeployer(repository: string, oidc: OidcPrefixes): void {
    if (!isGithubRepository(repository)) {
      throw PlatformError.at(this, { field: 'deployer.githubRepository', value: repository, rule: 'is not a GitHub repository as owner/name', fix: "write it as GitHub shows it, e.g. 'example/shop-services'" });
    }
    if (oidc.ci === undefined || !oidc.ci.repositories.includes(repository)) {
      throw PlatformError.at(this, {
        field: 'deployer.githubRepository', value: repository, rule: `is not among the repositories the cluster's API server admits CI tokens from [${(oidc.ci?.repositories ?? []).join(', ')}]`,
        fix: "add it to the cluster's ciIssuer.repositories (a cluster definition derives them from its teams' deployers)",
      });
    }
  }

  /** A Secrets Manager prefix that contains, or is contained in, an earlier team's: each would read the other's secrets. */
  private prefixOverlaps(): string[] {
    const mine = this.secretsPrefix;
    if (mine === undefined) return [];
    const teams = environmentRoot(this).node.findAll().filter((c): c is Team => c instanceof Team);
    const other = teams.slice(0, teams.indexOf(this)).find((t) => t.secretsPrefix !== undefined && (t.secretsPrefix.startsWith(mine) || mine.startsWith(t.secretsPrefix)));
    if (other === undefined) return [];
    return [formatProblem({
      path: pathOf(this), field: 'secretsPrefix', value: mine, rule: `overlaps team ${other.name}'s ${other.secretsPrefix ?? ''}, so each store could read the other team's secrets`,
      fix: 'give each team a folder that is not inside another\'s',
    })];
  }

  /** The names of the team's namespaces. */
  public get namespaceNames(): readonly string[] {
    return this.namespaces.map((n) => n.name);
  }

  /** Selects every namespace of this team, for network policy peers (`allowFrom` a whole team). */
  public get namespaceSelector(): k8s.LabelSelector {
    return { matchLabels: { [PlatformLabels.team]: this.name } };
  }

  /** Namespaces this team claims that a team earlier in the tree claims too (reported once, by the later team). */
  private claimedTwice(): string[] {
    const teams = environmentRoot(this).node.findAll().filter((c): c is Team => c instanceof Team);
    const earlier = teams.slice(0, teams.indexOf(this));
    return this.namespaceNames.flatMap((ns) => {
      const other = earlier.find((t) => t.namespaceNames.includes(ns));
      if (other === undefined) return [];
      return [formatProblem({
        path: pathOf(this), field: 'namespaces', value: ns,
        rule: `claims a namespace team ${other.name} (${pathOf(other)}) already owns`, fix: 'give each namespace to exactly one team',
      })];
    });
  }

  /** Quota lines for this team's namespaces, over every object of its Environment. */
  private quotaShortfalls(): string[] {
    const mine = new Set(this.namespaceNames);
    const objects = environmentRoot(this).node.findAll()
      .filter((c): c is ApiObject => ApiObject.isApiObject(c))
      .map((o) => o.toJson() as unknown)
      .filter((json) => mine.has(identityOf(json).namespace));
    return checkQuotas(objects, this.podTemplateKinds).map((p) => `${pathOf(this)}: ${p}`); // the team that declares the quota
  }
}

/**
 * Adds a team as its own Chart (`team-<name>`, one file) under `scope` (the cluster's
 * Environment): the entry point a cluster definition's teams go through.
 */
export function addTeam(scope: Construct, props: TeamProps): Team {
  const chart = new PlatformChart(scope, `team-${props.name}`, { phase: 'teams' });
  return new Team(chart, props.name, props);
}
