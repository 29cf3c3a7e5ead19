import { stringify } from 'yaml';
import { PlatformError } from '../core';

/** One key of the API server's encryption at rest. */
export interface EncryptionKey {
  /** The key's name (`key-2026-12`): lowercase letters, digits and '-'. Not secret; it is what rotation changes. */
  readonly name: string;
  /** 32 random bytes, base64 (`head -c 32 /dev/urandom | base64`). Secret. */
  readonly secret: string;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** Checks the key names an environment stack lists (plain config; the keys themselves are secret). */
export function checkEncryptionKeyNames(path: string, names: readonly string[]): readonly string[] {
  if (names.length === 0) {
    throw PlatformError.of({ path, field: 'encryptionKeyNames', rule: 'is empty, and the cluster encrypts Secrets at rest', fix: 'name at least one key, e.g. [key-1], and set its value in encryptionKeys' });
  }
  for (const [i, n] of names.entries()) {
    if (!NAME.test(n)) throw PlatformError.of({ path, field: `encryptionKeyNames[${i}]`, value: n, rule: "is not lowercase letters, digits and '-'", fix: 'name keys like key-2026-12' });
    if (names.indexOf(n) !== i) throw PlatformError.of({ path, field: `encryptionKeyNames[${i}]`, value: n, rule: 'is listed twice', fix: 'list each key once' });
  }
  return names;
}

/**
 * The EncryptionConfiguration (apiserver.config.k8s.io/v1) kops installs on the API servers as its
 * `encryptionconfig` secret: Secrets encrypted with secretbox under the first key; every other key
 * (and identity, for data written before encryption was on) still decrypts, so a rotation that adds
 * a key keeps the old data readable. A bad key fails naming the key, never its value.
 */
export function encryptionConfiguration(path: string, keys: readonly EncryptionKey[]): string {
  checkEncryptionKeyNames(path, keys.map((k) => k.name));
  for (const k of keys) {
    const secret = k.secret;
    const bytes = /^[A-Za-z0-9+/]+={0,2}$/.test(secret) ? Buffer.from(secret, 'base64').length : 0;
    if (bytes !== 32) {
      throw PlatformError.of({
        path, field: `encryptionKeys.${k.name}`, rule: 'is not 32 bytes in base64 (value not shown)',
        fix: `pulumi config set --secret --path 'platform:encryptionKeys.${k.name}' "$(head -c 32 /dev/urandom | base64)"`,
      });
    }
  }
  return stringify({
    apiVersion: 'apiserver.config.k8s.io/v1',
    kind: 'EncryptionConfiguration',
    resources: [{
      resources: ['secrets'],
      providers: [{ secretbox: { keys: keys.map((k) => ({ name: k.name, secret: k.secret })) } }, { identity: {} }],
    }],
  });
}
