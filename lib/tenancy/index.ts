export * from './rbac';
export * from './quota';
export * from './quota-check';
export * from './network-policies';
export * from './team-namespace';
export * from './team';
export * from './platform-namespace';
export * from './secret-store';
