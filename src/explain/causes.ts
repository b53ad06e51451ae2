/**
 * What a task's text field may show: the value itself when it has the shape of a code (the
 * allow-list, values/code.ts), else one neutral label, `(free text)`, with the causes its words
 * name from a small fixed vocabulary: `(free text: busy, SIP 486)`. The text itself is never
 * echoed. Linear time on any input: only the first CLASSIFIED characters are read, and every
 * pattern is a plain alternation without nested quantifiers.
 */
import { isCode } from '../values/code.js';

/** The label of a value that is not a code and names no cause. */
export const FREE_TEXT = '(free text)';
/** Characters of a free-text value read to classify it: enough for any reason a server writes. */
export const CLASSIFIED = 300;

/** The vocabulary, in the order causes are listed in a label. */
export const CAUSES = [
  'no answer',
  'busy',
  'voicemail',
  'declined',
  'invalid number',
  'timeout',
  'network error',
  'agent error'
] as const;
export type Cause = (typeof CAUSES)[number];

/** Keywords per cause, matched in lower case at word starts. */
const KEYWORDS: Record<Cause, RegExp> = {
  'no answer': /\b(?:no[ _-]?answer|unanswered|not answered|did ?n[o']?t answer|no[ _-]?response|no one picked)/,
  busy: /\b(?:busy|engaged)\b/,
  voicemail: /\b(?:voice[ _-]?mail|answering machine|machine detected|amd)\b/,
  declined: /\b(?:declin|reject|refus|do not call|dnc\b|opt(?:ed)? out|blocked)/,
  'invalid number': /\b(?:invalid[ _-]?(?:phone[ _-]?)?number|wrong number|not in service|unallocated|bad number)/,
  timeout: /\b(?:time[ _-]?out|timed[ _-]?out|deadline exceeded)/,
  'network error': /\b(?:network|connection|carrier|trunk|telephony|unreachable|dns|socket|econn)/,
  'agent error':
    /\b(?:(?:agent|model|llm|assistant|bot|tts|stt)[ _-]?(?:error|fail|crash|exception|unavailable)|llm|openai)/
};

// `SIP 486`, `sip/486`, `HTTP-503`, `sip_603`: a status code is three digits, 100 to 699.
const STATUS_CODE = /\b(sip|http)[ /_:-]?([1-6]\d\d)\b/;

/**
 * The label under which a task's text field is counted: undefined when the field is absent, the
 * value when it is a code, else FREE_TEXT with the causes found, as `(free text: no answer)`.
 */
export function shownLabel(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (isCode(value)) return value;
  const causes = causesOf(value);
  return causes.length === 0 ? FREE_TEXT : `(free text: ${causes.join(', ')})`;
}

/** The causes free text names, in vocabulary order, with a SIP or HTTP status code last. */
export function causesOf(text: string): string[] {
  const bounded = text.slice(0, CLASSIFIED).toLowerCase();
  const found: string[] = CAUSES.filter((cause) => KEYWORDS[cause].test(bounded));
  const status = STATUS_CODE.exec(bounded);
  // Both groups are mandatory, so a match always holds them.
  if (status) found.push(`${status[1]!.toUpperCase()} ${status[2]!}`);
  return found;
}
