import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { formatInstant, instantToMillis, parseInstant } from '../../src/values/instant.js';

describe('parseInstant', () => {
  it('reads every form the server sends as the same UTC instant', () => {
    const z = parseInstant('2026-02-07T05:57:45Z');
    expect(z).toBeDefined();
    expect(parseInstant('2026-02-07T05:57:45')).toBe(z);
    expect(parseInstant('2026-02-07T11:27:45+05:30')).toBe(z);
    expect(parseInstant('2026-02-07T11:27:45+0530')).toBe(z);
    expect(parseInstant('2026-02-06T23:57:45-06:00')).toBe(z);
    // RFC 3339 allows the separator and the zone letter in lower case.
    expect(parseInstant('2026-02-07t05:57:45z')).toBe(z);
    expect(parseInstant('2026-02-07t05:57:45')).toBe(z);
    expect(parseInstant('2026-02-07t11:27:45.000+05:30')).toBe(z);
    expect(instantToMillis(z!)).toBe(Date.parse('2026-02-07T05:57:45Z'));
  });

  it('keeps fractions down to microseconds and beyond', () => {
    const micro = parseInstant('2026-02-07T05:57:45.123000')!;
    const milli = parseInstant('2025-11-18T11:13:58.671Z')!;
    expect(formatInstant(micro)).toBe('2026-02-07T05:57:45.123Z');
    expect(formatInstant(milli)).toBe('2025-11-18T11:13:58.671Z');
    const a = parseInstant('2026-02-07T05:57:45.123001')!;
    const b = parseInstant('2026-02-07T05:57:45.123002')!;
    expect(b > a).toBe(true);
    expect(formatInstant(b)).toBe('2026-02-07T05:57:45.123002Z');
  });

  it.each([
    '',
    'yesterday',
    '2026-02-30T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-02-07T24:00:00Z',
    '2026-02-07',
    '2026-02-07T05:57:45+25:00',
    '1770443865',
    '2026-02-07T05:60:00Z',
    '2026-02-07x05:57:45Z',
    '2026-02-07T05:57:45y'
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('agrees with Date for any millisecond instant written with an offset', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (date, offset) => {
          const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
          const sign = offset < 0 ? '-' : '+';
          const abs = Math.abs(offset);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(parseInstant(`${local}${zone}`)).toBe(BigInt(date.getTime()) * 1_000_000n);
        }
      )
    );
  });
});

describe('parseInstant at the edges', () => {
  it.each([
    '2026-02-07T05:57:45Zjunk',
    '2026-02-07T05:57:45Z ok',
    'at 2026-02-07T05:57:45Z',
    '2026-02-07T05:57:45+05:30x',
    '2026-00-07T05:57:45Z',
    '2026-02-00T05:57:45Z',
    '2026-00-00T00:00:00Z',
    '2026-02-07T05:57:60Z',
    '2026-02-07T05:57:45+05:60'
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('accepts the last day of a month and the last second of a day', () => {
    expect(parseInstant('2026-12-31T23:59:59Z')).toBe(BigInt(Date.parse('2026-12-31T23:59:59Z')) * 1_000_000n);
    expect(parseInstant('2028-02-29T00:00:00Z')).toBe(BigInt(Date.parse('2028-02-29T00:00:00Z')) * 1_000_000n);
    expect(parseInstant('2026-01-01T00:00:00+23:59')).toBe(BigInt(Date.parse('2025-12-31T00:01:00Z')) * 1_000_000n);
  });
});

describe('parseInstant, every part of the form', () => {
  const utc = (iso: string) => BigInt(Date.parse(iso)) * 1_000_000n;
  it.each([
    ['2026-02-07 05:57', '2026-02-07T05:57:00Z'],
    ['2026-02-07T05:57Z', '2026-02-07T05:57:00Z'],
    ['2026-02-07T05:57:45z', '2026-02-07T05:57:45Z'],
    ['2026-02-07T05:57:45,5Z', '2026-02-07T05:57:45.500Z'],
    ['2026-02-07T08:57:45+03', '2026-02-07T05:57:45Z'],
    ['2026-02-07T05:57:45.1Z', '2026-02-07T05:57:45.100Z']
  ])('reads %j', (text, iso) => {
    expect(parseInstant(text)).toBe(utc(iso));
  });

  it('ignores white space around the timestamp, and only around it', () => {
    expect(parseInstant(' 2026-02-07T05:57:45Z\n')).toBe(utc('2026-02-07T05:57:45Z'));
    expect(parseInstant('2026-02-07T05:57:45 Z')).toBeUndefined();
  });

  it('keeps nine digits of a fraction, and no more', () => {
    expect(parseInstant('2026-02-07T05:57:45.123456789Z')).toBe(utc('2026-02-07T05:57:45Z') + 123_456_789n);
    expect(parseInstant('2026-02-07T05:57:45.1234567891Z')).toBeUndefined();
  });

  it.each([
    '026-02-07T05:57:45Z',
    '20260-02-07T05:57:45Z',
    '2026-2-07T05:57:45Z',
    '2026-02-7T05:57:45Z',
    '2026-02-07T5:57:45Z',
    '2026-02-07T05:7:45Z',
    '2026-02-07T05:57:5Z',
    '2026-02-07T05:57:45.Z',
    '2026-02-07X05:57:45Z',
    '2026-02-07T05:57:45+5',
    '2026-02-07T05:57:45+05:3',
    '2026-02-07T05:57:45*05:00',
    '2027-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-02-07T05:57:45+24:00'
  ])('refuses %j', (text) => {
    expect(parseInstant(text)).toBeUndefined();
  });

  it('reads years before 100 as written, not as 19xx', () => {
    expect(formatInstant(parseInstant('0099-12-31T23:59:59Z')!)).toBe('0099-12-31T23:59:59Z');
  });
});

describe('formatInstant', () => {
  it('drops a fraction of zero and trailing zeros, and keeps the digits that were sent', () => {
    const at = parseInstant('2026-02-07T05:57:45Z')!;
    expect(formatInstant(at)).toBe('2026-02-07T05:57:45Z');
    expect(formatInstant(at + 1000n)).toBe('2026-02-07T05:57:45.000001Z');
    expect(formatInstant(at + 120_000_000n)).toBe('2026-02-07T05:57:45.12Z');
    expect(formatInstant(at + 999n)).toBe('2026-02-07T05:57:45.000000999Z');
    expect(formatInstant(parseInstant('2026-02-07T05:57:45.123456789')!)).toBe('2026-02-07T05:57:45.123456789Z');
  });
});
