import { ImageRef } from '../../lib';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('ImageRef', () => {
  test('reads registry, repository and tag', () => {
    // WHEN
    const ref = ImageRef.parse('registry.example.com:5000/shop/api:1.4.2');
    // THEN
    expect(ref.registry).toBe('registry.example.com:5000');
    expect(ref.repository).toBe('shop/api');
    expect(ref.tag).toBe('1.4.2');
    expect(ref.toString()).toBe('registry.example.com:5000/shop/api:1.4.2');
  });

  test('a name without a registry host has none', () => {
    const ref = ImageRef.parse('library/nginx:1.27.3');
    expect(ref.registry).toBeUndefined();
    expect(ref.repository).toBe('library/nginx');
  });

  test('accepts a digest, with or without a tag', () => {
    expect(ImageRef.parse(`nginx@${DIGEST}`).version).toBe(DIGEST);
    expect(ImageRef.parse(`nginx:1.27@${DIGEST}`).toString()).toBe(`nginx:1.27@${DIGEST}`);
  });

  test("refuses the tag 'latest'", () => {
    expect(() => ImageRef.parse('nginx:latest')).toThrow(
      `ImageRef: image uses the tag 'latest' (got "nginx:latest"); pin a version tag (:1.4.2) or a digest (@sha256:...) so every node runs the same image`,
    );
  });

  test('refuses an untagged image', () => {
    expect(() => ImageRef.parse('registry.example.com:5000/shop/api')).toThrow(
      'ImageRef: image is not pinned (got "registry.example.com:5000/shop/api"); add a version tag (:1.4.2) or a digest (@sha256:...)',
    );
  });

  test.each([
    ['Shop/API:1.0', 'has a malformed repository name'],
    ['nginx:-1', 'has a malformed tag'],
    ['nginx@sha256:abc', 'has a malformed digest'],
    ['', 'has a malformed repository name'],
  ])('refuses %j: %s', (text, rule) => {
    expect(() => ImageRef.parse(text)).toThrow(rule);
  });

  test('withTag keeps the repository and replaces the version', () => {
    expect(ImageRef.parse(`shop/api:1.0@${DIGEST}`).withTag('2.0').toString()).toBe('shop/api:2.0');
  });
});
