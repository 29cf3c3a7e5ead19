import { deriveCluster } from '../lib';
import { prod } from './prod';

/** The cluster that rehearses upgrades and tests the platform itself: prod's services at their smallest. */
export const e2e = deriveCluster(prod, { name: 'e2e', environment: 'e2e', region: 'eu-central-1' });
