import type { IConstruct } from 'constructs';
import { PlatformError } from '../core';

/**
 * The IANA time zone names this Node.js knows, from its ICU copy of the IANA database:
 * `Intl.supportedValuesOf('timeZone')` lists the canonical zones; the database's aliases
 * (`UTC`, `Etc/UTC`, `US/Eastern`, `Asia/Calcutta`), which that list leaves out, are those
 * `Intl.DateTimeFormat` accepts. Kubernetes resolves a CronJob's `timeZone` with Go's
 * `time.LoadLocation` against the same database, case-sensitively, and refuses `Local`
 * (kubernetes pkg/apis/batch/validation, validateTimeZone).
 */
const CANONICAL: readonly string[] = Intl.supportedValuesOf('timeZone');
const BY_LOWER = new Map(CANONICAL.map((z) => [z.toLowerCase(), z]));

/** Whether `name` is a time zone of the IANA database, as Kubernetes would resolve it. */
export function isTimeZone(name: string): boolean {
  if (CANONICAL.includes(name)) return true;
  const cased = BY_LOWER.get(name.toLowerCase());
  if (cased !== undefined || name.toLowerCase() === 'local') return false; // a canonical zone miswritten in case, or Local
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return /^[A-Z]/.test(name);
  } catch {
    return false;
  }
}

/** Checks a construct's time zone field; refuses a name the IANA database does not have, with the closest one it has. */
export function checkTimeZone(scope: IConstruct, field: string, name: string): string {
  if (isTimeZone(name)) return name;
  const cased = BY_LOWER.get(name.toLowerCase());
  const region = name.split('/')[0] ?? '';
  const sameRegion = CANONICAL.filter((z) => z.startsWith(`${region}/`));
  const fix = cased !== undefined ? `did you mean '${cased}'? (time zone names are case-sensitive)`
    : sameRegion.length > 0 ? `write a zone of the IANA database, e.g. '${sameRegion[0] ?? ''}'`
      : "write a zone of the IANA database, e.g. 'Europe/Berlin' or 'UTC'";
  throw PlatformError.at(scope, { field, value: name, rule: 'is not a time zone of the IANA database', fix });
}
