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
