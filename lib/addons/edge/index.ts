export * from './cloud-values';
export * from './front-nodes';
export * from './ingress-nginx';
export * from './acme-issuers';
export * from './host-certificate';
export * from './edge-checks';
export * from './edge-network-policies';
export * from './edge';
