export * from './rules';
export * from './pod-security';
export * from './exemption';
export * from './check';
