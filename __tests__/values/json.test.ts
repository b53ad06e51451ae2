import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { tooDeep } from '../../src/values/json.js';

/** The nesting depth of a JSON value: containers count, scalars do not. */
function depth(value: unknown): number {
  if (Array.isArray(value)) return 1 + Math.max(0, ...value.map(depth));
  if (typeof value === 'object' && value !== null) return 1 + Math.max(0, ...Object.values(value).map(depth));
  return 0;
}

describe('tooDeep', () => {
  it('finds the path to the first container past the limit', () => {
    const text = '{"count":1,"data":[{"run_id":"R1"},{"a":"}]{[","output":{"x":[[1]]}}]}';
    expect(tooDeep(text, 6)).toBeUndefined();
    expect(tooDeep(text, 5)).toEqual(['data', 1, 'output', 'x', 0]);
    expect(tooDeep(text, 4)).toEqual(['data', 1, 'output', 'x']);
    expect(tooDeep(text, 3)).toEqual(['data', 1, 'output']);
  });

  it('skips brackets and quotes inside strings, escaped quotes included', () => {
    expect(tooDeep('{"a\\"[[[":"\\\\","b":"[[[[\\"[[["}', 1)).toBeUndefined();
    expect(tooDeep('["\\"", [1]]', 1)).toEqual([1]);
  });

  it('reads a million levels in one pass, keeping no more than the limit', () => {
    const levels = 1_000_000;
    expect(tooDeep(`{"data":${'['.repeat(levels)}${']'.repeat(levels)}}`, 64)).toEqual([
      'data',
      ...Array.from({ length: 63 }, () => 0)
    ]);
  });

  it('agrees with the depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, limit) => {
        const found = tooDeep(JSON.stringify(value), limit);
        expect(found === undefined).toBe(depth(value) <= limit);
      }),
      { numRuns: 500 }
    );
  });
});
