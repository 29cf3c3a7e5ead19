import { standardLabels, selectorLabels, type ImageRef } from '../../core';

/** The `app.kubernetes.io/part-of` value of every object of the addon. */
export const PART_OF = 'logging';

/** The namespace Elasticsearch, Kibana, the ECK operator and the event shipper run in (restricted). */
export const LOGGING_NAMESPACE = 'logging';
/** The namespace the node agent runs in: its host mounts need the `privileged` Pod Security level, so it is kept apart. */
export const AGENT_NAMESPACE = 'logging-agent';

/** The standard labels of one component of the addon. */
export function componentLabels(name: string, component: string, image?: ImageRef): Record<string, string> {
  return standardLabels({ name, component, partOf: PART_OF, ...(image === undefined ? {} : { version: image.version }) });
}

/** The labels that select a component's pods. */
export function componentSelector(name: string): Record<string, string> {
  return selectorLabels(name);
}
