/**
 * Free text from a task (a failure reason, a label) can quote the contact it was about. Before
 * such text is counted or shown, anything that looks like an address, a URL or a phone number
 * is replaced by a placeholder. Names cannot be told from words, which is why the task parser
 * keeps no field that holds them.
 */
import { oneLine } from '../values/text.js';

/** Longest label kept, after scrubbing: enough for "SIP 486 Busy Here", short enough for a table. */
export const MAX_LABEL = 60;

// `scheme://…`, `www.…`, and schemes that carry an address without slashes (tel:, sip:, mailto:).
const URL_LIKE = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.|(?:tel|sips?|mailto|callto|wa):)\S*/giu;
// Any word with an @ in it (an address, half of one, or a handle), quotes and brackets aside.
const EMAIL_LIKE = /[^\s"'<>()[\]]*@[^\s"'<>()[\]]*/gu;
// Seven or more digits with only phone punctuation between them (+1 (415) 555-0199, 4155550199).
const PHONE_LIKE = /\+?\(?\d(?:[\s().\-/+]{0,3}\d){6,}\)?/gu;

/** Text with addresses, URLs and phone-like digit runs replaced; one line, at most `max` characters. */
export function scrub(text: string, max = MAX_LABEL): string {
  const flat = oneLine(text, 4000)
    .replace(URL_LIKE, '[url]')
    .replace(EMAIL_LIKE, '[email]')
    .replace(PHONE_LIKE, '[number]');
  return oneLine(flat, max);
}
