/**
 * A reference to one key of a Secret that exists in the namespace. There is deliberately no way
 * to pass a secret's value: values are put in place by the deploy step, never by synth.
 */
export interface SecretKeyRef {
  /** The Secret's name. */
  readonly secret: string;
  /** The key inside the Secret. */
  readonly key: string;
}

/** A Secret mounted read-only as files. */
export interface SecretVolume {
  /** The Secret's name. */
  readonly secret: string;
  /** Where its keys appear as files. */
  readonly mountPath: string;
}

