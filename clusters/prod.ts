import type { ClusterDefinition } from '../lib';
import { blog } from './services/blog';
import { orders } from './services/orders';
import { storefront } from './services/storefront';

/** The production cluster. */
export const prod: ClusterDefinition = {
  name: 'prod',
  environment: 'prod',
  region: 'eu-west-1',
  services: [orders, storefront, blog],
};
