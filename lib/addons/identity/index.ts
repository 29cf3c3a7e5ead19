export { identityAddon, identitySecrets, type IdentityProps, type DexOptions } from './identity';
export { Dex, DEX_IMAGE, DEX_NAME, DEX_USER, issuerHost, type DexProps } from './dex';
export { DEX_HTTP_PORT, DEX_TELEMETRY_PORT, LDAP_CONNECTOR_ID, renderDexConfig, type DexConfigInput } from './dex-config';
export { DexCrds, DEX_API_GROUP, DEX_RESOURCES } from './dex-crds';
export { DexNetworkPolicies, type DexNetworkPoliciesProps } from './dex-network-policies';
export { addDexRoute, type DexRouteProps } from './dex-route';
export {
  activeDirectory, openLdapDirectory, renderLdapConnector, AD_USER_FILTER, BIND_PASSWORD_ENV, DEFAULT_BIND_PASSWORD, LDAP_CA_DIR,
  type DirectoryPresetProps, type LdapConnectorConfig, type LdapDirectoryProps, type LdapGroupSearch, type LdapScope,
  type LdapSecurity, type LdapUserMatcher, type LdapUserSearch,
} from './ldap-directory';
export { PlatformAccess, type ClusterGrantProps, type PlatformAccessProps } from './platform-access';
export {
  clientSecretEnv, clusterClientId, kubernetesClients, webClients,
  type ClusterAudienceProps, type DexStaticClient, type ResolvedWebClient, type WebClientProps,
} from './static-clients';
export { clusterDescriptor, kubeloginExec, loginUserName, mergeKubeconfig, parseDescriptor, type ApiEndpoint, type ClusterDescriptor, type LoginOptions, type TokenCache } from './kubeconfig';
export { descriptorPath, kubeconfigPath, runLogin, type LoginEnvironment } from './login-command';
