import { deriveCluster } from '../lib';
import { prod } from './prod';

/** Stage mirrors prod: the same services, with stage's overrides (fewer replicas, stage hosts). */
export const stage = deriveCluster(prod, { name: 'stage', environment: 'stage' });
