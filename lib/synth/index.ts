export * from './render';
export * from './write';
export * from './synthesize';
export * from './service-repo';
export * from './tree-checks';
export * from './report';
export * from './apply-layout';
