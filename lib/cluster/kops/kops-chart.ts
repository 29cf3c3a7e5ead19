import type { Construct } from 'constructs';
import { PlatformChart } from '../../core';
import { KopsCluster, type KopsClusterProps } from './kops-cluster';
import { checkProps } from '../../core/props-check';

/**
 * The chart of a cluster's kops objects. They are handed to `kops replace -f` (after the stack
 * fills the cloud values), not applied, so they go to `dist/<cluster>/kops/`.
 */
export class KopsChart extends PlatformChart {
  /** The cluster model. */
  public readonly kops: KopsCluster;

  public constructor(scope: Construct, id: string, props: KopsClusterProps) {
    super(scope, id, { phase: 'crds', outputFolder: 'kops' });
    props = checkProps(this, KopsChart, props);
    this.kops = new KopsCluster(this, 'kops', props);
  }
}
