/** The External Secrets Operator's image, at the release whose CRDs are in schemas/external-secrets/. */
export const EXTERNAL_SECRETS_IMAGE = 'ghcr.io/external-secrets/external-secrets:v2.9.0';
