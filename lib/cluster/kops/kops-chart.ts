import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { IFolderChart } from '../../synth/render';
import { KopsCluster, type KopsClusterProps } from './kops-cluster';

/**
 * The chart of a cluster's kops objects. They are handed to `kops replace -f` (after the stack
 * fills the cloud values), not applied, so they go to `dist/<cluster>/kops/`.
 */
export class KopsChart extends Chart implements IFolderChart {
  /** The output folder the renderer writes this chart to. */
  public readonly outputFolder = 'kops';
  /** The cluster model. */
  public readonly kops: KopsCluster;

  public constructor(scope: Construct, id: string, props: KopsClusterProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.kops = new KopsCluster(this, 'kops', props);
  }
}
