// The public API of platform-constructs. It loads no Pulumi module: Pulumi components live in
// `platform-constructs/aws`.
export * from './core';
export * from './apps';
export * from './tenancy';
export * from './policy';
export * from './cluster';
export * from './platform';
export * from './addons';
export * from './synth';
