export * from './rules';
export * from './pod-security';
export * from './exemption';
export * from './check';
export { ALWAYS_RESERVED, declareTenancyFacts, type PodTemplateKind, type ReservedRange, type TenancyFacts, type TenantNamespaceFacts } from './tenancy-facts';
