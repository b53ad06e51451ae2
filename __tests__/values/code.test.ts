import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MAX_CODE, isCode } from '../../src/values/code.js';
import { DISGUISED } from '../fuzz.js';

describe('isCode', () => {
  it.each([
    'no_answer',
    'caller_hangup',
    'sip_503',
    'no-answer',
    'completed',
    'in_progress',
    'v1.2',
    'sip:486',
    'x',
    // The limits themselves: MAX_CODE characters, and four digits.
    'a'.repeat(MAX_CODE),
    'x415_5'
  ])('allows the code %j', (code) => {
    expect(isCode(code)).toBe(true);
  });

  it.each([
    ['free text', 'No answer after 30s'],
    ['a capital', 'Busy'],
    ['a name', 'John Smith'],
    ['a digit first', '415_555_0100'],
    ['five digits', 'x415_55'],
    ['a host name', 'quarrington.example'],
    ['a URI', 'sip:wilhelmina'],
    ['a full-width at', 'zed＠example.org'],
    ['empty', ''],
    ['one character too long', 'a'.repeat(MAX_CODE + 1)]
  ])('refuses %s: %j', (_what, value) => {
    expect(isCode(value)).toBe(false);
  });

  it('refuses every disguised contact', () => {
    for (const text of DISGUISED) expect(isCode(text)).toBe(false);
  });

  it('allows only short tokens of a-z, 0-9 and _ . : - with at most four digits', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (value) => {
        if (!isCode(value)) return;
        expect(value).toMatch(/^[a-z][a-z0-9_.:-]{0,31}$/);
        expect(value.replace(/\D/g, '').length).toBeLessThanOrEqual(4);
        expect(value).not.toMatch(/[a-z][.:][a-z]/);
      })
    );
  });
});
