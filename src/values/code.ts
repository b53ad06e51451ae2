/**
 * The allow-list for values the API sends as text: a value is shown only when it has the shape of
 * a code (`no_answer`, `caller_hangup`, `sip_503`). Free text can quote a contact in any form, and
 * no pattern can find every name, number or address in it, so free text is never shown: the
 * shape is checked, not the content.
 */

/** The longest code shown: `callback_requested`, `partially_completed` and their kind fit. */
export const MAX_CODE = 32;
/** Digits a code may hold in all: `sip_503` has three, a phone number has seven and more. */
const MAX_DIGITS = 4;

// A letter first, then lower-case letters, digits and `_ . : -`. No quantifier is nested.
const SHAPE = /^[a-z][a-z0-9_.:-]*$/;
// A dot or colon between two letters reads as a host name (`example.org`) or a URI (`sip:ann`).
const HOST_OR_URI = /[a-z][.:][a-z]/;
const DIGIT = /\d/g;

/**
 * Whether `value` has the shape of a code: at most MAX_CODE characters, a lower-case letter first,
 * then lower-case letters, digits and `_ . : -`, at most four digits in all, and no dot or colon
 * between two letters. So `Ann`, `415_555_0100`, `www.example.org` and `sip:ann` are not codes.
 */
export function isCode(value: string): boolean {
  // SHAPE needs a first letter, so an empty value is refused there.
  if (value.length > MAX_CODE) return false;
  if (!SHAPE.test(value) || HOST_OR_URI.test(value)) return false;
  return (value.match(DIGIT)?.length ?? 0) <= MAX_DIGITS;
}
