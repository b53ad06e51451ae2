/**
 * How deep a JSON text nests, found in one pass over its characters before it is parsed: the
 * gate walks no parsed value recursively, and a body nested deeper than it reads anything is
 * refused before JSON.parse spends seconds on it (32 MB of `[` is 16 million levels).
 */

/** Where a body first nests too deep: the keys and indices leading there, outermost first. */
export type JsonPath = readonly (string | number)[];

/** Key characters kept for a path: enough to name a field, never a long value. */
const KEY_KEPT = 40;
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const COLON = 58;

/**
 * The path to the first container nested more than `limit` levels deep (the envelope is level
 * 1), or undefined when none is. Reads `text` once, keeping at most `limit` levels; meant for
 * text that is valid JSON, and harmless on text that is not (JSON.parse then refuses it).
 */
export function tooDeep(text: string, limit: number): JsonPath | undefined {
  // One frame per open container: its kind and where inside it the scan is (index or key).
  const arrays: boolean[] = [];
  const at: (string | number)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i + 1;
      i = start;
      while (i < text.length && text.charCodeAt(i) !== QUOTE) i += text.charCodeAt(i) === BACKSLASH ? 2 : 1;
      if (expectKey) {
        at[at.length - 1] = text.slice(start, Math.min(i, start + KEY_KEPT));
        expectKey = false;
      }
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (arrays.length >= limit) return at.slice();
      arrays.push(c === OPEN_ARRAY);
      at.push(0);
      expectKey = c === OPEN_OBJECT;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      arrays.pop();
      at.pop();
      expectKey = false;
    } else if (c === COMMA && arrays.length > 0) {
      const top = at.length - 1;
      if (arrays[top] === true) at[top] = Number(at[top]) + 1;
      else expectKey = true;
    } else if (c === COLON) {
      expectKey = false;
    }
  }
  return undefined;
}
