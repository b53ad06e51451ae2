/** Making text from the API or from errors safe to show in logs, annotations and messages. */

/**
 * One line of at most `max` characters: control characters and line breaks become spaces, so a
 * value from the API cannot start a line of its own and be read by the runner as a
 * `::workflow-command::`.
 */
export function oneLine(text: string, max = 200): string {
  const flat = text
    .replace(/[\p{Cc}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/**
 * A line the Actions runner reads as nothing but text, for the log, an annotation, a group title
 * or an output: one line, no `::` at its start (the runner trims leading spaces before looking),
 * and no `##[` anywhere (the runner's legacy commands, which it finds anywhere in a line).
 * Every such line goes through here: the log through log.ts, outputs through report.ts.
 */
export function inert(text: string, max = 1000): string {
  return oneLine(text, max).replace(/##\[/g, '## [').replace(/^::/, ': :');
}

/**
 * Replaces every occurrence of each secret with `***`, in any letter case: a server may echo a
 * key upper-cased, and the runner's masking only knows the exact forms.
 */
export function redact(text: string, secrets: readonly string[]): string {
  const pattern = secretPattern(secrets);
  return pattern === undefined ? text : text.replace(pattern, '***');
}

/** One case-insensitive pattern for all secrets, longest first so a prefixed form wins whole. */
export function secretPattern(secrets: readonly string[]): RegExp | undefined {
  const forms = secrets.filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  if (forms.length === 0) return undefined;
  return new RegExp(forms.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
}

/** A value for a log line or message: one line, shortened, quoted as JSON would. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(oneLine(value, max));
}
