import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';
import { PlatformError, contentHash } from '../core';
import { looksLikeCredential } from '../core';

/** Configuration of a service, immutable per release. */
export interface ConfigProps {
  /** Keys and values. Keys that look like credentials are refused: reference a Secret instead. */
  readonly data: Readonly<Record<string, string>>;
  /**
   * `env`: each key becomes an environment variable of the main container.
   * `configMap`: an immutable ConfigMap named `<service>-config-<hash of data>`, read as
   * environment variables or mounted at `mountPath`. Either way a change of content changes
   * the pod template, so pods roll like on a new image.
   * @default 'configMap'
   */
  readonly as?: 'env' | 'configMap';
  /** With `as: 'configMap'`, mount the keys as files here instead of reading them as env. @default - read as env */
  readonly mountPath?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

/** Checks that every name is a valid environment variable name (`env`) or ConfigMap key (`file`). */
export function checkNames(scope: Construct, field: string, names: readonly string[], keyPattern: 'env' | 'file'): void {
  for (const name of names) {
    const pattern = keyPattern === 'env' ? ENV_NAME : CONFIG_KEY;
    if (!pattern.test(name)) {
      throw PlatformError.at(scope, {
        field, value: name, rule: keyPattern === 'env' ? 'is not a valid environment variable name' : 'is not a valid ConfigMap key',
        fix: keyPattern === 'env' ? 'use letters, digits and _, not starting with a digit' : 'use letters, digits, -, _ and .',
      });
    }
  }
}

/** Checks a map of plain values (env or config): valid names, and none that looks like a credential. */
export function checkPlainValues(scope: Construct, field: string, values: Readonly<Record<string, string>>, keyPattern: 'env' | 'file'): void {
  checkNames(scope, field, Object.keys(values), keyPattern);
  for (const name of Object.keys(values)) {
    if (looksLikeCredential(name)) {
      throw PlatformError.at(scope, {
        field: `${field}.${name}`, rule: 'looks like a credential and is given as a literal value',
        fix: 'store it in a Secret and reference it through secretEnv or secretVolumes',
      });
    }
  }
}

/**
 * An immutable ConfigMap named `<baseName>-<hash of data>`: a change of content is a new name,
 * so the pods that read it roll. Returns the name. `namespace` defaults to the chart's.
 */
export function addHashedConfigMap(scope: Construct, id: string, baseName: string, labels: Record<string, string>, data: Readonly<Record<string, string>>, namespace?: string): string {
  const name = `${baseName}-${contentHash(data)}`;
  new k8s.KubeConfigMap(scope, id, { metadata: { name, ...(namespace === undefined ? {} : { namespace }), labels }, data: { ...data }, immutable: true });
  return name;
}

/** How the main container reads the config. */
export interface RenderedConfig {
  readonly env: k8s.EnvVar[];
  readonly envFrom: k8s.EnvFromSource[];
  readonly volumes: k8s.Volume[];
  readonly mounts: k8s.VolumeMount[];
}

/**
 * Renders a service's config: as env entries, or as an immutable ConfigMap whose name carries
 * the hash of its content (`<name>-config-<hash>`), created in `scope`.
 */
export function renderConfig(scope: Construct, name: string, labels: Record<string, string>, config: ConfigProps | undefined): RenderedConfig {
  const none: RenderedConfig = { env: [], envFrom: [], volumes: [], mounts: [] };
  if (config === undefined) return none;
  const as = config.as ?? 'configMap';
  const mounted = as === 'configMap' && config.mountPath !== undefined;
  checkPlainValues(scope, 'config.data', config.data, mounted ? 'file' : 'env');
  if (as === 'env') {
    if (config.mountPath !== undefined) {
      throw PlatformError.at(scope, { field: 'config.mountPath', value: config.mountPath, rule: "needs as: 'configMap'", fix: "set as: 'configMap' or drop mountPath" });
    }
    return { ...none, env: Object.entries(config.data).map(([k, v]) => ({ name: k, value: v })) };
  }
  const configMapName = addHashedConfigMap(scope, 'config', `${name}-config`, labels, config.data);
  if (config.mountPath === undefined) return { ...none, envFrom: [{ configMapRef: { name: configMapName } }] };
  return {
    ...none,
    volumes: [{ name: 'config', configMap: { name: configMapName } }],
    mounts: [{ name: 'config', mountPath: config.mountPath, readOnly: true }],
  };
}
