import { App, Chart } from 'cdk8s';
import { renderApp } from '../../../lib';
import { Edge } from '../../../lib/addons';
import { e2e } from '../../../clusters/e2e';
import { bareIngress, edgeCluster, groupFacts, PROD_FRONT, shop } from './helpers';
import { errorOf } from '../../cluster/helpers';

describe('Edge errors', () => {
  test('a TLS host with no issuer is reported at synth, with the host and the secret to fill', () => {
    // GIVEN an Ingress with TLS, no cert-manager annotation and no Certificate for its Secret
    const { app, env } = edgeCluster();
    bareIngress(new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true }), 'www.example.com', 'www-tls');
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/static: spec.tls[0].hosts[0] has no issuer (got "www.example.com"); annotate the Ingress with cert-manager.io/cluster-issuer: <issuer>, or declare a HostCertificate for the host with secretName www-tls',
    ]);
  });

  test('an Ingress naming a ClusterIssuer the cluster does not define is reported', () => {
    // GIVEN an Ingress annotated with an unknown issuer
    const { app, env } = edgeCluster();
    const chart = new Chart(env, 'static', { namespace: 'shop', disableResourceNameHashes: true });
    const ingress = bareIngress(chart, 'www.example.com', 'www-tls');
    ingress.metadata.addAnnotation('cert-manager.io/cluster-issuer', 'vault');
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/static: metadata.annotations["cert-manager.io/cluster-issuer"] names no ClusterIssuer of the cluster [letsencrypt, letsencrypt-staging] (got "vault"); name one of these issuers, or add the edge addon (addEdge) that defines them',
    ]);
  });

  test("a host outside the cluster's DNS zone is reported for its rule and its TLS entry", () => {
    // GIVEN a WebService on a host of another zone
    const { app } = edgeCluster({}, [shop('shop.example.org')]);
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    const fix = 'use a host under example.com (external-dns writes records only in that zone), or serve it from the cluster whose zone holds it';
    expect(problems).toEqual([
      `prod/shop/api-0: spec.rules[0].host is outside the cluster's DNS zone example.com (got "shop.example.org"); ${fix}`,
      `prod/shop/api-0: spec.tls[0].hosts[0] is outside the cluster's DNS zone example.com (got "shop.example.org"); ${fix}`,
    ]);
  });

  test('two Ingresses claiming one host and path are reported once, by duplicateRoutes, with the edge addon present', () => {
    // GIVEN two WebServices on one host
    const { app } = edgeCluster({}, [shop('shop.example.com', 'shop.example.com')]);
    // WHEN
    const { problems } = renderApp(app);
    // THEN
    expect(problems).toEqual([
      'prod/shop/api-1: ingress host+path shop.example.com/ is also routed by prod/shop/api-0; give one of them another host or path',
    ]);
  });

  test('pinning the controller to front nodes on a cluster without a front node group is refused at construction', () => {
    // GIVEN e2e's node groups, which have no front group
    const frontNodes = { ...PROD_FRONT, nodeGroups: groupFacts(e2e.kubernetes.nodeGroups) };
    // WHEN / THEN
    expect(errorOf(() => edgeCluster({ frontNodes }))).toBe(
      'prod/addon-edge/edge: frontNodes matches no node group of the cluster [nodes, nodes-spot] (got "{\\"platform.example.com/node-role\\":\\"front\\"} and tolerates platform.example.com/front=true:NoSchedule"); add a front node group with these labels (and this taint) to kubernetes.nodeGroups, or leave frontNodes unset to run on any node',
    );
  });

  test('a front group whose taint the controller does not tolerate does not count', () => {
    // GIVEN prod's groups, but a toleration for another taint
    const frontNodes = { ...PROD_FRONT, taint: { key: 'platform.example.com/edge', effect: 'NoSchedule' as const } };
    // WHEN / THEN
    expect(errorOf(() => edgeCluster({ frontNodes }))).toMatch(/^prod\/addon-edge\/edge: frontNodes matches no node group of the cluster \[nodes-on-demand, nodes-spot, front\]/);
  });

  test('fewer than two replicas, a bad ACME email and a bad DNS zone are refused with their fix', () => {
    expect(errorOf(() => edgeCluster({ controller: { replicas: 1 } }))).toBe(
      "prod/addon-edge/edge/controller: controller.replicas must be a whole number >= 2 (got 1); run at least 2 replicas (3 spreads over three zones): the edge is every service's way in",
    );
    expect(errorOf(() => edgeCluster({ acmeEmail: 'platform' }))).toBe(
      "prod/addon-edge/edge/issuers: acmeEmail is not an email address (got \"platform\"); give the team address Let's Encrypt sends expiry notices to, e.g. 'platform@example.com'",
    );
    expect(errorOf(() => edgeCluster({ dnsZone: 'Example.com' }))).toBe(
      "prod/addon-edge/edge: dnsZone is not a lowercase DNS name with at least two labels (got \"Example.com\"); give the Route53 zone the cluster's hosts are in, e.g. 'example.com'",
    );
  });

  test('the edge outside an Environment is refused', () => {
    // GIVEN a chart that is not under an Environment
    const chart = new Chart(new App(), 'c');
    // WHEN / THEN
    expect(errorOf(() => new Edge(chart, 'edge', { dnsZone: 'example.com', region: 'eu-west-1', acmeEmail: 'p@example.com', apiServerCidr: '10.0.0.0/16' }))).toBe(
      'c/edge: scope is not inside an Environment; create the construct under an Environment (synthServiceRepo and buildClusterApp make one per environment)',
    );
  });
});
