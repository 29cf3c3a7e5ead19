import { PlatformError } from '../core';

const MACROS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldRule {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day of week', min: 0, max: 7, names: DAYS },
];

function value(rule: FieldRule, text: string): number | undefined {
  const named = rule.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + (rule.name === 'month' ? 1 : 0);
  if (!/^\d+$/.test(text)) return undefined;
  const n = Number(text);
  return n >= rule.min && n <= rule.max ? n : undefined;
}

/** Why one field of a cron schedule is wrong, or undefined when it is right. */
function fieldProblem(rule: FieldRule, text: string): string | undefined {
  for (const item of text.split(',')) {
    const [range = '', step, ...extra] = item.split('/');
    if (extra.length > 0 || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `step in '${item}' must be a whole number >= 1`;
    if (range === '*' || range === '?') continue;
    const [from = '', to, ...more] = range.split('-');
    const a = value(rule, from);
    const b = to === undefined ? a : value(rule, to);
    if (more.length > 0 || a === undefined || b === undefined) return `'${item}' is outside ${rule.min}-${rule.max}`;
    if (b < a) return `range '${range}' runs backwards`;
  }
  return undefined;
}

/**
 * Checks a Kubernetes CronJob schedule: five fields (minute hour day-of-month month
 * day-of-week) or a macro such as `@daily`. Returns the schedule, or throws naming the field.
 */
export function parseCronSchedule(schedule: string): string {
  const trimmed = schedule.trim();
  if (MACROS.has(trimmed)) return trimmed;
  const fields = trimmed.split(/\s+/);
  const fail = (rule: string): never => {
    throw PlatformError.of({
      path: 'CronSchedule', field: 'schedule', value: schedule, rule,
      fix: "write five fields, minute hour day-of-month month day-of-week (e.g. '*/15 * * * *'), or a macro such as '@daily'",
    });
  };
  if (fields.length !== 5) fail(`has ${fields.length} fields, not 5`);
  FIELDS.forEach((rule, i) => {
    const problem = fieldProblem(rule, fields[i] ?? '');
    if (problem !== undefined) fail(`has a bad ${rule.name} field: ${problem}`);
  });
  return fields.join(' ');
}
