import { PlatformError } from '../core';

/** The Kubernetes minor versions kops 1.36 supports (upup/pkg/fi/cloudup: oldest supported 1.31.0; kops N runs up to Kubernetes N). */
export const SUPPORTED_KUBERNETES_MINORS = { oldest: 31, newest: 36 } as const;

const PATTERN = /^v?(\d+)\.(\d+)\.(\d+)$/;

/** A released Kubernetes version (`1.35.5`) that the kops release this project targets can run. */
export class KubernetesVersion {
  public static parse(text: string): KubernetesVersion {
    const match = PATTERN.exec(text);
    if (match === null) {
      throw PlatformError.of({
        path: 'KubernetesVersion', field: 'version', value: text, rule: 'is not a Kubernetes release version',
        fix: "write major.minor.patch, e.g. '1.35.5'",
      });
    }
    const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const { oldest, newest } = SUPPORTED_KUBERNETES_MINORS;
    if (major !== 1 || minor < oldest || minor > newest) {
      throw PlatformError.of({
        path: 'KubernetesVersion', field: 'version', value: text, rule: `is not supported by kops 1.36 (1.${oldest} to 1.${newest})`,
        fix: `choose a 1.${oldest}.x to 1.${newest}.x release`,
      });
    }
    return new KubernetesVersion(major, minor, patch);
  }

  private constructor(
    public readonly major: number,
    public readonly minor: number,
    public readonly patch: number,
  ) {}

  /** Whether this version is at least `major.minor`. */
  public atLeast(minor: number): boolean {
    return this.minor >= minor;
  }

  public toString(): string {
    return `${this.major}.${this.minor}.${this.patch}`;
  }

  public toJSON(): string {
    return this.toString();
  }
}
