// The mistakes a user makes that tsc would have caught, or that slip between checks: each refused
// with path, field, value and fix, all of them at once, nothing written, no stack trace.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiObject, JsonPatch } from 'cdk8s';
import { CronTask, Exemption, WebService, Worker, checkClusters, checkServiceRepo, formatReport, synthServiceRepo, writeOrReport, type ClusterDefinition, type ServiceGroup } from '../../lib';
import { environments, prod, stage } from '../../clusters';
import { runTsx } from '../support/run-tsx';

const image = 'registry.example.com/shop/orders:1.0.0';
const group = (define: ServiceGroup['define'], name = 'orders'): ServiceGroup => ({ name, namespace: 'shop', define });
/** Every problem of a fleet, as the report lists them. */
const problemsOf = (defs: readonly unknown[]) => checkClusters(defs as ClusterDefinition[], environments).sections.flatMap((s) => s.problems);
/** A definition written as plain JavaScript would: no type stops the mistake. */
const js = <T>(value: unknown) => value as T;

describe('props that tsc would have refused', () => {
  test('a misspelt prop is refused with the prop it was meant to be, and the run writes nothing', () => {
    // GIVEN `replics` and `ingres`, which would leave the default replicas and drop the Ingress
    const def = { ...prod, services: [group((s) => { new WebService(s, 'api', js({ image, replics: 1, ingres: { host: 'orders.example.com' } })); })] };
    const out = join(mkdtempSync(join(tmpdir(), 'mistakes-')), 'dist');
    const errors: string[] = [];
    // WHEN
    const code = writeOrReport(checkClusters([def], environments), out, '1 cluster', () => undefined, (l) => errors.push(l));
    // THEN
    expect(code).toBe(1);
    expect(existsSync(out)).toBe(false);
    expect(errors.join('\n')).toContain([
      '2 problems:', 'cluster prod:',
      '  - prod/orders/api: replics is not a field of WebServiceProps (got 1); did you mean replicas?',
      '  - prod/orders/api: ingres is not a field of WebServiceProps (got "an object"); did you mean ingress?',
    ].join('\n'));
  });

  test('values outside a union, a number where kops wants a string and zones as a string are all refused at once', () => {
    // GIVEN
    const def = {
      ...prod,
      kubernetes: {
        ...prod.kubernetes, zones: 'eu-west-1a', networking: { cni: 'calico', mode: 'crosssubnet', encapsulation: 'gre' },
        nodeGroups: [{ ...prod.kubernetes.nodeGroups[0], maxPrice: 0.1 }],
      },
    };
    // WHEN / THEN
    expect(problemsOf([def])).toEqual([
      'cluster prod: kubernetes.networking.encapsulation must be one of "ipip", "vxlan" (got "gre"); write one of "ipip", "vxlan" (or leave it out: the default is \'ipip\')',
      'cluster prod: kubernetes.networking.mode must be one of "Always", "CrossSubnet", "Never" (got "crosssubnet"); did you mean "CrossSubnet"?',
      'cluster prod: kubernetes.nodeGroups[nodes-on-demand].maxPrice must be a string (got 0.1); quote it: "0.1"',
      'cluster prod: kubernetes.zones must be a list (got "eu-west-1a"); write a list: ["eu-west-1a"]',
    ]);
  });

  test('an env value that is not a string is refused', () => {
    const def = { ...prod, services: [group((s) => { new WebService(s, 'api', js({ image, env: { DEBUG: true } })); })] };
    expect(problemsOf([def])).toEqual(['prod/orders/api: env.DEBUG must be a string (got true); quote it: "true"']);
  });

  test('a missing image is refused, naming the field', () => {
    const def = { ...prod, services: [group((s) => { new WebService(s, 'api', js({})); })] };
    expect(problemsOf([def])).toEqual(['prod/orders/api: image is required (WebServiceProps); set image to a string or an ImageRef']);
  });

  test('a team without owners and a service group without namespace are refused before anything is built', () => {
    const def = { ...prod, teams: [...prod.teams, { name: 'ops' }], services: [...prod.services, { name: 'reports', define: () => undefined }] };
    expect(problemsOf([def])).toEqual([
      'cluster prod: services[reports].namespace is required (ServiceGroup); set namespace to a string',
      'cluster prod: teams[ops].owners is required (TeamDefinition); set owners to a list',
    ]);
  });
});

describe('checks of whole values', () => {
  test('a CronJob time zone the IANA database does not have is refused', () => {
    const def = { ...prod, services: [group((s) => { new CronTask(s, 'report', { image, schedule: '0 1 * * *', timeZone: 'Mars/Olympus' }); })] };
    expect(problemsOf([def])).toEqual([
      "prod/orders/report: timeZone is not a time zone of the IANA database (got \"Mars/Olympus\"); write a zone of the IANA database, e.g. 'Europe/Berlin' or 'UTC'",
    ]);
  });

  test('two constructs with one id in a group are one problem naming the first, not a crash', () => {
    const def = { ...prod, services: [group((s) => { new WebService(s, 'api', { image }); new WebService(s, 'api', { image }); })] };
    expect(problemsOf([def])).toEqual([
      'prod/orders: id is given to two constructs in one scope (the first is prod/orders/api, a WebService) (got "api"); give each construct of a group its own id: ids name the objects they create',
    ]);
  });
});

describe('uniqueness across the fleet and in a definition', () => {
  test('two clusters of one name, or of one kops cluster name, are refused naming both', () => {
    // GIVEN stage renamed prod (it would overwrite dist/prod/), and stage with prod's kops name
    const defs = [prod, { ...stage, name: 'prod' }, { ...stage, kubernetes: { ...stage.kubernetes, clusterName: prod.kubernetes.clusterName } }];
    // WHEN / THEN: the clash of their files is the same mistake and is not listed again
    expect(problemsOf(defs)).toEqual([
      'clusters: name is given twice (at clusters[0] and at clusters[1]) (got "prod"); give each cluster its own name: it names the output folder dist/<name>/, which the second would overwrite',
      'clusters: kubernetes.clusterName is given twice (at clusters[0] (prod) and at clusters[2] (stage)) (got "prod.k8s.example.com"); give each cluster its own kops cluster name: it names the cluster in the kops state store',
    ]);
  });

  test('a namespace claimed by two teams is one line, its cause', () => {
    const def = { ...prod, teams: [...prod.teams, { name: 'other', owners: ['other-owners'], namespaces: [{ name: 'shop' }] }] };
    expect(problemsOf([def])).toEqual([
      'cluster prod: teams[2].namespaces claims a namespace team shop (teams[0]) already owns (got "shop"); give each namespace to exactly one team (the later team is not built until then)',
    ]);
  });

  test('a service group listed twice is refused naming both places', () => {
    const def = { ...prod, services: [...prod.services, prod.services[0]] };
    expect(problemsOf([def])).toEqual([
      'cluster prod: services is given twice (at services[0] and at services[3]) (got "orders"); give each service group its own name (it names the chart and its file)',
    ]);
  });
});

describe('consequential lines folded into their cause', () => {
  test('a service in a namespace no team owns is one line: not again as a namespace no chart creates', () => {
    const lost = group((s) => { new WebService(s, 'lost-api', { image }); }, 'lost');
    expect(problemsOf([{ ...prod, services: [...prod.services, { ...lost, namespace: 'nobody' }] }])).toEqual([
      `prod/lost/lost-api: namespace is owned by no team of the cluster (got "nobody"); add the namespace to its team's namespaces in the cluster definition`,
    ]);
  });

  test('a team that cannot be built is one line: its services are not reported again in a namespace nobody creates', () => {
    const [shop, ...others] = prod.teams;
    expect(problemsOf([{ ...prod, teams: [js({ ...shop, owners: 'shop-owners' }), ...others] }])).toEqual([
      'cluster prod: teams[shop].owners must be a list (got "shop-owners"); write a list: ["shop-owners"]',
    ]);
  });

  test('an exemption a service repo grants itself is one line: not again as exempting no object', () => {
    const selfExempt = group((s) => { Exemption.add(new WebService(s, 'api', { image }), { rule: 'privileged', reason: 'we need it' }); });
    expect(checkServiceRepo({ environments: ['prod'], services: [selfExempt] }).sections.flatMap((s) => s.problems)).toEqual([
      "prod/orders/api: exemption is declared outside the platform's definitions (a service repo cannot exempt itself; the cluster refuses what the exemption would let through) (got \"privileged\"); fix the object so the rule passes, or ask the platform team to declare the exemption in the cluster definition",
    ]);
  });

  test('a rule a service repo exempts itself from still applies: the exemption lifts nothing', () => {
    // GIVEN a self-granted exemption from the LoadBalancer rule on a construct whose Service is a LoadBalancer
    const lb = group((s) => {
      const svc = new WebService(s, 'api', { image });
      for (const o of svc.node.findAll()) if (o instanceof ApiObject && o.kind === 'Service') o.addJsonPatch(JsonPatch.add('/spec/type', 'LoadBalancer'));
      Exemption.add(svc, { rule: 'load-balancer', reason: 'we want one' });
    });
    // THEN the refusal, and the rule's own violation
    const problems = checkServiceRepo({ environments: ['prod'], services: [lb] }).sections.flatMap((s) => s.problems);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^prod\/orders\/api: exemption is declared outside the platform's definitions .*\(got "load-balancer"\)/);
    expect(problems[1]).toMatch(/\[load-balancer\]/);
  });
});

describe('one report', () => {
  test('every cluster is checked: mistakes in two clusters, and a construction error next to a whole-tree check, are all listed, grouped by cluster', () => {
    // GIVEN prod with a bad group and a group whose service collides with another's; stage with a misspelt prop
    const bad = group((s) => { new WebService(s, 'api', js({ image, replicas: 'three' })); }, 'bad');
    const twin = group((s) => { new WebService(s, 'orders-api', { image, replicas: 1, pdb: false, resources: { requests: { cpu: '10m' }, limits: { cpu: '10m' } } }); }, 'twin');
    const defs = [
      { ...prod, services: [...prod.services, bad, twin] },
      { ...stage, services: [group((s) => { new WebService(s, 'api', js({ image, replics: 1 })); })] },
    ];
    // WHEN
    const report = formatReport(checkClusters(defs as ClusterDefinition[], environments).sections);
    // THEN
    expect(report).toBe([
      '4 problems in 2 places:',
      'cluster prod:',
      '  - prod/bad/api: replicas must be a number (got "three"); give replicas a number',
      '  - prod/twin/orders-api: Deployment shop/orders-api is also defined by prod/orders/orders-api; give one of them another name or move it to another namespace',
      '  - prod/twin/orders-api: Service shop/orders-api is also defined by prod/orders/orders-api; give one of them another name or move it to another namespace',
      'cluster stage:',
      '  - stage/orders/api: replics is not a field of WebServiceProps (got 1); did you mean replicas?',
    ].join('\n'));
  });

  test('construction goes on past a bad construct: a group with three bad constructs gives their three problems in one run', () => {
    // GIVEN one group whose three constructs each have a mistake tsc would have refused
    const three = group((s) => {
      new WebService(s, 'api', js({ image, replicas: 'three' }));
      new Worker(s, 'worker', js({ image, pdb: 'no' }));
      new CronTask(s, 'cron', js({ image, schedule: '*/10 * * * *', concurrencyPolicy: 'Sometimes' }));
    }, 'three');
    const expected = [
      'prod/three/api: replicas must be a number (got "three"); give replicas a number',
      'prod/three/worker: pdb must be a boolean (true or false) (got "no"); give pdb a boolean (true or false)',
      'prod/three/cron: concurrencyPolicy must be one of "Forbid", "Replace", "Allow" (got "Sometimes"); write one of "Forbid", "Replace", "Allow" (or leave it out: the default is \'Forbid\')',
    ];
    // WHEN it is built in a cluster definition, and in a service repo
    const inCluster = problemsOf([{ ...prod, services: [...prod.services, three] }]);
    const inRepo = checkServiceRepo({ environments: ['prod'], services: [three] }).sections.flatMap((s) => s.problems);
    // THEN every construct's problem is listed, once
    expect(inCluster).toEqual(expected);
    expect(inRepo).toEqual(expected);
  });

  test('a construct that cannot go on without a required field stops its group there, after its own problem', () => {
    // GIVEN a Worker with no usable image between two bad web services
    const defs = [{ ...prod, services: [...prod.services, group((s) => {
      new WebService(s, 'api', js({ image, replicas: 'three' }));
      new Worker(s, 'worker', js({ image: 42 }));
      new WebService(s, 'web', js({ image, replicas: 'four' }));
    }, 'bad')] }];
    // THEN the problems up to the worker are listed, the worker's once (not again as the missing image it leads to)
    expect(problemsOf(defs)).toEqual([
      'prod/bad/api: replicas must be a number (got "three"); give replicas a number',
      "prod/bad/worker: image must be a string or an ImageRef (got 42); give a string or an ImageRef (made by ImageRef's static factories)",
    ]);
  });

  test('an error thrown while a definition module loads is reported like any other, without a stack trace', () => {
    // GIVEN a module with a wildcard IAM action at module level, loaded as clusters/synth.ts loads clusters/
    const run = runTsx([join(__dirname, 'fixtures', 'load-and-report.ts')]);
    // THEN
    expect(run.status).toBe(1);
    expect(run.stderr).toBe([
      'synth failed; nothing was written.',
      '1 problem:',
      'loading the cluster definitions (clusters/):',
      '  - WorkloadIdentity shop/orders-exporter: statements[0].actions is a wildcard action (got "s3:*"); list the actions the workload needs, or set allowWildcardActions: true',
      '',
    ].join('\n'));
  });

  test('an error that is no input mistake is printed with its trace and a line saying whose bug it is', () => {
    const run = runTsx([join(__dirname, 'fixtures', 'load-and-report.ts'), 'bug']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^error thrown by code outside platform-constructs \(not a platform check\); its trace:\nTypeError: /);
    expect(run.stderr).toContain('    at ');
  });
});

describe('service repos', () => {
  test('a service repo with no environments and no services is refused, and its dist/ is left as it was', () => {
    // GIVEN a dist/ from an earlier run
    const out = join(mkdtempSync(join(tmpdir(), 'repo-')), 'dist');
    mkdirSync(join(out, 'prod'), { recursive: true });
    writeFileSync(join(out, 'prod', 'kept.yaml'), 'kept');
    // WHEN the repo's entry point runs as a plain script
    const run = runTsx([join(__dirname, 'fixtures', 'service-repo-empty.ts'), out]);
    // THEN: a report and a non-zero exit, no exception, no trace
    expect(run.status).toBe(1);
    expect(run.stderr).toBe([
      `synth failed; ${out}/ is unchanged.`,
      '2 problems:',
      'service repo:',
      "  - service repo: environments must list at least one environment (got []); name the environments the services deploy to, e.g. ['stage', 'prod']: each is a folder of the output, which would otherwise be emptied",
      '  - service repo: services must list at least one service group (got []); pass the groups the repo defines: with none, every environment folder would be emptied',
      '',
    ].join('\n'));
    expect(readdirSync(join(out, 'prod'))).toEqual(['kept.yaml']);
  });

  test('an environment or a service group listed twice is refused naming both places', () => {
    const run = checkServiceRepo({ environments: ['stage', 'prod', 'prod'], services: [group(() => undefined), group(() => undefined)] });
    expect(run.sections.flatMap((s) => s.problems)).toEqual([
      'service repo: environments is given twice (at environments[1] and at environments[2]) (got "prod"); list each environment once',
      'service repo: services is given twice (at services[0] and at services[1]) (got "orders"); give each service group its own name (it names the chart and its file)',
    ]);
  });

  test('synthServiceRepo prints the report and sets a non-zero exit code instead of throwing', () => {
    // GIVEN
    const out = join(mkdtempSync(join(tmpdir(), 'repo-')), 'dist');
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    const before = process.exitCode;
    try {
      // WHEN
      const result = synthServiceRepo({ environments: ['prod'], services: [group((s) => { new WebService(s, 'api', js({ image, ingres: { host: 'a.example.com' } })); })] }, out);
      // THEN
      expect(result.files).toEqual([]);
      expect(process.exitCode).toBe(1);
      expect(errors).toEqual([`synth failed; ${out}/ is unchanged.\n1 problem:\nservice repo:\n  - prod/orders/api: ingres is not a field of WebServiceProps (got "an object"); did you mean ingress?`]);
      expect(existsSync(out)).toBe(false);
    } finally {
      spy.mockRestore();
      process.exitCode = before;
    }
  });
});

describe('a service repo that loads its services inside synthServiceRepo', () => {
  test('a mistake raised while they load is printed as the report, with a non-zero exit code', async () => {
    // GIVEN a loader whose module throws at load (a wildcard IAM action)
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    const before = process.exitCode;
    try {
      // WHEN
      const result = await synthServiceRepo(async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require('./fixtures/bad-definitions');
        return { environments: ['prod'], services: [] };
      });
      // THEN
      expect(result.files).toEqual([]);
      expect(process.exitCode).toBe(1);
      expect(errors).toEqual([[
        'synth failed; nothing was written.', '1 problem:', 'loading the service repo:',
        '  - WorkloadIdentity shop/orders-exporter: statements[0].actions is a wildcard action (got "s3:*"); list the actions the workload needs, or set allowWildcardActions: true',
      ].join('\n')]);
    } finally {
      spy.mockRestore();
      process.exitCode = before;
    }
  });
});
