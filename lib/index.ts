// The public API of platform-constructs: chosen, named exports (api/platform-constructs.api.md
// lists them; `npm run api` regenerates it and CI fails when it differs). It loads no Pulumi
// module: Pulumi components live in `@example/platform-constructs/aws`.
export { AcmeIssuers, type AcmeIssuersProps, type AcmeServer } from './addons/edge/acme-issuers';
export { Edge, type EdgeDefinition, type EdgeProps } from './addons/edge/edge';
export { edgeAddon } from './addons/edge/edge-addon';
export { EdgeProxy, type EdgeProxyProps, type LoadBalancerProps, type LoadBalancerScheme, type ProxyScale } from './addons/edge/edge-proxy';
export { EnvoyGatewayController, type EdgeControllerProps } from './addons/edge/envoy-gateway-controller';
export { ACME_SERVERS } from './addons/edge/acme-issuers';
export { CONTROLLER_PORTS, EDGE_IMAGES, PROXY_PORTS } from './addons/edge/images';
export { isInZone } from './addons/edge/edge-checks';
export { PlatformGateway, type PlatformGatewayProps } from './addons/edge/platform-gateway';
export { GatewayRoute, PLATFORM_GATEWAY, hostObjectName, type GatewayRef, type GatewayRouteProps, type RetryTrigger, type RouteRetryProps } from './apps/gateway-route';
export { EdgeNetworkPolicies, type EdgeNetworkPoliciesProps } from './addons/edge/edge-network-policies';
export { HostCertificate, type HostCertificateProps } from './addons/edge/host-certificate';
export { Alertmanager, type AlertmanagerProps, type AlertmanagerSizing } from './addons/monitoring/alertmanager';
export { type AlertmanagerConfigProps, type InhibitRuleProps, type MatcherProps, type ReceiverProps, type RenderedAlertmanagerConfig, type TeamRouteProps } from './addons/monitoring/alertmanager-config';
export { BlackboxExporter, type BlackboxExporterProps, type BlackboxModule } from './addons/monitoring/blackbox-exporter';
export { PROMETHEUS_DATASOURCE_UID, type DashboardSpec, type PanelSpec } from './addons/monitoring/dashboards';
export { Grafana, type GrafanaOidcProps, type GrafanaProps } from './addons/monitoring/grafana';
export { KubeStateMetrics, type KubeStateMetricsProps } from './addons/monitoring/kube-state-metrics';
export { Monitoring, addMonitoring, type MonitoringGrafanaProps, type MonitoringProps, type MonitoringSizing, type ScrapedService } from './addons/monitoring/monitoring';
export { monitoringAddon, type MonitoringDefinition } from './addons/monitoring/monitoring-addon';
export { MonitoringNetworkPolicies, type MonitoringNetworkPoliciesProps } from './addons/monitoring/monitoring-network-policies';
export { NodeExporter, type NodeExporterProps } from './addons/monitoring/node-exporter';
export { ETCD_METRICS_AUDIENCE, ETCD_METRICS_NAMESPACE, ETCD_PROXY_PORTS, EtcdMetricsProxy, type EtcdMetricsProxyProps } from './addons/monitoring/etcd-metrics-proxy';
export { PlatformProbe, type PlatformProbeProps } from './addons/monitoring/platform-probe';
export { Prometheus, type PrometheusProps, type PrometheusSizing } from './addons/monitoring/prometheus';
export { RuleGroup, type AlertRuleProps, type RecordingRuleProps, type RenderedRule, type RenderedRuleGroup, type RuleGroupProps, type Severity } from './addons/monitoring/rule-group';
export { type AutoscalingProps, type AvailabilityProps, type ReplicaPlan, type RolloutProps, type ShutdownProps } from './apps/availability';
export { type ConfigProps, type RenderedConfig } from './apps/config';
export { type PortProps, type SidecarProps } from './apps/container';
export { parseCronSchedule } from './apps/cron-schedule';
export { CronTask, type CronTaskOverrides, type CronTaskProps } from './apps/cron-task';
export { type DeploymentVariant, type MemoryStaggerProps } from './apps/deployment-set';
export { type EnvoyRetryProps, type EnvoySidecarProps, type EnvoyUpstream } from './apps/envoy';
export { EXTERNAL_SECRETS_API_VERSION, ExternalSecret, type ExternalSecretProps } from './apps/external-secret';
export { ExternalService, type ExternalServiceOverrides, type ExternalServiceProps } from './apps/external-service';
export { type ContainerOverrides } from './apps/overrides';
export { MigrationJob, RUN_BEFORE_ANNOTATION, type MigrationJobProps } from './apps/migration-job';
export { ServiceReference, type ExternalEndpoint, type NetworkEndpoint } from './apps/network-access';
export { Probe, type PortProbeOptions, type ProbeOptions } from './apps/probe';
export { type ComputeAmounts, type Resources, type ResourcesProps } from './apps/resources';
export { SCRAPE_LABEL, type MetricsProps, type ScrapeDeclaration } from './apps/scrape';
export { type SecretKeyRef, type SecretVolume } from './apps/secrets';
export { addServiceGroup, type ServiceGroup } from './apps/service-group';
export { StatefulService, type StatefulServiceProps, type VolumeClaimProps } from './apps/stateful-service';
export { WebService, type IngressProps, type WebServiceOverrides, type WebServiceProps } from './apps/web-service';
export { Worker, type WorkerOverrides, type WorkerProps } from './apps/worker';
export { Workload, type ExtraContainer, type PodOptions, type WorkloadProps } from './apps/workload';
export { NODE_LOCAL_DNS_ADDRESS, type ClusterAutoscalerProps, type KopsAddonsProps } from './cluster/kops/addons';
export { AUDIT_POLICY, AUDIT_POLICY_PATH, type ApiServerProps } from './cluster/kops/api-server';
export { type MixedInstancesProps, type NodeGroupProps, type SpotAllocationStrategy } from './cluster/kops/instance-groups';
export { KopsChart } from './cluster/kops/kops-chart';
export { KopsCluster, type KopsClusterProps } from './cluster/kops/kops-cluster';
export { type EvictionThresholds, type KubeletProps, type ReservedResources } from './cluster/kops/kubelet';
export { ETCD_METRICS_PORTS, type EtcdProps, type MasterGroup, type MastersProps } from './cluster/kops/masters';
export { type CalicoMode, type CalicoProps, type FlannelProps, type NetworkingProps } from './cluster/kops/networking';
export { KubernetesVersion } from './cluster/kubernetes-version';
export { planNetwork, type NatMode, type NetworkPlan, type NetworkPlanProps, type PlannedSubnet, type ZoneSubnets } from './cluster/network-plan';
export { OidcSettings, type OidcProps } from './cluster/oidc';
export { Cidr, isIpv4, type CidrLike } from './core/cidr';
export { CLOUD_VALUE_PATTERN, CloudValues, cloudValue, fillCloudValues, listCloudValues, type CloudValue } from './core/cloud-values';
export { type ClusterFacts, type EtcdMetricsPorts, type NodeGroupFacts, type NodeTaint, type NodeToleration, type OidcFacts } from './core/cluster-facts';
export { DEPLOY_PHASES, type DeployPhase } from './core/deploy-phase';
export { DnsName, type DnsNameRules } from './core/dns-name';
export { Duration, type DurationLike } from './core/duration';
export { Environment, type EnvironmentProps } from './core/environment';
export { PlatformError, formatProblem, parseAt, pathOf, type ProblemDetail } from './core/errors';
export { problemsOf } from './core/attempt';
export { ImageRef, type ImageRefLike } from './core/image-ref';
export { checkDnsLabel, isDnsLabel } from './core/names';
export { CLUSTER_SCOPED_KINDS, describeObject, objectIdentity, objectKey, type IdentifiableObject, type ObjectIdentity } from './core/object-identity';
export { GATEWAY_PROXY_LABELS, Platform, PlatformLabels, labelValue, selectorLabels, standardLabels, type StandardLabelsInput } from './core/platform';
export { PlatformChart, type PlatformChartProps } from './core/platform-chart';
export { Quantity, type QuantityLike } from './core/quantity';
export { PLATFORM_SECRETS_PREFIX, platformSecretName, secretConfigKey, writtenByStack, type SecretDeclaration, type SecretSource } from './core/secret-declaration';
export { WorkloadIdentity, type IamStatement, type WorkloadIdentityProps } from './core/workload-identity';
export { type AddonContext, type AddonFacts, type AddonSpec, type ClusterContribution, type PrometheusRuleFiles, type PublishedFile } from './addons/addon-spec';
export { ADDONS, type AddonDefinitions, type AddonKey } from './platform/addons';
export { buildCluster, buildClusterApp, buildClusterChecked, clusterSecrets, type CheckedCluster, type ClusterFile, type PlatformCluster } from './platform/cluster-app';
export { sharedAudiences } from './platform/cluster-set';
export { deriveCluster, type ClusterDefinition, type ClusterOverrides, type KubernetesModel } from './platform/cluster-definition';
export { checkPolicy, type ExemptionInForce, type PolicyReport, type PolicyViolation } from './policy/check';
export { Exemption, type DeclaredExemption, type ExemptionProps } from './policy/exemption';
export { type PodSecurityLevel, type PodSecurityMetadata, type PodSecurityProps } from './policy/pod-security';
export { type PolicyRule } from './policy/rules';
export { type PodTemplateKind } from './policy/tenancy-facts';
export { APPLY_STEPS, applyLayout, stepFolder, type ApplyStep, type WrittenFile } from './synth/apply-layout';
export { renderApp, type RenderResult, type RenderedFile } from './synth/render';
export { buildServiceRepoApp, checkServiceRepo, synthServiceRepo, type ServiceRepoProps } from './synth/service-repo';
export { renderAll, synthesize, type Synthesized } from './synth/synthesize';
export { checkClusters, formatReport, reported, writeOrReport, type CheckedRun, type ReportSection } from './synth/report';
export { KUBERNETES_NAMESPACES, addressesInOtherClusters, type ClusterNetwork } from './synth/tree-checks';
export { type OutputFile } from './synth/write';
export { PlatformNamespace, type PlatformNamespaceProps } from './tenancy/platform-namespace';
export { type ComputeQuota, type ContainerLimitsProps, type QuotaProps } from './tenancy/quota';
export { type DeployIdentity, type OidcPrefixes, type OwnerAccess } from './tenancy/rbac';
export { Team, addTeam, type TeamDefinition, type TeamProps, type TenancyContext } from './tenancy/team';
export { TeamNamespace, type TeamNamespaceOptions, type TeamNamespaceProps } from './tenancy/team-namespace';
export { KOPS_IRSA_AUDIENCE, SecretStore, planSecretStore, teamSecretStores, type SecretStorePlan, type SecretStoreProps, type SecretsManagerTarget } from './tenancy/secret-store';
export {
  secretsAddon, ExternalSecretsOperator, ExternalSecretsCrds, PlatformSecrets, EXTERNAL_SECRETS_IMAGE,
  type SecretsDefinition, type ExternalSecretsOperatorProps, type PlatformSecretsProps,
} from './addons/external-secrets';
export {
  identityAddon, activeDirectory, openLdapDirectory, clusterDescriptor, mergeKubeconfig, parseDescriptor,
  type IdentityProps, type DexOptions, type DirectoryPresetProps, type LdapDirectoryProps, type LdapGroupSearch, type LdapScope,
  type LdapSecurity, type LdapUserMatcher, type LdapUserSearch, type ClusterGrantProps, type PlatformAccessProps,
  type ClusterAudienceProps, type WebClientProps, type ClusterDescriptor, type LoginOptions, type TokenCache,
} from './addons/identity';
export {
  loggingAddon, loggingAlerts, lossBudget,
  type LoggingDefinition, type LoggingKibanaProps, type MmapMode, type NodeSetProps, type ElasticsearchRole, type ContainerIndexMode,
  type RetentionProps, type LossBudget, type LossBudgetProps, type LoggingAlertProps,
} from './addons/logging';
export {
  Slo, Sli, defineSlo, readSloDefinitions, sloService, sloAddon, sloGateDescriptor, gateDescriptor, parseGateDescriptor, renderSloRuleFile,
  burnRateFactor, burnTiers, runGate, GATE_EXIT, SLO_PERIODS, DEFAULT_ALERT_WINDOWS,
  type SloDefinition, type SloOverrides, type SloProps, type SloService, type SloTarget, type SliProps, type EventsSliProps, type HttpErrorsSliProps,
  type HttpLatencySliProps, type RawSliProps, type SloPeriod, type AlertWindows, type BurnTier, type SloAddonProps,
  type GateDescriptor, type GateEndpoint, type GateAuth, type GateVerdict, type GateResult,
} from './addons/slo';
