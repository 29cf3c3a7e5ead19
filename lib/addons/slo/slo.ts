import { Construct, type IConstruct } from 'constructs';
import { WebService } from '../../apps/web-service';
import { Worker } from '../../apps/worker';
import { Environment, PlatformError, pathOf } from '../../core';
import { defineSlo, type SloDefinition, type SloProps, type SloService } from './slo-definition';
import { checkProps } from '../../core/props-check';

/** A service an SLO can be put on: a WebService or a Worker. */
export type SloTarget = WebService | Worker;

/** The SLO's view of a service: its name, namespace, and the `service` label its scraped series carry. */
export function sloService(service: SloTarget): SloService {
  // A Worker is discovered through its headless `<name>-metrics` Service (lib/apps/worker.ts).
  const metricsService = service instanceof Worker ? `${service.name}-metrics` : service.name;
  return { name: service.name, namespace: service.namespace, metricsService, scraped: service.scrape !== undefined };
}

/**
 * A service level objective on a service: the objective, the period, the SLI, the owning team and
 * the runbook. It is checked against the service when created (the service must declare metrics)
 * and resolves to an {@link SloDefinition} (with the `overrides` of its environment applied), from which the SLO addon writes Sloth-style rules and
 * the release gate reads its queries.
 *
 * @example
 * new Slo(api, 'availability', { objective: 99.9, sli: Sli.httpErrors(), team: 'shop', runbook: 'https://runbooks.example.com/shop/orders-api' });
 */
export class Slo extends Construct {
  /** The SLOs put on `service`, in the order they were created. */
  public static of(service: SloTarget): readonly Slo[] {
    return service.node.children.filter((c): c is Slo => c instanceof Slo);
  }

  /**
   * The definitions of every SLO under `scope` (a cluster's Environment or a service repo's App),
   * in tree order: what the composition root hands the SLO addon.
   */
  public static definitionsIn(scope: IConstruct): readonly SloDefinition[] {
    return scope.node.findAll().filter((c): c is Slo => c instanceof Slo).map((s) => s.definition);
  }

  /** The SLO resolved against its service. */
  public readonly definition: SloDefinition;

  public constructor(service: SloTarget, id: string, props: SloProps) {
    super(service, id);
    props = checkProps(this, Slo, props);
    if (!(service instanceof WebService || service instanceof Worker)) {
      throw PlatformError.at(this, { field: 'scope', rule: 'is not a WebService or Worker', fix: 'create the Slo with the service as its scope: new Slo(api, ...)' });
    }
    const name = props.name ?? id;
    const twin = Slo.of(service).find((s) => s !== this && s.definition.name === name);
    if (twin !== undefined) {
      throw PlatformError.at(this, {
        field: 'name', value: name, rule: `is already the name of an SLO on service ${service.name} (${pathOf(twin)})`,
        fix: 'give every SLO of a service its own name (availability, latency)',
      });
    }
    const override = Environment.of(service).overrideFor(this, 'overrides', props.overrides) ?? {};
    this.definition = defineSlo(pathOf(this), sloService(service), name, { ...props, ...override });
  }
}
