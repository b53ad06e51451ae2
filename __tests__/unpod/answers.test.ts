/** What the API's answers mean to a person (src/answer.ts): exact messages, no server needed. */
import { describe, expect, it } from '@jest/globals';
import { givenUp, refusal, retryReason, serverMessage, statusText, type Refused } from '../../src/unpod/answers.js';

const refused = (status: number, over: Partial<Refused> = {}): string =>
  refusal({
    status,
    shown: statusText(status, 'Said.'),
    agent: 'sales-agent',
    orgHandle: 'my-org',
    origin: 'https://unpod.example',
    endpoint: 'executions',
    isJson: true,
    ...over
  });

describe('refusal', () => {
  it('names the input to check for each status the API refuses with', () => {
    expect(refused(206)).toBe(
      `Unpod denied access (HTTP 206 "Said."; an error despite being 2xx): check 'org-handle' and that the token's user may see agent "sales-agent".`
    );
    expect(refused(400)).toBe(`The API rejected the request (HTTP 400 "Said."): check 'org-handle'.`);
    expect(refused(401)).toBe(
      `The API refused the token (HTTP 401 "Said."): check 'token' (a key from Unpod, with or without its 'Token ' prefix).`
    );
    expect(refused(403)).toBe(
      `The API denied access (HTTP 403 "Said."): check that the token's user may see agent "sales-agent" in organisation "my-org".`
    );
    expect(refused(404)).toBe(`Agent "sales-agent" not found (HTTP 404 "Said."): check 'agent-handle' and 'base-url'.`);
  });

  it('tells a 404 that is not JSON (not the API) from an unknown agent, and asks for base-url only for executions', () => {
    expect(refused(404, { isJson: false })).toBe(
      `The server at https://unpod.example has no executions endpoint (HTTP 404, not JSON): check 'base-url'.`
    );
    expect(refused(404, { isJson: false, endpoint: 'tasks' })).toBe(
      `The server at https://unpod.example has no tasks endpoint (HTTP 404, not JSON).`
    );
  });

  it('refuses every redirect, naming its target when there is one', () => {
    const tail = `: check 'base-url'; the gate does not follow redirects, so the token goes nowhere else.`;
    expect(refused(300, { location: 'https://login.example/' })).toBe(
      `The API redirected (HTTP 300 to "https://login.example/")${tail}`
    );
    expect(refused(399)).toBe(`The API redirected (HTTP 399)${tail}`);
    expect(refused(301, { location: '' })).toBe(`The API redirected (HTTP 301)${tail}`);
  });

  it('calls a 5xx it does not retry a failing API, and anything else unexpected', () => {
    expect(refused(500)).toBe(`The API is failing (HTTP 500 "Said.").`);
    expect(refused(501, { shown: statusText(501, '') })).toBe(`The API is failing (HTTP 501).`);
    expect(refused(499)).toBe(`The API answered with an unexpected status (HTTP 499 "Said."): success is HTTP 200.`);
    expect(refused(299)).toBe(`The API answered with an unexpected status (HTTP 299 "Said."): success is HTTP 200.`);
    expect(refused(204)).toBe(`The API answered with an unexpected status (HTTP 204 "Said."): success is HTTP 200.`);
  });
});

describe('statusText', () => {
  it("quotes the server's words after the status, on one line and shortened", () => {
    expect(statusText(401, 'Invalid token.')).toBe('HTTP 401 "Invalid token."');
    expect(statusText(401, '')).toBe('HTTP 401');
    expect(statusText(403, 'a "b"')).toBe('HTTP 403 "a \\"b\\""');
    expect(statusText(500, 'line one\nline two')).toBe('HTTP 500 "line one line two"');
    expect(statusText(500, 'x'.repeat(200))).toMatch(/^HTTP 500 "x{79}…"$/);
  });
});

describe('retryReason', () => {
  it('tells rate limiting from failing', () => {
    expect(retryReason(429, 'HTTP 429')).toBe('the API is rate-limiting requests (HTTP 429)');
    expect(retryReason(503, 'HTTP 503 "Down."')).toBe('the API is failing (HTTP 503 "Down.")');
  });
});

describe('serverMessage', () => {
  it('finds message, detail, error or error.message, in that order, skipping blank ones', () => {
    expect(serverMessage({ message: 'm', detail: 'd', error: 'e' })).toBe('m');
    expect(serverMessage({ message: ' ', detail: 'd', error: 'e' })).toBe('d');
    expect(serverMessage({ message: 3, detail: '', error: 'e' })).toBe('e');
    expect(serverMessage({ error: { message: 'nested' } })).toBe('nested');
    expect(serverMessage({ error: { message: '\t' } })).toBe('');
  });

  it('is empty for bodies without one: not an object, null, or no text in the fields', () => {
    for (const body of [undefined, null, 'Invalid token.', 42, [], {}, { error: null }, { detail: ['a'] }]) {
      expect(serverMessage(body)).toBe('');
    }
  });
});

describe('givenUp', () => {
  it('counts the attempts and starts with a capital', () => {
    expect(givenUp('the API is failing (HTTP 503)', 1, 'retries spent', undefined)).toBe(
      'The API is failing (HTTP 503), after 1 attempt.'
    );
    expect(givenUp('the request to https://x failed: timeout', 4, 'retries spent', 5000)).toBe(
      'The request to https://x failed: timeout, after 4 attempts.'
    );
  });

  it('says why the time limit stopped the retries: no room left, or a Retry-After past it', () => {
    expect(givenUp('the API is failing (HTTP 503)', 2, 'past the deadline', undefined)).toBe(
      "The API is failing (HTTP 503), after 2 attempts; no time was left for another attempt within the gate's time limit."
    );
    expect(givenUp('the API is rate-limiting requests (HTTP 429)', 1, 'past the deadline', 90_000)).toBe(
      "The API is rate-limiting requests (HTTP 429), after 1 attempt; the server asked to wait 1m 30s, past the gate's time limit."
    );
  });
});
