import type { ClusterDefinition } from '../lib';
import { ciRunner } from './services/ci-runner';

/** The admin cluster: CI and the platform's shared services. */
export const admin: ClusterDefinition = {
  name: 'admin',
  environment: 'admin',
  region: 'eu-west-1',
  services: [ciRunner],
};
