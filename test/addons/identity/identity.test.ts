import { parse } from 'yaml';
import { checkPolicy } from '../../../lib/policy';
import { identityAddon, identitySecrets } from '../../../lib/addons/identity/identity';
import { DEX_IMAGE } from '../../../lib/addons/identity/dex';
import { activeDirectory } from '../../../lib/addons/identity/ldap-directory';
import { crdValidator } from '../../support/crd-schema';
import { validateKubernetesObject } from '../../support/k8s-schema';
import { testClusterFacts } from '../../support/cluster-facts';
import { dexConfigErrors, dexStartupErrors } from './dex-config-schema';
import { GATEWAY, ISSUER, buildIdentity, byName, identityProps } from './fixture';

const httpRouteErrors = crdValidator({
  folder: 'gateway-api', version: 'v1', files: { HTTPRoute: 'gateway.networking.k8s.io_httproutes.yaml' },
  enforceRequired: true, topLevelRequired: ['apiVersion', 'kind', 'metadata', 'spec'],
});

describe('the identity addon in the cluster that serves Dex', () => {
  const chart = buildIdentity();
  const all = chart.toJson();
  const objects = byName(chart);
  const configMapName = Object.keys(objects).find((k) => k.startsWith('ConfigMap/dex-config-')) as string;
  const config = parse(objects[configMapName].data['config.yaml']);
  const pod = objects['Deployment/dex'].spec.template.spec;
  const container = pod.containers[0];

  test('passes the policy check with no exemption', () => {
    const report = checkPolicy(chart);
    expect(report.violations.map((v) => v.message)).toEqual([]);
    expect(report.exemptions).toEqual([]);
  });

  test('every core object and CRD is valid against the Kubernetes schema', () => {
    const core = all.filter((o: { apiVersion: string }) => !/^(gateway\.networking\.k8s\.io|cert-manager\.io)\//.test(o.apiVersion));
    expect(core.length).toBeGreaterThan(20);
    for (const o of core) expect(() => validateKubernetesObject(o)).not.toThrow();
  });

  test("routes the issuer's host to Dex through its own listener on the shared Gateway, valid against the Gateway API CRD", () => {
    const route = objects['HTTPRoute/dex'];
    expect(httpRouteErrors(route)).toEqual([]);
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'ListenerSet', name: 'dex-example-com', sectionName: 'https' }]);
    expect(objects['ListenerSet/dex-example-com'].spec.parentRef).toEqual(expect.objectContaining({ kind: 'Gateway', name: 'platform', namespace: 'edge' }));
    expect(objects['Certificate/dex-example-com-tls'].spec.dnsNames).toEqual(['dex.example.com']);
    expect(route.spec.hostnames).toEqual(['dex.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([{ group: '', kind: 'Service', name: 'dex', port: 5556 }]);
  });

  test('the HTTPRoute check refuses a misspelt field', () => {
    const route = objects['HTTPRoute/dex'];
    expect(httpRouteErrors({ ...route, spec: { ...route.spec, hostname: ['dex.example.com'] } })).toEqual([expect.stringContaining('must NOT have additional properties {"additionalProperty":"hostname"}')]);
  });

  test('runs two pinned, non-root replicas with a read-only root filesystem, spread over zones, with a PDB', () => {
    expect(objects['Deployment/dex'].spec.replicas).toBe(2);
    expect(container.image).toBe(DEX_IMAGE);
    expect(DEX_IMAGE).toMatch(/^ghcr\.io\/dexidp\/dex:v2\.45\.\d+$/);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001 });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(pod.topologySpreadConstraints.map((c: { topologyKey: string }) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(objects['PodDisruptionBudget/dex'].spec).toEqual({ maxUnavailable: 1, selector: { matchLabels: { 'app.kubernetes.io/name': 'dex' } } });
  });

  test("probes Dex's documented health endpoints on the telemetry port", () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/healthz/ready', port: 'telemetry' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz/live', port: 'telemetry' });
    expect(container.ports).toEqual([{ name: 'http', containerPort: 5556, protocol: 'TCP' }, { name: 'telemetry', containerPort: 5558, protocol: 'TCP' }]);
    expect(config.telemetry).toEqual({ http: '0.0.0.0:5558' });
  });

  test("declares Dex's metrics on the telemetry port for Prometheus to find by label", () => {
    const service = objects['Service/dex'];
    expect(service.metadata.labels['platform.example.com/scrape']).toBe('true');
    expect(service.metadata.annotations).toMatchObject({ 'prometheus.io/port': '5558', 'prometheus.io/path': '/metrics' });
  });

  test('runs Dex itself on the mounted config, bypassing the entrypoint that writes a rendered copy to /tmp', () => {
    expect(container.command).toEqual(['/usr/local/bin/dex', 'serve', '/etc/dex/config/config.yaml']);
    expect(container.volumeMounts).toEqual([{ name: 'config', mountPath: '/etc/dex/config', readOnly: true }, { name: 'ldap-ca', mountPath: '/etc/dex/ldap-ca', readOnly: true }]);
    expect(pod.volumes.find((v: { name: string }) => v.name === 'config').configMap.name).toBe(configMapName.slice('ConfigMap/'.length));
    expect(objects[configMapName].immutable).toBe(true);
  });

  test('writes a config Dex v2.45 reads in full, and that passes its own start-up checks', () => {
    expect(dexConfigErrors(config)).toEqual([]);
    expect(dexStartupErrors(config)).toEqual([]);
  });

  test('the config checks refuse a misspelt field and a confidential client without a secret', () => {
    expect(dexConfigErrors({ ...config, staticClient: [] })).toEqual([expect.stringContaining('"additionalProperty":"staticClient"')]);
    expect(dexStartupErrors({ ...config, staticClients: [{ id: 'x', name: 'x' }] })).toEqual(['invalid config: Secret or SecretEnv field is required for client "x"']);
  });

  test('the config parses back to the typed input: issuer, LDAP searches, and storage in CRDs Dex only checks for', () => {
    expect(config.issuer).toBe(ISSUER);
    expect(config.storage).toEqual({ type: 'kubernetes', config: { inCluster: true, crdHandling: 'check' } });
    const ldap = config.connectors[0];
    expect([ldap.type, ldap.id]).toEqual(['ldap', 'ldap']);
    const directory = identityProps().directory;
    expect(ldap.config.userSearch).toEqual({ ...directory.userSearch });
    expect(ldap.config.groupSearch).toEqual({ ...directory.groupSearch, userMatchers: directory.groupSearch.userMatchers.map((m) => ({ ...m })) });
    expect(ldap.config.host).toBe('ldap.example.com:636');
    expect(ldap.config.rootCA).toBe('/etc/dex/ldap-ca/ca.crt');
    expect(ldap.config).not.toHaveProperty('insecureNoSSL');
    expect(config.expiry).toEqual({ idTokens: '3600s', refreshTokens: { validIfNotUsedFor: '604800s', disableRotation: false } });
  });

  test('has one public client per cluster, named by its audience, and Grafana with its redirect under its host', () => {
    expect(config.staticClients).toEqual([
      { id: 'kubernetes-prod', name: 'Kubernetes prod', public: true },
      { id: 'kubernetes-stage', name: 'Kubernetes stage', public: true },
      { id: 'kubernetes-admin', name: 'Kubernetes admin', public: true },
      { id: 'grafana', name: 'Grafana', secretEnv: 'DEX_CLIENT_GRAFANA_SECRET', redirectURIs: ['https://grafana.example.com/login/generic_oauth'] },
    ]);
  });

  test('holds no secret: the bind password and client secrets come from Secret references, expanded by Dex from its environment', () => {
    expect(config.connectors[0].config.bindPW).toBe('$DEX_LDAP_BIND_PASSWORD');
    expect(container.env).toEqual([
      { name: 'DEX_EXPAND_ENV', value: 'true' },
      { name: 'DEX_LDAP_BIND_PASSWORD', valueFrom: { secretKeyRef: { name: 'dex', key: 'ldap-bind-password' } } },
      { name: 'DEX_CLIENT_GRAFANA_SECRET', valueFrom: { secretKeyRef: { name: 'dex', key: 'client-grafana' } } },
    ]);
    expect(all.filter((o: { kind: string }) => o.kind === 'Secret')).toEqual([]);
    const text = objects[configMapName].data['config.yaml'];
    expect(text).not.toMatch(/^\s*(- )?secret:/m);
    expect(text.match(/bindPW: .*/g)).toEqual(['bindPW: $DEX_LDAP_BIND_PASSWORD']);
  });

  test('declares the Secrets Dex reads, one per Secret, for the cluster that serves it only', () => {
    const expected = [
      { name: 'dex', namespace: 'identity', keys: ['client-grafana', 'ldap-bind-password'], configKey: 'identityDex', description: expect.stringContaining('bind password') },
      { name: 'dex-ldap-ca', namespace: 'identity', keys: ['ca.crt'], configKey: 'identityDexLdapCa', description: expect.any(String) },
    ];
    expect(identitySecrets(identityProps())).toEqual(expected);
    expect(identityAddon.secrets?.(identityProps(), { name: 'admin' })).toEqual(expected);
    expect(identityAddon.secrets?.(identityProps(), { name: 'prod' })).toEqual([]);
  });

  test("ships Dex's ten CRDs and grants Dex only what its storage calls, on them, in its namespace", () => {
    const crds = all.filter((o: { kind: string }) => o.kind === 'CustomResourceDefinition');
    expect(crds.map((c: { metadata: { name: string } }) => c.metadata.name)).toContain('signingkeies.dex.coreos.com');
    expect(crds).toHaveLength(10);
    expect(objects['Role/dex'].metadata.namespace).toBe('identity');
    expect(objects['Role/dex'].rules).toEqual([{
      apiGroups: ['dex.coreos.com'],
      resources: ['authcodes', 'authrequests', 'oauth2clients', 'signingkeies', 'refreshtokens', 'passwords', 'offlinesessionses', 'connectors', 'devicerequests', 'devicetokens'],
      verbs: ['get', 'list', 'create', 'update', 'delete'],
    }]);
    expect(all.filter((o: { kind: string; metadata: { name: string } }) => o.kind === 'ClusterRole')).toEqual([]);
  });

  test('denies all traffic but sign-ins from the Gateway, scrapes from monitoring, and Dex out to DNS, the API servers and the directory', () => {
    const policies = all.filter((o: { kind: string }) => o.kind === 'NetworkPolicy').map((p: { metadata: { name: string } }) => p.metadata.name);
    expect(policies).toEqual(['identity-default-deny', 'identity-allow-dns', 'dex-allow-sign-in', 'dex-allow-scrapes', 'dex-allow-api-server', 'dex-allow-directory']);
    expect(objects['NetworkPolicy/dex-allow-sign-in'].spec.ingress).toEqual([{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'edge' } } }], ports: [{ protocol: 'TCP', port: 5556 }] }]);
    expect(objects['NetworkPolicy/dex-allow-api-server'].spec.egress).toEqual([{ to: [{ ipBlock: { cidr: '10.30.0.0/16' } }], ports: [{ protocol: 'TCP', port: 443 }] }]);
    expect(objects['NetworkPolicy/dex-allow-directory'].spec.egress).toEqual([{ ports: [{ protocol: 'TCP', port: 636 }] }]);
  });

  test('binds platform admins to cluster-admin and auditors to view, through the API server groups prefix', () => {
    expect(objects['ClusterRoleBinding/platform:cluster-admin'].subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:platform-admins' }]);
    expect(objects['ClusterRoleBinding/platform:view'].roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' });
    expect(objects['ClusterRoleBinding/platform:view'].subjects).toEqual([{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'oidc:auditors' }]);
  });

  test('the same input gives the same bytes', () => {
    expect(JSON.stringify(buildIdentity().toJson())).toBe(JSON.stringify(all));
  });
});

describe('the identity addon in the other clusters', () => {
  test('builds only the platform bindings: Dex runs once, in the cluster that serves it', () => {
    const objects = byName(buildIdentity(identityProps(), { name: 'prod' }, {}));
    expect(Object.keys(objects)).toEqual(['ClusterRoleBinding/platform:cluster-admin', 'ClusterRoleBinding/platform:view']);
  });

  test("feeds each cluster's API server the issuer and that cluster's own audience", () => {
    expect(identityAddon.contributes?.(identityProps(), { name: 'prod' })).toEqual({ oidc: { issuerUrl: ISSUER, clientId: 'kubernetes-prod' } });
    expect(identityAddon.contributes?.(identityProps({ clusters: [{ cluster: 'prod', clientId: 'k8s-prod' }] }), { name: 'prod' })).toEqual({ oidc: { issuerUrl: ISSUER, clientId: 'k8s-prod' } });
  });

  test('offers the issuer to the other addons', () => {
    expect(identityAddon.provides?.(identityProps(), testClusterFacts())).toEqual({ identity: { issuerUrl: ISSUER } });
  });
});

describe('the Active Directory preset in the config', () => {
  test('uses sAMAccountName to sign in, the UPN as email, and StartTLS when asked', () => {
    const directory = activeDirectory({ host: 'dc1.corp.example', baseDN: 'DC=corp,DC=example', bindDN: 'CN=svc-dex,OU=Service Accounts,DC=corp,DC=example', security: 'starttls' });
    const objects = byName(buildIdentity(identityProps({ directory })));
    const config = parse(Object.entries(objects).find(([k]) => k.startsWith('ConfigMap/'))?.[1].data['config.yaml']);
    const c = config.connectors[0].config;
    expect([c.host, c.startTLS, c.usernamePrompt]).toEqual(['dc1.corp.example:389', true, 'Windows account']);
    expect(c.userSearch).toMatchObject({ username: 'sAMAccountName', idAttr: 'sAMAccountName', emailAttr: 'userPrincipalName', filter: '(&(objectClass=user)(!(objectClass=computer))(!(userAccountControl:1.2.840.113556.1.4.803:=2)))' });
    expect(objects['NetworkPolicy/dex-allow-directory'].spec.egress[0].ports[0].port).toBe(389);
    expect(dexConfigErrors(config)).toEqual([]);
  });
});

test('the fixture gateway is the one the route attaches to', () => {
  expect(GATEWAY.dnsZone).toBe('example.com');
});
