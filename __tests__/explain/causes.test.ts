import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { CAUSES, CLASSIFIED, FREE_TEXT, causesOf, shownLabel } from '../../src/explain/causes.js';
import { isCode } from '../../src/values/code.js';
import { DISGUISED, hostileText } from '../fuzz.js';

describe('shownLabel', () => {
  it('shows a code as it is, and nothing for an absent field', () => {
    expect(shownLabel('no_answer')).toBe('no_answer');
    expect(shownLabel('sip_503')).toBe('sip_503');
    expect(shownLabel(undefined)).toBeUndefined();
  });

  it.each([
    ['No answer after 30s', '(free text: no answer)'],
    ['Line busy (SIP 486)', '(free text: busy, SIP 486)'],
    ['Voicemail detected, no message left', '(free text: voicemail)'],
    ['Call to +1 (415) 555-0142 failed: number unreachable', '(free text: network error)'],
    ['Invalid number +1 (415) 555-0142', '(free text: invalid number)'],
    ['Carrier rejected the call (SIP 603)', '(free text: declined, network error, SIP 603)'],
    ['Contact ann@x.example asked not to be called', FREE_TEXT],
    ['Request timed out after 30 s', '(free text: timeout)'],
    ['HTTP 503 from the LLM provider', '(free text: agent error, HTTP 503)'],
    ['Agent error: the model crashed', '(free text: agent error)'],
    ['Customer John Smith at +1 415 555 0100 hung up', FREE_TEXT],
    ['Completed', FREE_TEXT]
  ])('counts %j as %j, without its words', (text, label) => {
    expect(shownLabel(text)).toBe(label);
  });

  it('shows none of the disguised contacts, only its own words', () => {
    for (const text of DISGUISED) expect(shownLabel(text)).toMatch(/^\(free text(: [a-zA-Z0-9 ,]+)?\)$/);
  });

  it('gives a code, or the neutral label with causes from the vocabulary, for any text', () => {
    const said = new RegExp(`^(?:${CAUSES.join('|')}|(?:SIP|HTTP) [1-6]\\d\\d)$`);
    fc.assert(
      fc.property(hostileText(), (text) => {
        const label = shownLabel(text) ?? '';
        if (label === text) {
          expect(isCode(text)).toBe(true);
          return;
        }
        expect(label === FREE_TEXT || label.startsWith('(free text: ')).toBe(true);
        for (const cause of causesOf(text)) expect(cause).toMatch(said);
        // Classifying the label again gives the label: it holds nothing but the gate's words.
        expect(shownLabel(label)).toBe(label);
      }),
      { numRuns: 500 }
    );
  });

  it('reads only the first CLASSIFIED characters, so the work per field is bounded', () => {
    fc.assert(
      fc.property(hostileText(), hostileText(), (text, tail) => {
        const long = `${text.padEnd(CLASSIFIED, ' ')}${tail}`;
        expect(shownLabel(long)).toBe(shownLabel(long.slice(0, CLASSIFIED)));
      }),
      { numRuns: 300 }
    );
  });
});

describe('causesOf', () => {
  // Each cause as servers and carriers write it: run together, spaced, or joined by `_` or `-`.
  it.each([
    ['Call ended: NoAnswer', ['no answer']],
    ['no-answer after 6 rings', ['no answer']],
    ['Callee did not answer', ['no answer']],
    ["Callee didn't answer", ['no answer']],
    ['Customer didnt answer', ['no answer']],
    ['Callee did nt answer', ['no answer']],
    ['No response from callee', ['no answer']],
    ['NoResponse', ['no answer']],
    ['voice mail greeting detected', ['voicemail']],
    ['Voice-mail reached', ['voicemail']],
    ['Customer asked to opt out', ['declined']],
    ['Customer opted out by SMS', ['declined']],
    ['InvalidNumber', ['invalid number']],
    ['Invalid phone number', ['invalid number']],
    ['InvalidPhoneNumber', ['invalid number']],
    ['invalid phone-number format', ['invalid number']],
    ['Timeout waiting for media', ['timeout']],
    ['time out waiting for the callee', ['timeout']],
    ['time-out on the media stream', ['timeout']],
    ['Call TimedOut', ['timeout']],
    ['AgentError: the call could not start', ['agent error']],
    ['TTSFailure on the greeting', ['agent error']],
    ['Rejected with SIP486', ['declined', 'SIP 486']],
    ['sip/480 temporarily unavailable', ['SIP 480']],
    ['Completed', []]
  ])('finds in %j the causes %j', (text, causes) => {
    expect(causesOf(text)).toEqual(causes);
  });

  it.each(['Answered on the first ring', 'Timestamp out of range', 'Model call finished', 'Ticket 4865 closed'])(
    'finds no cause in %j, whose words only look like one',
    (text) => {
      expect(causesOf(text)).toEqual([]);
    }
  );
});

describe('the vocabulary in docs/explain.md', () => {
  it('lists every cause, in the order labels list them', () => {
    const doc = readFileSync(new URL('../../docs/explain.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| `([a-z ]+)`\s+\|/gm)].map((m) => m[1]);
    expect(rows).toEqual([...CAUSES]);
    expect(doc).toContain(`counted as \`${shownLabel('Line busy (SIP 486)') ?? ''}\``);
  });
});
