import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { ImageRef, PlatformError, checkDnsLabel, parseAt, pathOf, type ImageRefLike } from '../core';
import { checkNames, checkPlainValues } from './config';
import type { Probe } from './probe';
import { renderResources, resolveResources, type Resources, type ResourcesProps } from './resources';
import type { SecretKeyRef } from './secrets';

/** A port a container listens on. */
export interface PortProps {
  /** The port's name (an IANA service name: at most 15 lowercase letters, digits and '-'). */
  readonly name: string;
  /** The port number, 1-65535. */
  readonly port: number;
  /** @default 'TCP' */
  readonly protocol?: 'TCP' | 'UDP';
}

/** What runs in one container. */
export interface ContainerOptions {
  /** The image, pinned by tag or digest (`'registry.example.com/shop/api:1.4.2'`). */
  readonly image: ImageRefLike;
  /** Overrides the image's entrypoint. @default - the image's ENTRYPOINT */
  readonly command?: readonly string[];
  /** Arguments to the entrypoint. @default - the image's CMD */
  readonly args?: readonly string[];
  /** Plain environment variables; names that look like credentials are refused. @default {} */
  readonly env?: Readonly<Record<string, string>>;
  /** Environment variables read from Secret keys (`{ DB_PASSWORD: { secret: 'db', key: 'password' } }`). @default {} */
  readonly secretEnv?: Readonly<Record<string, SecretKeyRef>>;
  /** Requests and limits. @default - see ResourcesProps */
  readonly resources?: ResourcesProps;
  /** Ports the container listens on. @default - see the construct */
  readonly ports?: readonly PortProps[];
  /** Readiness check; `false` turns it off. @default - see the construct */
  readonly readiness?: Probe | false;
  /** Liveness check; `false` turns it off. @default - see the construct */
  readonly liveness?: Probe | false;
  /** Startup check, for slow starters. @default - none */
  readonly startup?: Probe;
  /** Paths that get a writable emptyDir, since the root filesystem is read-only. @default ['/tmp'] */
  readonly writablePaths?: readonly string[];
}

/** A second container in the pod (nginx in front of php-fpm, an Envoy proxy). */
export interface SidecarProps extends ContainerOptions {
  /** The container's name. */
  readonly name: string;
}

/** What the pod around a container adds to it. */
export interface ContainerContext {
  readonly field: string;
  readonly defaultReadiness: Probe | undefined;
  readonly defaultLiveness: Probe | undefined;
  readonly env?: readonly k8s.EnvVar[];
  readonly envFrom?: readonly k8s.EnvFromSource[];
  readonly mounts?: readonly k8s.VolumeMount[];
  readonly lifecycle?: k8s.Lifecycle;
}

/** A rendered container and the volumes it needs. */
export interface BuiltContainer {
  readonly container: k8s.Container;
  readonly volumes: readonly k8s.Volume[];
  readonly image: ImageRef;
  readonly resources: Resources;
}

const PORT_NAME = /^(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$/;

function checkPorts(scope: Construct, field: string, ports: readonly PortProps[]): void {
  for (const p of ports) {
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) {
      throw PlatformError.at(scope, { field: `${field}.${p.name}`, value: p.port, rule: 'must be a port number from 1 to 65535', fix: 'use the port the process listens on' });
    }
    if (p.name.length > 15 || !PORT_NAME.test(p.name)) {
      throw PlatformError.at(scope, { field, value: p.name, rule: 'is not a valid port name', fix: "use at most 15 lowercase letters, digits and single '-', with at least one letter (e.g. 'http', 'metrics')" });
    }
  }
}

/** Renders one container with the platform's security settings; they are not optional here. */
export function buildContainer(scope: Construct, name: string, options: ContainerOptions, ctx: ContainerContext): BuiltContainer {
  const f = ctx.field;
  checkDnsLabel(name, { path: pathOf(scope), field: `${f}.name` });
  const image = parseAt(scope, `${f}.image`, () => ImageRef.of(options.image));
  const ports = options.ports ?? [];
  checkPorts(scope, `${f}.ports`, ports);
  const plainEnv = options.env ?? {};
  checkPlainValues(scope, `${f}.env`, plainEnv, 'env');
  const secretEnv = Object.entries(options.secretEnv ?? {});
  checkNames(scope, `${f}.secretEnv`, secretEnv.map(([k]) => k), 'env');

  const resources = resolveResources(scope, `${f}.resources`, options.resources);
  const firstPort = ports[0]?.name;
  const probe = (kind: 'readiness' | 'liveness', given: Probe | false | undefined, fallback: Probe | undefined) => {
    const chosen = given === false ? undefined : (given ?? fallback);
    return chosen?.render(scope, `${f}.${kind}`, firstPort);
  };
  const readinessProbe = probe('readiness', options.readiness, ctx.defaultReadiness);
  const livenessProbe = probe('liveness', options.liveness, ctx.defaultLiveness);
  const startupProbe = options.startup?.render(scope, `${f}.startup`, firstPort);

  const writable = (options.writablePaths ?? ['/tmp']).map((mountPath, i) => ({ name: `${name}-rw${i}`, mountPath }));
  const env: k8s.EnvVar[] = [
    ...(ctx.env ?? []),
    ...Object.entries(plainEnv).map(([k, v]) => ({ name: k, value: v })),
    ...secretEnv.map(([k, ref]) => ({ name: k, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key } } })),
  ];
  const container: k8s.Container = {
    name,
    image: image.toString(),
    imagePullPolicy: 'IfNotPresent',
    ...(options.command === undefined ? {} : { command: [...options.command] }),
    ...(options.args === undefined ? {} : { args: [...options.args] }),
    ...(ports.length === 0 ? {} : { ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })) }),
    ...(env.length === 0 ? {} : { env }),
    ...(ctx.envFrom === undefined || ctx.envFrom.length === 0 ? {} : { envFrom: [...ctx.envFrom] }),
    resources: renderResources(resources),
    ...(ctx.lifecycle === undefined ? {} : { lifecycle: ctx.lifecycle }),
    ...(readinessProbe === undefined ? {} : { readinessProbe }),
    ...(livenessProbe === undefined ? {} : { livenessProbe }),
    ...(startupProbe === undefined ? {} : { startupProbe }),
    securityContext: {
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
    },
    volumeMounts: [...writable.map((w) => ({ name: w.name, mountPath: w.mountPath })), ...(ctx.mounts ?? [])],
  };
  return { container, volumes: writable.map((w) => ({ name: w.name, emptyDir: {} })), image, resources };
}
