import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { oneLine, quote, redact } from '../src/text.js';

describe('oneLine', () => {
  it('turns line breaks and control characters into spaces so no workflow command can start a line', () => {
    expect(oneLine('ok\n::error::pwned\r\n\u2028x')).toBe('ok ::error::pwned x');
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(oneLine(text)).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      })
    );
  });
  it('shortens with an ellipsis', () => {
    expect(oneLine('x'.repeat(300), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});

describe('redact and quote', () => {
  it('removes every occurrence of every secret', () => {
    expect(redact('a SECRET b SECRET Token SECRET', ['Token SECRET', 'SECRET'])).toBe('a *** b *** ***');
    expect(quote('he said "hi"\n')).toBe('"he said \\"hi\\""');
  });
});

describe('oneLine and redact at their edges', () => {
  it('keeps text of exactly the limit whole, and cuts one character more', () => {
    expect(oneLine('x'.repeat(10), 10)).toBe('x'.repeat(10));
    expect(oneLine('x'.repeat(11), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(oneLine('x'.repeat(200))).toBe('x'.repeat(200));
    expect(oneLine('x'.repeat(201))).toHaveLength(200);
  });

  it('collapses every run of spaces and tabs to one space, so the limit counts words, not padding', () => {
    expect(oneLine('a   b\t\t c')).toBe('a b c');
    expect(oneLine('  padded  ')).toBe('padded');
  });

  it('leaves the text alone for an empty secret', () => {
    expect(redact('abc', [''])).toBe('abc');
    expect(redact('abc', ['', 'b'])).toBe('a***c');
  });
});
