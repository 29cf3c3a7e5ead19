import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { DeployPhase } from './deploy-phase';
import { checkProps } from './props-check';

/** Props of a {@link PlatformChart}. */
export interface PlatformChartProps {
  /** When the deployer applies its objects. */
  readonly phase: DeployPhase;
  /**
   * The folder under `dist/<cluster>/` its file goes to. Only `manifests/` is applied; the kops
   * objects go to `kops/`, handed to kops instead. @default 'manifests'
   */
  readonly outputFolder?: string;
  /** The namespace of every object in it that names none (service groups). @default - none */
  readonly namespace?: string;
}

/**
 * A chart that declares where its file goes and when it is applied, so neither is guessed from
 * its name. Object names are never hashed: they are the names the constructs give.
 */
export class PlatformChart extends Chart {
  /** The deploy phase of a chart: its declaration, or `services` for a plain Chart (a service repo's own). */
  public static phaseOf(chart: Chart): DeployPhase {
    return isPlatformChart(chart) ? chart.phase : 'services';
  }

  /** The output folder of a chart: its declaration, or `manifests` for a plain Chart. */
  public static folderOf(chart: Chart): string {
    return isPlatformChart(chart) ? chart.outputFolder : 'manifests';
  }

  public readonly phase: DeployPhase;
  public readonly outputFolder: string;

  public constructor(scope: Construct, id: string, props: PlatformChartProps) {
    super(scope, id, { disableResourceNameHashes: true, ...(props.namespace === undefined ? {} : { namespace: props.namespace }) });
    props = checkProps(this, PlatformChart, props);
    this.phase = props.phase;
    this.outputFolder = props.outputFolder ?? 'manifests';
  }
}

// Not `instanceof`: cdk8s's Chart defines Symbol.hasInstance (any chart is an `instanceof` every
// Chart subclass), which made a plain Chart read as a PlatformChart with no phase or folder.
function isPlatformChart(chart: Chart): chart is PlatformChart {
  return Object.prototype.isPrototypeOf.call(PlatformChart.prototype, chart);
}
