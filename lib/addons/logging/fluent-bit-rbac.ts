import type { Construct } from 'constructs';
import { k8s } from 'cdk8s-plus-27';

/** A ServiceAccount whose token is mounted (the component calls the API server) and a ClusterRole of exactly `rules` bound to it. */
export function addReaderIdentity(scope: Construct, name: string, namespace: string, labels: Record<string, string>, rules: k8s.PolicyRule[], pullSecret: string | undefined): void {
  new k8s.KubeServiceAccount(scope, 'service-account', {
    metadata: { name, namespace, labels },
    ...(pullSecret === undefined ? {} : { imagePullSecrets: [{ name: pullSecret }] }),
  });
  new k8s.KubeClusterRole(scope, 'cluster-role', { metadata: { name: `logging:${name}`, labels }, rules });
  new k8s.KubeClusterRoleBinding(scope, 'cluster-role-binding', {
    metadata: { name: `logging:${name}`, labels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: `logging:${name}` },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  });
}
