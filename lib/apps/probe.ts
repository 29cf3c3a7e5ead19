import type { IConstruct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { Duration, PlatformError, parseAt, type DurationLike } from '../core';

/** Timing of a probe. */
export interface ProbeOptions {
  /** Wait before the first check. @default 0s */
  readonly initialDelay?: DurationLike;
  /** Time between checks. @default 10s */
  readonly period?: DurationLike;
  /** Time a check may take. @default 1s */
  readonly timeout?: DurationLike;
  /** Consecutive failures that count as failed. @default 3 */
  readonly failureThreshold?: number;
}

/** Options of a probe that connects to a port. */
export interface PortProbeOptions extends ProbeOptions {
  /** The container port, by name or number. @default - the container's first port */
  readonly port?: string | number;
}

type Action =
  | { readonly kind: 'http'; readonly path: string; readonly port: string | number | undefined }
  | { readonly kind: 'tcp'; readonly port: string | number | undefined }
  | { readonly kind: 'exec'; readonly command: readonly string[] };

/** A readiness, liveness or startup check: HTTP GET, TCP connect or a command. */
export class Probe {
  /** Healthy when `GET path` answers 2xx/3xx. */
  public static http(path: string, options: PortProbeOptions = {}): Probe {
    return new Probe({ kind: 'http', path, port: options.port }, options);
  }

  /** Healthy when the port accepts a TCP connection. */
  public static tcp(options: PortProbeOptions = {}): Probe {
    return new Probe({ kind: 'tcp', port: options.port }, options);
  }

  /** Healthy when the command exits 0. */
  public static exec(command: readonly string[], options: ProbeOptions = {}): Probe {
    return new Probe({ kind: 'exec', command }, options);
  }

  private constructor(private readonly action: Action, private readonly options: ProbeOptions) {}

  /** The Kubernetes probe; `defaultPort` is the container's first port, if any. */
  public render(scope: IConstruct, field: string, defaultPort: string | undefined): k8s.Probe {
    const o = this.options;
    const seconds = (name: string, value: DurationLike | undefined, fallback: number): number =>
      value === undefined ? fallback : parseAt(scope, `${field}.${name}`, () => Duration.of(value)).toSeconds();
    const failureThreshold = o.failureThreshold ?? 3;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw PlatformError.at(scope, { field: `${field}.failureThreshold`, value: failureThreshold, rule: 'must be a whole number >= 1', fix: 'use 1 or more' });
    }
    const timing = {
      initialDelaySeconds: seconds('initialDelay', o.initialDelay, 0),
      periodSeconds: Math.max(1, seconds('period', o.period, 10)),
      timeoutSeconds: Math.max(1, seconds('timeout', o.timeout, 1)),
      failureThreshold,
    };
    const a = this.action;
    if (a.kind === 'exec') {
      if (a.command.length === 0) {
        throw PlatformError.at(scope, { field: `${field}.command`, value: [], rule: 'must not be empty', fix: 'give the command and its arguments' });
      }
      return { exec: { command: [...a.command] }, ...timing };
    }
    const port = a.port ?? defaultPort;
    if (port === undefined) {
      throw PlatformError.at(scope, { field: `${field}.port`, rule: 'is not set and the container has no port', fix: 'declare a port on the container or give the probe a port' });
    }
    const target = typeof port === 'number' ? k8s.IntOrString.fromNumber(port) : k8s.IntOrString.fromString(port);
    if (a.kind === 'tcp') return { tcpSocket: { port: target }, ...timing };
    if (!a.path.startsWith('/')) {
      throw PlatformError.at(scope, { field: `${field}.path`, value: a.path, rule: "must start with '/'", fix: "write an absolute path such as '/healthz'" });
    }
    return { httpGet: { path: a.path, port: target }, ...timing };
  }
}
