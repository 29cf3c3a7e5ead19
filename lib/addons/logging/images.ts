/**
 * The upstream images the logging addon runs, pinned by tag (one place per fact): each is the
 * image its project publishes, at the release the addon was written against.
 */
export const LOGGING_IMAGES = {
  /** ECK's operator, the release whose CRDs are in schemas/eck/. */
  eckOperator: 'docker.elastic.co/eck/eck-operator:3.5.0',
  /** Fluent Bit, the release whose source the configuration rules were read from. */
  fluentBit: 'cr.fluentbit.io/fluent/fluent-bit:5.1.1',
  /** The setup Job's shell and HTTP client (Alpine's busybox with curl). */
  setup: 'docker.io/curlimages/curl:8.15.0',
} as const;

/** The Elastic Stack version Elasticsearch and Kibana run (ECK 3.5.0's samples use it; ECK pulls `docker.elastic.co/...:<version>`). */
export const ELASTIC_STACK_VERSION = '9.4.3';
