import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_LABEL, scrub } from '../../src/unpod/privacy.js';

describe('scrub', () => {
  it.each([
    ['Call to +1 (415) 555-0142 failed: number unreachable', 'Call to [number] failed: number unreachable'],
    ['Invalid number 4155550142', 'Invalid number [number]'],
    ['Invalid number +44 20 7946 0958', 'Invalid number [number]'],
    ['Invalid number 415.555.0142', 'Invalid number [number]'],
    ['Contact amara.okafor7@mail.example asked not to be called', 'Contact [email] asked not to be called'],
    ['see https://recordings.example/a/b.mp3?x=1 for details', 'see [url] for details'],
    ['dial tel:+14155550142 now', 'dial [url] now'],
    ['sip:amara@pbx.example rejected', '[url] rejected'],
    ['mirror at www.example.com/x', 'mirror at [url]']
  ])('replaces contact details in %j', (text, expected) => {
    expect(scrub(text, 200)).toBe(expected);
  });

  it.each([
    'No answer after 30s',
    'Line busy (SIP 486)',
    'no_answer',
    'Carrier rejected the call (SIP 603)',
    'caller_hangup'
  ])('keeps ordinary reasons as they are: %j', (text) => {
    expect(scrub(text)).toBe(text);
  });

  it('makes one line, shortened after scrubbing so that a cut cannot leave half a number', () => {
    expect(scrub('a\nb\r\n::error::x')).toBe('a b ::error::x');
    const long = `${'x'.repeat(MAX_LABEL - 5)} +1 415 555 0142`;
    expect(scrub(long)).toBe(`${'x'.repeat(MAX_LABEL - 5)} [nu…`);
    expect(scrub(long)).not.toMatch(/\d{3}/);
  });

  it('leaves no seven digits in phone punctuation, no address and no scheme in any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'0123456789 -().+@abc:/w'.split('')), maxLength: 80 }),
        (text) => {
          const out = scrub(text, 400);
          expect(out.replace(/[\s().\-/+]/g, '')).not.toMatch(/\d{7}/);
          expect(out).not.toMatch(/[^\s@]@[^\s@]/);
          expect(out).not.toMatch(/[a-z]+:\/\//i);
        }
      )
    );
  });
});
