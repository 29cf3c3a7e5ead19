import { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';

/** The edge's OpenID Connect check in front of Kibana. */
export interface KibanaSignInProps {
  readonly namespace: string;
  /** The route it guards. */
  readonly route: string;
  /** The issuer (the identity addon's Dex, `ctx.addons.identity.issuerUrl`). */
  readonly issuerUrl: string;
  /** The client id registered at the issuer. */
  readonly clientId: string;
  /** The Secret (in `namespace`) whose `client-secret` key holds the client's secret. */
  readonly clientSecret: string;
  /** Kibana's public URL; the callback is `<url>/oauth2/callback`. */
  readonly publicUrl: string;
  readonly labels: Record<string, string>;
}

/**
 * An Envoy Gateway SecurityPolicy on Kibana's route: nobody reaches Kibana without signing in
 * at the issuer first. Kibana's own OIDC realm needs a paid Elasticsearch licence; this needs
 * none, and Kibana keeps its own login behind it (see the README for what a user sees).
 */
export function addKibanaSignIn(scope: Construct, props: KibanaSignInProps): ApiObject {
  return new ApiObject(scope, 'sign-in', {
    apiVersion: 'gateway.envoyproxy.io/v1alpha1',
    kind: 'SecurityPolicy',
    metadata: { name: `${props.route}-sign-in`, namespace: props.namespace, labels: props.labels },
    spec: {
      targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: props.route }],
      oidc: {
        provider: { issuer: props.issuerUrl },
        clientID: props.clientId,
        clientSecret: { name: props.clientSecret },
        redirectURL: `${props.publicUrl}/oauth2/callback`,
        logoutPath: '/oauth2/logout',
        scopes: ['openid', 'email', 'groups'],
      },
    },
  });
}
