import { stringify } from 'yaml';
import { displayName } from './dist-reader';
import { type ClusterDiff, type FileDiff, type ObjectDiff, hasChanges, isSecret } from './dist-diff';
import { type FieldChange, fieldChanges } from './field-diff';
import { diffLines, hunks } from './line-diff';

/** What the two sides of a diff are, as the reader should see them (`main (1a2b3c4)`, `this change`). */
export interface DiffLabels {
  readonly base: string;
  readonly head: string;
}

/** A section longer than this many lines is folded into a `<details>` block. */
const FOLD_LINES = 12;
/** An added object's manifest longer than this is not printed (the synthesized file holds it). */
const MAX_MANIFEST_LINES = 150;
/** A one-line value longer than this is cut, with its length said. */
const MAX_VALUE_CHARS = 120;

/** A code fence longer than any run of backticks in the text, so no value can close it. */
function fenced(lang: string, lines: readonly string[]): string[] {
  const longest = Math.max(2, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((m) => m.length))));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, ...lines, fence];
}

function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const tick = '`'.repeat(longest + 1);
  return `${tick}${longest > 0 ? ' ' : ''}${text}${longest > 0 ? ' ' : ''}${tick}`;
}

/** Code in a table cell, where a `|` would end the cell. */
function cell(text: string): string {
  return code(text).replace(/\|/g, '\\|');
}

function inline(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS)}… (${text.length} characters)` : text;
}

function isText(v: unknown): v is string {
  return typeof v === 'string' && v.includes('\n');
}

/** The diff lines of one field: `~ spec.replicas: 2 → 3`, `+ path: value`, `- path: value`; a multi-line text gets its own line diff. */
function fieldLines(f: FieldChange, secret: boolean): string[] {
  const has = { before: 'before' in f, after: 'after' in f };
  if (secret) {
    // A Secret's values are never printed, whatever field holds them: only which fields moved.
    if (!has.before) return [`+ ${f.path} (value not shown)`];
    if (!has.after) return [`- ${f.path}`];
    return [`~ ${f.path}: changed (values not shown)`];
  }
  if (!has.before) return isText(f.after) ? [`+ ${f.path}: text of ${f.after.split('\n').length} lines`, ...textLines('', f.after)] : [`+ ${f.path}: ${inline(f.after)}`];
  if (!has.after) return [`- ${f.path}: ${isText(f.before) ? `text of ${f.before.split('\n').length} lines` : inline(f.before)}`];
  if (isText(f.before) || isText(f.after)) {
    const b = typeof f.before === 'string' ? f.before : inline(f.before);
    const a = typeof f.after === 'string' ? f.after : inline(f.after);
    return [`~ ${f.path}: text changed`, ...textLines(b, a)];
  }
  return [`~ ${f.path}: ${inline(f.before)} → ${inline(f.after)}`];
}

/** A text's line diff, indented under its field so the `+`/`-` of its lines still colour them. */
function textLines(before: string, after: string): string[] {
  const split = (t: string) => (t === '' ? [] : t.replace(/\n$/, '').split('\n'));
  return hunks(diffLines(split(before), split(after))).map((l) => `${l.op}     ${l.text}`);
}

/** A section's body, folded behind its summary when long. */
function section(title: string, summary: string, body: readonly string[], fold: boolean): string[] {
  if (!fold) return [title, '', ...body, ''];
  return [title, '', '<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>', ''];
}

function objectSection(d: ObjectDiff): string[] {
  const o = d.object;
  const secret = isSecret(o);
  const title = `#### ${code(displayName(o))} (${d.change}, chart ${code(o.chart)})`;
  if (d.change === 'added') {
    if (secret) return [title, '', 'A Secret: its contents are not shown.', ''];
    const yaml = stringify(o.body, { lineWidth: 0 }).replace(/\n$/, '').split('\n');
    if (yaml.length > MAX_MANIFEST_LINES) return [title, '', `Its manifest has ${yaml.length} lines; it is in ${code(o.file)}.`, ''];
    return section(title, `manifest, ${yaml.length} lines`, fenced('yaml', yaml), true);
  }
  const moved = d.movedFrom === undefined ? [] : [`~ (chart): ${JSON.stringify(d.movedFrom)} → ${JSON.stringify(o.chart)}`];
  const lines = [...moved, ...d.fields.flatMap((f) => fieldLines(f, secret))];
  const count = d.fields.length;
  return section(title, `${count} field${count === 1 ? '' : 's'} changed`, fenced('diff', lines), lines.length > FOLD_LINES);
}

function jsonOf(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function fileSection(f: FileDiff): string[] {
  if (f.change !== 'changed' || f.before === undefined || f.after === undefined) return [];
  const title = `#### file ${code(f.path)} (changed)`;
  const before = f.path.endsWith('.json') ? jsonOf(f.before) : undefined;
  const after = f.path.endsWith('.json') ? jsonOf(f.after) : undefined;
  const lines = before !== undefined && after !== undefined
    ? fieldChanges(before, after).flatMap((c) => fieldLines(c, false))
    : textLines(f.before, f.after);
  return section(title, `${lines.length} lines of diff`, fenced('diff', lines), lines.length > FOLD_LINES);
}

function counts(c: ClusterDiff): string {
  const n = (change: string) => c.objects.filter((o) => o.change === change).length + c.files.filter((f) => f.change === change).length;
  return `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed`;
}

function clusterSection(c: ClusterDiff): string[] {
  const state = c.presence === 'added' ? ' (new)' : c.presence === 'removed' ? ' (gone)' : '';
  const rows = [
    ...c.objects.map((d) => `| ${d.change} | ${cell(displayName(d.object))} | ${cell(d.object.chart)} | ${d.change === 'changed' ? String(d.fields.length) : ''} |`),
    ...c.files.map((f) => `| ${f.change} | file ${cell(f.path)} | | |`),
  ];
  return [
    `### ${code(c.name)}${state}: ${counts(c)}`,
    '',
    '| change | object | chart | fields |',
    '|---|---|---|---:|',
    ...rows,
    '',
    ...c.objects.filter((d) => d.change !== 'removed').flatMap(objectSection),
    ...c.files.flatMap(fileSection),
  ];
}

/**
 * The diff as Markdown for a pull-request comment: a line of totals, then per changed cluster a
 * table of what was added, removed and changed and a section per added or changed object with
 * its field-level diff (long ones folded). Secrets show their names and changed fields only,
 * never a value. Same input, same bytes.
 */
export function diffMarkdown(clusters: readonly ClusterDiff[], labels: DiffLabels): string {
  const changed = clusters.filter(hasChanges);
  const unchanged = clusters.filter((c) => !hasChanges(c)).map((c) => code(c.name));
  const head = [`## Manifest diff: ${labels.base} → ${labels.head}`, ''];
  if (changed.length === 0) {
    return [...head, `No changes: the ${clusters.length} output folder${clusters.length === 1 ? '' : 's'} synthesize${clusters.length === 1 ? 's' : ''} to the same manifests.`, ''].join('\n');
  }
  const summary = `${changed.length} of ${clusters.length} output folder${clusters.length === 1 ? '' : 's'} changed${unchanged.length > 0 ? `; unchanged: ${unchanged.join(', ')}` : ''}.`;
  return [...head, summary, '', ...changed.flatMap(clusterSection)].join('\n');
}
