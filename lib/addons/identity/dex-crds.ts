import { Construct } from 'constructs';
import { ApiObject } from 'cdk8s';

/** The API group of Dex's storage resources. */
export const DEX_API_GROUP = 'dex.coreos.com';

/**
 * The kinds Dex's Kubernetes storage keeps its state in, as `customResourceDefinitions` in
 * storage/kubernetes/types.go (Dex v2.45) defines them — plurals included, spelling and all
 * (`signingkeies`, `offlinesessionses`).
 */
export const DEX_RESOURCES: readonly { readonly plural: string; readonly singular: string; readonly kind: string }[] = [
  { plural: 'authcodes', singular: 'authcode', kind: 'AuthCode' },
  { plural: 'authrequests', singular: 'authrequest', kind: 'AuthRequest' },
  { plural: 'oauth2clients', singular: 'oauth2client', kind: 'OAuth2Client' },
  { plural: 'signingkeies', singular: 'signingkey', kind: 'SigningKey' },
  { plural: 'refreshtokens', singular: 'refreshtoken', kind: 'RefreshToken' },
  { plural: 'passwords', singular: 'password', kind: 'Password' },
  { plural: 'offlinesessionses', singular: 'offlinesessions', kind: 'OfflineSessions' },
  { plural: 'connectors', singular: 'connector', kind: 'Connector' },
  { plural: 'devicerequests', singular: 'devicerequest', kind: 'DeviceRequest' },
  { plural: 'devicetokens', singular: 'devicetoken', kind: 'DeviceToken' },
];

/**
 * Dex's CRDs, applied with the addon rather than created by Dex at start: Dex runs with
 * `crdHandling: check` and so needs no cluster-wide right to create CustomResourceDefinitions
 * (upstream's example grants `create` on them). Same shape as Dex's own: namespaced, `v1`, an
 * object schema that keeps unknown fields (Dex validates its own data).
 */
export class DexCrds extends Construct {
  public constructor(scope: Construct, id: string, labels: Record<string, string>) {
    super(scope, id);
    for (const r of DEX_RESOURCES) {
      new ApiObject(this, r.plural, {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: `${r.plural}.${DEX_API_GROUP}`, labels },
        spec: {
          group: DEX_API_GROUP,
          names: { plural: r.plural, singular: r.singular, kind: r.kind, listKind: `${r.kind}List` },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } } }],
        },
      });
    }
  }
}
