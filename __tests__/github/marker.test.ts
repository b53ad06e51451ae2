import { describe, expect, it } from '@jest/globals';
import { commentKey, marker, readMarker } from '../../src/github/marker.js';

describe('the comment marker', () => {
  it('keys by workflow, job and the set of agents, in any order', () => {
    const key = commentKey('Deploy', 'gate', ['sales-agent', 'support-agent']);
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(commentKey('Deploy', 'gate', ['support-agent', 'sales-agent'])).toBe(key);
    expect(commentKey('Deploy', 'gate', ['sales-agent'])).not.toBe(key);
    expect(commentKey('Deploy', 'gate2', ['sales-agent', 'support-agent'])).not.toBe(key);
    expect(commentKey('Release', 'gate', ['sales-agent', 'support-agent'])).not.toBe(key);
    // Fields cannot run into each other.
    expect(commentKey('a', 'bc', ['d'])).not.toBe(commentKey('ab', 'c', ['d']));
    // Agents cannot run into each other either.
    expect(commentKey('Deploy', 'gate', ['ab', 'c'])).not.toBe(commentKey('Deploy', 'gate', ['a', 'bc']));
  });

  it('reads back the key and run it wrote, only at the start of a body', () => {
    const line = marker('0123456789abcdef', 123456789012);
    expect(line).toBe('<!-- unpod-gate-comment key=0123456789abcdef run=123456789012 -->');
    expect(readMarker(`${line}\n### text`)).toEqual({ key: '0123456789abcdef', runId: 123456789012 });
    expect(readMarker(`quoted:\n${line}`)).toBeUndefined();
    expect(readMarker('<!-- unpod-gate-comment key=XYZ run=1 -->')).toBeUndefined();
    expect(readMarker('')).toBeUndefined();
  });
});
