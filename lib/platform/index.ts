export * from './cluster-definition';
export * from './cluster-app';
export * from './addons';
export * from './definition-checks';
