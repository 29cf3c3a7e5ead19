// Validates synthesized objects against the Kubernetes OpenAPI schema, through kubernetes-models.

interface Validatable {
  validate(): void;
}
type ModelClass = new (data: unknown) => Validatable;

/** The kubernetes-models module of an apiVersion: `v1` for the core group, else `<group>/<version>`. */
function modelFor(apiVersion: string, kind: string): ModelClass {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`kubernetes-models/${apiVersion}`) as Record<string, ModelClass | undefined>;
  const model = mod[kind];
  if (model === undefined) throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
  return model;
}

/** Throws with the object's identity and the schema errors when `obj` is not a valid Kubernetes object. */
export function validateKubernetesObject(obj: { apiVersion: string; kind: string; metadata?: { name?: string } }): void {
  const Model = modelFor(obj.apiVersion, obj.kind);
  try {
    new Model(obj).validate();
  } catch (e) {
    throw new Error(`${obj.apiVersion} ${obj.kind} ${obj.metadata?.name ?? '<unnamed>'}: ${(e as Error).message}`);
  }
}
