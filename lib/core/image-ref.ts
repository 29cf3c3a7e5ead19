import { PlatformError } from './errors';

const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = new RegExp(`^${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

/** Anything a prop accepts where an image is meant. */
export type ImageRefLike = ImageRef | string;

/**
 * A container image reference pinned by tag or digest: `[registry/]repository(:tag|@digest|:tag@digest)`.
 * `latest` and untagged references are refused: they make a rollout depend on when a node pulls.
 */
export class ImageRef {
  public static parse(text: string): ImageRef {
    const fail = (rule: string, fix: string): never => {
      throw PlatformError.of({ path: 'ImageRef', field: 'image', value: text, rule, fix });
    };
    const [withoutDigest = '', digest, ...extra] = text.split('@');
    if (extra.length > 0) fail('has more than one digest', 'write at most one @sha256:<hex> suffix');
    if (digest !== undefined && !DIGEST.test(digest)) fail('has a malformed digest', 'write the digest as sha256:<64 lowercase hex digits>');

    const lastSlash = withoutDigest.lastIndexOf('/');
    const lastColon = withoutDigest.lastIndexOf(':');
    const hasTag = lastColon > lastSlash;
    const name = hasTag ? withoutDigest.slice(0, lastColon) : withoutDigest;
    const tag = hasTag ? withoutDigest.slice(lastColon + 1) : undefined;

    const parts = name.split('/');
    const first = parts[0] ?? '';
    const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
    const registry = hasRegistry ? first : undefined;
    const pathParts = hasRegistry ? parts.slice(1) : parts;
    if (registry !== undefined && !DOMAIN.test(registry)) fail('has a malformed registry host', 'write the registry as host[:port], e.g. registry.example.com:5000');
    if (name === '' || pathParts.some((p) => !PATH_COMPONENT.test(p))) {
      fail('has a malformed repository name', 'use lowercase letters, digits and single separators (. _ -) between path components');
    }
    if (tag !== undefined && !TAG.test(tag)) fail('has a malformed tag', 'a tag is 1-128 characters of letters, digits, _ . and -, not starting with . or -');
    if (tag === undefined && digest === undefined) fail('is not pinned', 'add a version tag (:1.4.2) or a digest (@sha256:...)');
    if (tag !== undefined && tag.toLowerCase() === 'latest') fail("uses the tag 'latest'", 'pin a version tag (:1.4.2) or a digest (@sha256:...) so every node runs the same image');
    return new ImageRef(registry, pathParts.join('/'), tag, digest);
  }

  /** Accepts an `ImageRef` or parses a string. */
  public static of(value: ImageRefLike): ImageRef {
    return value instanceof ImageRef ? value : ImageRef.parse(value);
  }

  private constructor(
    /** The registry host, if the reference names one (`registry.example.com:5000`). */
    public readonly registry: string | undefined,
    /** The repository path inside the registry (`team/api`). */
    public readonly repository: string,
    /** The tag, if pinned by tag. */
    public readonly tag: string | undefined,
    /** The digest, if pinned by digest. */
    public readonly digest: string | undefined,
  ) {}

  /** The same repository at another tag (the digest is dropped). */
  public withTag(tag: string): ImageRef {
    return ImageRef.parse(`${this.name}:${tag}`);
  }

  /** Registry and repository, without tag or digest. */
  public get name(): string {
    return this.registry === undefined ? this.repository : `${this.registry}/${this.repository}`;
  }

  /** The version a reader would call it: the tag, else the digest. */
  public get version(): string {
    return this.tag ?? this.digest ?? '';
  }

  public toString(): string {
    return `${this.name}${this.tag === undefined ? '' : `:${this.tag}`}${this.digest === undefined ? '' : `@${this.digest}`}`;
  }

  public toJSON(): string {
    return this.toString();
  }
}
