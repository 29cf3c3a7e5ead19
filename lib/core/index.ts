export * from './errors';
export * from './quantity';
export * from './image-ref';
export * from './duration';
export * from './cidr';
export * from './names';
export * from './platform';
export * from './workload-identity';
