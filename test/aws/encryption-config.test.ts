import { parse } from 'yaml';
import { checkEncryptionKeyNames, encryptionConfiguration } from '../../lib/aws/encryption-config';

const KEY_1 = Buffer.alloc(32, 1).toString('base64');
const KEY_2 = Buffer.alloc(32, 2).toString('base64');

describe('the API server encryption config', () => {
  test('encrypts Secrets with secretbox under the first key, and still reads with the others and identity', () => {
    const doc = parse(encryptionConfiguration('stack prod', [{ name: 'key-2', secret: KEY_2 }, { name: 'key-1', secret: KEY_1 }]));
    expect(doc).toEqual({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'EncryptionConfiguration',
      resources: [{ resources: ['secrets'], providers: [{ secretbox: { keys: [{ name: 'key-2', secret: KEY_2 }, { name: 'key-1', secret: KEY_1 }] } }, { identity: {} }] }],
    });
  });

  test('refuses a key that is not 32 bytes, naming the key and never its value', () => {
    const bad = Buffer.alloc(16, 7).toString('base64');
    expect(() => encryptionConfiguration('stack prod', [{ name: 'key-1', secret: bad }])).toThrow(
      `stack prod: encryptionKeys.key-1 is not 32 bytes in base64 (value not shown); pulumi config set --secret --path 'platform:encryptionKeys.key-1' "$(head -c 32 /dev/urandom | base64)"`,
    );
    try {
      encryptionConfiguration('stack prod', [{ name: 'key-1', secret: bad }]);
    } catch (e) {
      expect(String(e)).not.toContain(bad);
    }
  });

  test('refuses no key, a bad name and a name listed twice', () => {
    expect(() => checkEncryptionKeyNames('stack prod', [])).toThrow(
      'stack prod: encryptionKeyNames is empty, and the cluster encrypts Secrets at rest; name at least one key, e.g. [key-1], and set its value in encryptionKeys',
    );
    expect(() => checkEncryptionKeyNames('stack prod', ['Key 1'])).toThrow(
      'stack prod: encryptionKeyNames[0] is not lowercase letters, digits and \'-\' (got "Key 1"); name keys like key-2026-12',
    );
    expect(() => checkEncryptionKeyNames('stack prod', ['key-1', 'key-1'])).toThrow('stack prod: encryptionKeyNames[1] is listed twice (got "key-1"); list each key once');
  });
});
