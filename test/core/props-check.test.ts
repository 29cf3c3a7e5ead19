import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'cdk8s';
import fc from 'fast-check';
import { Duration, Environment, PlatformChart, PlatformError, Probe, WebService } from '../../lib';
import { CLASSES } from '../../lib/core/generated/props-schema';
import { checkProps, editDistance, propsProblems, withoutPropsChecks } from '../../lib/core/props-check';
import { generate } from '../../scripts/props-schema';

const js = <T>(value: unknown) => value as T;
const image = 'registry.example.com/shop/api:1.0.0';
function env(): PlatformChart {
  return new PlatformChart(new Environment(new App(), 'prod', { name: 'prod', environments: ['prod'] }), 'shop', { phase: 'services', namespace: 'shop' });
}

describe('the props schema', () => {
  test('the checked-in schema is what the generator reads from the types today', () => {
    // `npm run build` rewrites it; this fails when a props type changed and the file was not regenerated
    expect(readFileSync(join(__dirname, '../../lib/core/generated/props-schema.ts'), 'utf8')).toBe(generate());
  }, 120_000);

  test('every exported construct class checks its props in its constructor', () => {
    const missing = Object.keys(CLASSES).filter((name) => {
      const files = ['apps', 'addons', 'tenancy', 'cluster', 'core'].map((d) => join(__dirname, '../../lib', d));
      return !files.some((dir) => grepClass(dir, name));
    });
    expect(missing).toEqual([]);
  });
});

/** Whether some file under `dir` declares `export class <name>` and calls `props = checkProps(this, <name>, props)`. */
function grepClass(dir: string, name: string): boolean {
  const { readdirSync, statSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
  return readdirSync(dir).some((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return grepClass(path, name);
    if (!entry.endsWith('.ts')) return false;
    const text = readFileSync(path, 'utf8');
    return new RegExp(`export class ${name}\\b`).test(text) && text.includes(`props = checkProps(this, ${name}, props);`);
  });
}

describe('propsProblems', () => {
  test('a value type given as a plain value is refused, naming the factory', () => {
    expect(propsProblems('IngressProps', { host: 'a.example.com', timeout: 30 }, 'prod/shop/api', 'ingress')).toEqual([
      "prod/shop/api: ingress.timeout must be a string or a Duration (got 30); give a string or a Duration (made by Duration's static factories)",
    ]);
    expect(propsProblems('IngressProps', { host: 'a.example.com', timeout: Duration.of('30s') }, 'p')).toEqual([]);
  });

  test('a field of a union of object types is checked against the closest member', () => {
    expect(propsProblems('TeamDefinition', { name: 'shop', owners: ['o'], deployer: { grop: 'ci' } }, 'cluster prod', 'teams[shop]')).toEqual([
      'cluster prod: teams[shop].deployer.grop is not a field of TeamDefinition (got "ci"); did you mean group?',
      'cluster prod: teams[shop].deployer.group is required (TeamDefinition); set group to a string',
    ]);
  });

  test('a key is checked against the declared ones only on literal objects: an instance of a class may carry more', () => {
    class Prefixes { public readonly groupsPrefix = 'oidc:'; public readonly usernamePrefix = 'oidc:'; public readonly issuerUrl = 'https://dex.example.com'; }
    expect(propsProblems('OidcPrefixes', new Prefixes(), 'p')).toEqual([]);
    expect(propsProblems('OidcPrefixes', { ...new Prefixes() }, 'p')).toEqual([
      'p: issuerUrl is not a field of OidcPrefixes (got "https://dex.example.com"); remove it (OidcPrefixes declares ci, groupsPrefix, usernamePrefix)',
    ]);
  });

  test('optional fields may be left out or set to undefined; lists and records are checked element by element', () => {
    expect(propsProblems('WebServiceProps', { image, replicas: undefined, writablePaths: ['/tmp', 3], env: { A: 'a', B: undefined } }, 'p')).toEqual([
      'p: writablePaths[1] must be a string (got 3); quote it: "3"',
    ]);
  });

  test('the props themselves must be an object', () => {
    expect(propsProblems('WebServiceProps', 'api', 'prod/shop/api')).toEqual([
      'prod/shop/api: props must be an object (WebServiceProps) (got "api"); write the fields of WebServiceProps between braces',
    ]);
  });

  test('with the checks off (the bench only), nothing is reported', () => {
    expect(withoutPropsChecks(() => propsProblems('WebServiceProps', { replics: 1 }, 'p'))).toEqual([]);
  });
});

describe('checkProps', () => {
  test('a misspelt key alone does not stop construction: it is reported at synth with the rest', () => {
    // GIVEN
    const e = env();
    // WHEN
    const api = new WebService(e, 'api', js({ image, replics: 3, readiness: Probe.http('/ready') }));
    // THEN
    expect(api.node.validate()).toEqual(['prod/shop/api: replics is not a field of WebServiceProps (got 3); did you mean replicas?']);
  });

  test('a wrong type stops construction with every problem of the props', () => {
    expect(() => new WebService(env(), 'api', js({ image: 42, replicas: '2', replics: 1 }))).toThrow(new PlatformError([
      'prod/shop/api: replics is not a field of WebServiceProps (got 1); did you mean replicas?',
      'prod/shop/api: image must be a string or an ImageRef (got 42); give a string or an ImageRef (made by ImageRef\'s static factories)',
      'prod/shop/api: replicas must be a number (got "2"); give replicas a number',
    ]));
  });

  test('a subclass written by a user is checked against the props of the library class it extends', () => {
    class Api extends WebService {}
    expect(() => new Api(env(), 'api', js({ image, ports: 'http' }))).toThrow('prod/shop/api: ports must be a list (got "http"); write a list: ["http"]');
    expect(() => checkProps(env(), WebService, {})).not.toThrow(); // the scope is no WebService: not its check
  });
});

describe('editDistance', () => {
  test('counts insertions, deletions, substitutions and adjacent swaps', () => {
    expect(editDistance('replics', 'replicas')).toBe(1);
    expect(editDistance('ingres', 'ingress')).toBe(1);
    expect(editDistance('raplicas', 'replicas')).toBe(1);
    expect(editDistance('erplicas', 'replicas')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('is symmetric and zero only for equal words', () => {
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
      expect(editDistance(a, b) === 0).toBe(a === b);
    }));
  });
});
