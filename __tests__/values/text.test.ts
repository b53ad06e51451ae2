import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { inert, oneLine, quote, redact } from '../../src/values/text.js';

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

describe('inert', () => {
  it.each([
    ['##[add-mask]x', '## [add-mask]x'],
    [
      'HTTP 503 "##[error title=Unpod gate]Security sign-off missing"',
      'HTTP 503 "## [error title=Unpod gate]Security sign-off missing"'
    ],
    ['###[x] ##[##[', '### [x] ## [## ['],
    ['::error::pwned', ': :error::pwned'],
    ['  ::stop-commands::t', ': :stop-commands::t'],
    ['\n::set-output name=a::b', ': :set-output name=a::b'],
    ['ok ::error::x', 'ok ::error::x'],
    ['http://[::1]:8080', 'http://[::1]:8080']
  ])('makes %j plain text: %j', (text, shown) => {
    expect(inert(text)).toBe(shown);
  });

  it('leaves nothing the runner reads as a command, whatever the text', () => {
    const commandish = fc.stringMatching(/^[\s:#[\]a-z\n\u2028]{0,40}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), commandish), (text) => {
        const line = inert(text);
        expect(line).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
        expect(line).not.toContain('##[');
        expect(line.trimStart()).not.toMatch(/^::/);
      }),
      { numRuns: 2000 }
    );
  });
});

describe('redact and quote', () => {
  it('removes every occurrence of every secret', () => {
    expect(redact('a SECRET b SECRET Token SECRET', ['Token SECRET', 'SECRET'])).toBe('a *** b *** ***');
    expect(redact('x.y+z', ['.', 'y+'])).toBe('x******z');
    expect(quote('he said "hi"\n')).toBe('"he said \\"hi\\""');
  });

  it('ignores letter case, since a server may echo a key upper-cased', () => {
    const key = '0123456789abcdef0123456789abcdef01234567';
    expect(redact(`bad ${key.toUpperCase()} and TOKEN ${key.toUpperCase()}`, [key, `Token ${key}`])).toBe(
      'bad *** and ***'
    );
    expect(redact('nothing here', [])).toBe('nothing here');
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

  it('masks the longest form whole, whatever order the forms come in', () => {
    expect(redact('a Token SECRET1', ['SECRET1', 'Token SECRET1'])).toBe('a ***');
    expect(redact('a Token SECRET1', ['Token SECRET1', 'SECRET1'])).toBe('a ***');
    // Where one form begins another, the regex takes the first alternative that matches there:
    // only the longest-first order masks the longer form whole.
    expect(redact('key=abcdef12xyz', ['abcdef12', 'abcdef12xyz'])).toBe('key=***');
    expect(redact('key=abcdef12xyz', ['abcdef12xyz', 'abcdef12'])).toBe('key=***');
  });
});
