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

/** Replaces every occurrence of each secret with `***`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}

/** A value for a log line or message: one line, shortened, quoted as JSON would. */
export function quote(value: string, max = 80): string {
  return JSON.stringify(oneLine(value, max));
}
