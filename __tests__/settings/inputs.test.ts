import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DEFAULTS,
  NO_TOKEN,
  STEP_MARGIN_MS,
  isLoopbackHost,
  parseAgents,
  parseBaseUrl,
  readSettings,
  tokenForms,
  type Settings
} from '../../src/settings/inputs.js';

const TOKEN = '0123456789abcdef0123456789abcdef01234567';
const base = { 'agent-handle': 'sales-agent', 'org-handle': 'demo-org', token: TOKEN };
const wellFormed = (s: string): boolean => {
  try {
    encodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
};
const read = (inputs: Record<string, string>) => readSettings((name) => inputs[name] ?? '');

describe('readSettings', () => {
  it('applies the documented defaults', () => {
    const s = read(base);
    expect(s.agents).toEqual(['sales-agent']);
    expect(s.threshold.text).toBe('100');
    expect(s.baseUrl).toBe('https://unpod.ai');
    expect(s.summary).toBe(true);
    expect(s.requestTimeoutMs).toBe(30_000);
    expect(s.retries).toBe(3);
    expect(s.waitTimeoutMs).toBe(0);
    expect(s.stepTimeoutMs).toBe(STEP_MARGIN_MS);
    expect(s.pollIntervalMs).toBe(15_000);
    expect(s.onApiError).toBe('fail');
    expect(s.maxPages).toBe(20);
    expect(s.concurrency).toBe(4);
    expect(s.minTasks).toBe(1);
    expect(s.maxAgeMs).toBeUndefined();
    expect(s.enforce).toBe(true);
    expect(s.history).toBe(10);
    expect(s.runId).toBeUndefined();
    expect(s.reportPath).toBeUndefined();
    expect(s.warnings).toEqual([]);
  });

  it.each(['agent-handle', 'org-handle', 'token'])('refuses an empty or blank %s', (name) => {
    expect(() => read({ ...base, [name]: '' })).toThrow(`Input '${name}' is required`);
    expect(() => read({ ...base, [name]: '  \n ' })).toThrow(`Input '${name}'`);
  });

  it.each([
    ['threshold', 'abc'],
    ['threshold', '150'],
    ['threshold', '-1'],
    ['threshold', 'NaN'],
    ['threshold', '1e400'],
    ['threshold', '0x10'],
    ['retries', '11'],
    ['retries', '-1'],
    ['retries', '2.5'],
    ['summary', 'yes'],
    ['enforce', 'maybe'],
    ['allow-insecure-http', '1'],
    ['on-api-error', 'ignore'],
    ['wait-timeout', '10 parsecs'],
    ['poll-interval', '500ms'],
    ['request-timeout', '-3s'],
    ['max-pages', '0'],
    ['concurrency', '0'],
    ['min-tasks', 'x'],
    ['max-age', '0'],
    ['history', '51'],
    ['base-url', 'ftp://unpod.dev'],
    ['base-url', 'not a url'],
    ['base-url', 'https://user:pw@unpod.dev'],
    ['base-url', 'https://unpod.dev/?x=1'],
    ['base-url', 'https://unpod.dev/#top'],
    ['base-url', 'http://unpod.dev'],
    ['org-handle', 'demo\norg'],
    ['run-id', 'R1\r\nX-Evil: 1']
  ])('refuses %s %j, naming it', (name, value) => {
    expect(() => read({ ...base, [name]: value })).toThrow(`Input '${name}'`);
  });

  it.each(['Token', 'token ', 'Bearer', ' BEARER '])(
    'refuses a token that is only its scheme, %j, as empty',
    (token) => {
      expect(() => read({ ...base, token })).toThrow(
        /^Input 'token' holds only the word "\w+": the key after it is empty/
      );
    }
  );

  it('refuses a token too short to be one, and never masks such a short value', () => {
    expect(() => read({ ...base, token: 'abc' })).toThrow("Input 'token' is not a valid API token");
    expect(() => read({ ...base, token: 'Token 1234567' })).toThrow("Input 'token' is not a valid API token");
    expect(read({ ...base, token: '12345678' }).authorization).toBe('Token 12345678');
    expect(tokenForms('4').secrets).toEqual([]);
  });

  it('never echoes a malformed token', () => {
    const bad = 'Token abc def-secret';
    expect(() => read({ ...base, token: bad })).toThrow("Input 'token'");
    try {
      read({ ...base, token: bad });
    } catch (error) {
      expect((error as Error).message).not.toContain('def-secret');
    }
  });

  it('refuses a threshold between 0 and 1 without %, saying what 95 and 0.95% mean', () => {
    expect(() => read({ ...base, threshold: '0.95' })).toThrow(
      `Input 'threshold' is "0.95": thresholds are percentages, so 95 means 95 %. Did you mean 95? To gate on under one percent, write it with a percent sign: 0.95%.`
    );
    expect(() => read({ ...base, threshold: '0.925' })).toThrow('Did you mean 92.5?');
    expect(() => read({ ...base, threshold: '0.0000000001' })).toThrow(/0\.0000000001%/);
  });

  it.each([
    ['0.95%', '0.95'],
    ['0.5 %', '0.5'],
    ['0', '0'],
    ['1', '1'],
    ['1.5', '1.5'],
    ['0.000', '0']
  ])('takes threshold %j as %s %% without a warning', (threshold, text) => {
    const s = read({ ...base, threshold });
    expect(s.threshold.text).toBe(text);
    expect(s.warnings).toEqual([]);
  });

  it('allows plain http to loopback, and elsewhere only when told', () => {
    expect(read({ ...base, 'base-url': 'http://127.0.0.1:3001' }).baseUrl).toBe('http://127.0.0.1:3001');
    expect(read({ ...base, 'base-url': 'http://[::1]:3001/' }).baseUrl).toBe('http://[::1]:3001');
    expect(read({ ...base, 'base-url': 'http://localhost:3001' }).baseUrl).toBe('http://localhost:3001');
    expect(() => read({ ...base, 'base-url': 'http://unpod.internal' })).toThrow(/allow-insecure-http/);
    expect(read({ ...base, 'base-url': 'http://unpod.internal', 'allow-insecure-http': 'true' }).baseUrl).toBe(
      'http://unpod.internal'
    );
  });

  it('keeps a path prefix and drops trailing slashes', () => {
    expect(read({ ...base, 'base-url': 'https://example.com/unpod/' }).baseUrl).toBe('https://example.com/unpod');
    expect(read({ ...base, 'base-url': 'https://Example.COM' }).baseUrl).toBe('https://example.com');
  });

  it('refuses run-id with several agents', () => {
    expect(() => read({ ...base, 'agent-handle': 'a, b', 'run-id': 'R1' })).toThrow(/Input 'run-id'.*exactly one/);
  });

  it('reads durations, choices and booleans case-insensitively where GitHub does', () => {
    const s = read({
      ...base,
      'wait-timeout': '1m30s',
      'poll-interval': '5s',
      'on-api-error': 'WARN',
      enforce: 'False',
      'max-age': '7d'
    });
    expect(s.waitTimeoutMs).toBe(90_000);
    expect(s.pollIntervalMs).toBe(5000);
    expect(s.onApiError).toBe('warn');
    expect(s.enforce).toBe(false);
    expect(s.maxAgeMs).toBe(168 * 3_600_000);
  });

  it('reads decide-early, off by default, and warns when there is no wait to cut short', () => {
    expect(read(base).decideEarly).toBe(false);
    const on = read({ ...base, 'decide-early': 'true', 'wait-timeout': '10m' });
    expect(on).toMatchObject({ decideEarly: true, warnings: [] });
    expect(read({ ...base, 'decide-early': 'TRUE' }).warnings).toEqual([
      "Input 'decide-early' is true but 'wait-timeout' is 0: the gate does not wait, so it decides nothing early."
    ]);
    expect(() => read({ ...base, 'decide-early': 'yes' })).toThrow(
      `Input 'decide-early' is "yes": expected true or false.`
    );
  });

  it('has a default for every optional input it reads', () => {
    expect(Object.keys(DEFAULTS).sort()).toEqual(
      [
        'allow-insecure-http',
        'base-url',
        'concurrency',
        'enforce',
        'explain',
        'history',
        'max-pages',
        'min-tasks',
        'on-api-error',
        'poll-interval',
        'decide-early',
        'request-timeout',
        'retries',
        'summary',
        'threshold',
        'wait-timeout',
        'window',
        'baseline-runs',
        'pr-comment',
        'github-token',
        'if-no-token'
      ].sort()
    );
  });
});

describe('step-timeout', () => {
  it('defaults to wait-timeout plus 10 minutes', () => {
    expect(STEP_MARGIN_MS).toBe(600_000);
    expect(read({ ...base, 'wait-timeout': '20m' }).stepTimeoutMs).toBe(30 * 60_000);
    expect(read({ ...base, 'wait-timeout': '24h' }).stepTimeoutMs).toBe(24 * 3_600_000 + 600_000);
  });

  it.each([
    ['1ms', '0', 1],
    ['5m', '0', 300_000],
    ['10M 1S', '10m', 601_000],
    ['2d', '24h', 2 * 86_400_000]
  ])('takes %j above wait-timeout %j', (step, wait, ms) => {
    expect(read({ ...base, 'step-timeout': step, 'wait-timeout': wait }).stepTimeoutMs).toBe(ms);
  });

  it.each([
    ['5m', '10m', '10m 0s'],
    ['10m', '10m', '10m 0s'],
    ['0', '0', '0ms']
  ])('refuses %j, which does not exceed wait-timeout %j', (step, wait, shown) => {
    expect(() => read({ ...base, 'step-timeout': step, 'wait-timeout': wait })).toThrow(
      `Input 'step-timeout' is "${step}", which does not exceed wait-timeout ${shown}: the step needs time after the wait to fetch and report. Set it above wait-timeout, or leave it empty for wait-timeout plus 10m 0s.`
    );
  });

  it.each(['soon', '2d1s', '-5m'])('refuses %j naming the input', (step) => {
    expect(() => read({ ...base, 'step-timeout': step })).toThrow(/^Input 'step-timeout' is /);
  });
});

describe('tokenForms', () => {
  it('adds the Token scheme once, keeps Bearer as given, and lists every form to mask', () => {
    expect(tokenForms(TOKEN)).toEqual({ authorization: `Token ${TOKEN}`, secrets: [TOKEN, `Token ${TOKEN}`] });
    expect(tokenForms(`Token ${TOKEN}`).authorization).toBe(`Token ${TOKEN}`);
    expect(tokenForms(`token   ${TOKEN}`).authorization).toBe(`Token ${TOKEN}`);
    const bearer = tokenForms('Bearer eyJhbGciOi.payload.sig');
    expect(bearer.authorization).toBe('Bearer eyJhbGciOi.payload.sig');
    expect(bearer.secrets).toContain('eyJhbGciOi.payload.sig');
  });
});

describe('parseAgents', () => {
  it('splits on lines and commas, dropping blanks and repeats in order', () => {
    expect(parseAgents('sales-agent\n\n support-agent , sales-agent,booking-agent\n')).toEqual([
      'sales-agent',
      'support-agent',
      'booking-agent'
    ]);
  });

  it.each(['sales-agent support-agent', 'sales-agent;support-agent', 'a\tb', 'ok\nsales agent'])(
    'refuses %j: a handle is one word, and several go one per line or comma-separated',
    (text) => {
      expect(() => parseAgents(text)).toThrow(
        /^Input 'agent-handle' contains ".*", which has a space or ';' inside: a handle is one word such as sales-agent\. List several agents one per line or comma-separated \(sales-agent, support-agent\)\.$/
      );
    }
  );

  it.each(['.', '..', ' , \n ', 'a\u0000b'])('refuses %j', (text) => {
    expect(() => parseAgents(text)).toThrow(/Input 'agent-handle'/);
  });

  it('accepts any other handle, which the client encodes as one path segment', () => {
    fc.assert(
      fc.property(
        fc
          .string({ minLength: 1 })
          .filter(
            (s) =>
              !/[\n,;\p{Cc}]/u.test(s) &&
              !/\s/.test(s.trim()) &&
              s.trim() !== '' &&
              s.trim() !== '.' &&
              s.trim() !== '..' &&
              wellFormed(s)
          ),
        (handle) => {
          const [parsed] = parseAgents(handle);
          expect(parsed).toBe(handle.trim());
          expect(encodeURIComponent(parsed!)).not.toMatch(/[/?#]/);
        }
      )
    );
  });
});

describe('parseBaseUrl and isLoopbackHost', () => {
  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost')).toBe(true);
    expect(isLoopbackHost('localhost.evil.com')).toBe(false);
    expect(isLoopbackHost('128.0.0.1')).toBe(false);
  });

  it('refuses javascript: and data: URLs', () => {
    expect(() => parseBaseUrl('javascript:alert(1)', false)).toThrow(/Input 'base-url'/);
    expect(() => parseBaseUrl('data:text/plain,x', false)).toThrow(/Input 'base-url'/);
  });
});

describe('the edges of the token, the base URL and loopback', () => {
  it('masks a token of exactly the minimum length, in every form', () => {
    expect(tokenForms('12345678').secrets).toEqual(['12345678', 'Token 12345678']);
    expect(tokenForms('Token 12345678').secrets).toEqual(['Token 12345678', '12345678']);
    expect(read({ ...base, token: '12345678' }).secrets).toEqual(['12345678', 'Token 12345678']);
    // One character shorter is not a token: only the longer form with the scheme is long enough to mask.
    expect(tokenForms('1234567').secrets).toEqual(['Token 1234567']);
  });

  it('refuses a base URL with only a user or only a password', () => {
    for (const url of ['https://user@unpod.dev', 'https://:pw@unpod.dev', 'https://user:pw@unpod.dev']) {
      expect(() => parseBaseUrl(url, false)).toThrow("Input 'base-url' must not carry credentials");
    }
  });

  it('counts as loopback only a whole host name, never one that merely contains it', () => {
    for (const host of ['evillocalhost', 'localhost.evil.com', 'evil127.0.0.1', '127.0.0.1.evil.com', 'x[::1]']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
    for (const host of ['LOCALHOST', '127.0.0.1', '127.255.255.254', '127.10.200.3']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    expect(isLoopbackHost('127.0.0.1000')).toBe(false);
    expect(isLoopbackHost('127.0.0')).toBe(false);
    expect(isLoopbackHost('127a0b0c1')).toBe(false);
    expect(() => parseBaseUrl('http://evillocalhost', false)).toThrow(/clear text/);
    expect(() => parseBaseUrl('http://localhost.evil.com:3001', false)).toThrow(/clear text/);
  });
});

describe('the trend inputs', () => {
  it('default to judging the run alone, with every new rule off', () => {
    const s = read(base);
    expect(s).toMatchObject({
      window: 1,
      baselineRuns: 5,
      maxDrop: undefined,
      warnBelow: undefined,
      confidence: undefined
    });
    expect(s.thresholds.size).toBe(0);
  });

  it('read window, baseline-runs, max-drop, warn-below and confidence', () => {
    const s = read({
      ...base,
      threshold: '90',
      window: '5',
      'baseline-runs': '50',
      'max-drop': '2.5',
      'warn-below': '95%',
      confidence: '95'
    });
    expect(s).toMatchObject({ window: 5, baselineRuns: 50, confidence: '95' });
    expect(s.maxDrop?.text).toBe('2.5');
    expect(s.warnBelow?.text).toBe('95');
    expect(read({ ...base, confidence: '99%' }).confidence).toBe('99');
  });

  it.each([
    ['window', '0', /Input 'window' is "0": expected a whole number from 1 to 50/],
    ['window', '51', /Input 'window' is "51"/],
    ['window', '2.5', /Input 'window'/],
    ['baseline-runs', '0', /Input 'baseline-runs' is "0": expected a whole number from 1 to 50/],
    ['max-drop', 'five', /Input 'max-drop' is "five": expected a percentage/],
    ['max-drop', '101', /Input 'max-drop'/],
    ['warn-below', 'x', /Input 'warn-below'/],
    ['confidence', '97', /Input 'confidence' is "97": expected 80 or 90 or 95 or 98 or 99/],
    ['confidence', '0.95', /Input 'confidence'/]
  ])('refuses %s %j, naming it', (name, value, message) => {
    expect(() => read({ ...base, [name]: value })).toThrow(message);
  });

  it('refuses a warn-below under the threshold, equal is fine', () => {
    expect(() => read({ ...base, threshold: '95', 'warn-below': '94.99' })).toThrow(
      /Input 'warn-below' is 94.99, below the threshold of 95: it must be at least the threshold/
    );
    expect(read({ ...base, threshold: '95', 'warn-below': '95.0' }).warnBelow?.text).toBe('95');
    expect(() =>
      read({ ...base, 'agent-handle': 'a\nb', threshold: '90', 'warn-below': '95', thresholds: 'b: 96' })
    ).toThrow(/below the threshold of 96 for b in 'thresholds'/);
  });

  it('checks warn-below only against the thresholds that judge some agent', () => {
    // Every agent has its own line: the global threshold (100 by default) judges none of them.
    const both = { ...base, 'agent-handle': 'a\nb', 'warn-below': '95', thresholds: 'a: 1%\nb: 90' };
    expect(read(both).warnBelow?.text).toBe('95');
    // One agent without a line is judged by the global threshold, so warn-below is checked against it.
    expect(() => read({ ...both, thresholds: 'b: 90' })).toThrow(
      "Input 'warn-below' is 95, below the threshold of 100: it must be at least the threshold (a warning band above it)."
    );
    expect(() => read({ ...both, thresholds: 'a: 1%\nb: 96' })).toThrow(
      /below the threshold of 96 for b in 'thresholds'/
    );
  });

  it('refuses a per-agent threshold between 0 and 1 without %, exactly like threshold', () => {
    expect(() => read({ ...base, 'agent-handle': 'a, b', thresholds: 'a: 90\nb: 0.95' })).toThrow(
      `Input 'thresholds' line 2 gives "b" the threshold "0.95": thresholds are percentages, so 95 means 95 %. Did you mean 95? To gate on under one percent, write it with a percent sign: 0.95%.`
    );
    expect(() => read({ ...base, 'agent-handle': 'a', thresholds: 'a: 0.925' })).toThrow('Did you mean 92.5?');
    const s = read({ ...base, 'agent-handle': 'a, b', thresholds: 'a: 0.95%\nb: 1' });
    expect([...s.thresholds].map(([agent, t]) => [agent, t.text])).toEqual([
      ['a', '0.95'],
      ['b', '1']
    ]);
  });

  it('counts lines as written, blank ones included', () => {
    expect(() => read({ ...base, 'agent-handle': 'a, b', thresholds: 'a: 90\n\nb: abc' })).toThrow(
      /Input 'thresholds' line 3 gives "b" the threshold "abc": expected a percentage from 0 to 100/
    );
  });

  it('reads per-agent thresholds, one per line, blank lines skipped', () => {
    const s = read({ ...base, 'agent-handle': 'sales-agent, support-agent', thresholds: '\nsupport-agent: 92.5%\n\n' });
    expect([...s.thresholds].map(([a, t]) => [a, t.text])).toEqual([['support-agent', '92.5']]);
  });

  it.each([
    ['support-agent 92', /Input 'thresholds' line 1 is "support-agent 92": expected 'agent-handle: threshold'/],
    ['other-agent: 92', /Input 'thresholds' line 1 names "other-agent", which is not in 'agent-handle'/],
    ['sales-agent: 90\nsales-agent: 91', /Input 'thresholds' line 2 names "sales-agent" a second time/],
    ['sales-agent: 150', /Input 'thresholds' line 1 gives "sales-agent" the threshold "150"/],
    [': 90', /line 1 is ": 90"/],
    ['sales-agent:', /line 1 is "sales-agent:"/]
  ])('refuses the thresholds %j, naming the line', (text, message) => {
    expect(() => read({ ...base, thresholds: text })).toThrow(message);
  });
});

describe('every bound and form of the inputs', () => {
  it.each([
    ['retries', '0', '10', '11'],
    ['max-pages', '1', '1000', '1001'],
    ['concurrency', '1', '32', '33'],
    ['min-tasks', '0', '1000000000', '1000000001'],
    ['history', '0', '50', '51']
  ])('takes %s from %s to %s and refuses %s with the range', (name, min, max, over) => {
    const key = {
      retries: 'retries',
      'max-pages': 'maxPages',
      concurrency: 'concurrency',
      'min-tasks': 'minTasks',
      history: 'history'
    }[name] as keyof Settings;
    expect(read({ ...base, [name]: min })[key]).toBe(Number(min));
    expect(read({ ...base, [name]: max })[key]).toBe(Number(max));
    expect(() => read({ ...base, [name]: over })).toThrow(
      `Input '${name}' is "${over}": expected a whole number from ${min} to ${max}.`
    );
    if (min !== '0') expect(() => read({ ...base, [name]: String(Number(min) - 1) })).toThrow(`Input '${name}'`);
    expect(() => read({ ...base, [name]: `0000000000${min}` })).toThrow(`Input '${name}'`);
  });

  it('takes the shortest poll-interval and request-timeout, and refuses one millisecond less', () => {
    expect(read({ ...base, 'poll-interval': '1s' }).pollIntervalMs).toBe(1000);
    expect(() => read({ ...base, 'poll-interval': '999ms' })).toThrow(
      "Input 'poll-interval' must be at least 1s, so that waiting does not flood the API."
    );
    expect(read({ ...base, 'request-timeout': '100ms' }).requestTimeoutMs).toBe(100);
    expect(() => read({ ...base, 'request-timeout': '99ms' })).toThrow(
      "Input 'request-timeout' must be at least 100ms."
    );
    expect(() => read({ ...base, 'max-age': '0s' })).toThrow(
      "Input 'max-age' must be longer than 0 (or left empty for no limit)."
    );
    expect(read({ ...base, 'max-age': '1ms' }).maxAgeMs).toBe(1);
  });

  it('reads run-id for one agent, report-path, and the booleans in any case', () => {
    const s = read({
      ...base,
      'run-id': ' R1 ',
      'report-path': 'out/gate.json',
      summary: 'FALSE',
      'allow-insecure-http': 'True'
    });
    expect(s.runId).toBe('R1');
    expect(s.reportPath).toBe('out/gate.json');
    expect(s.summary).toBe(false);
    expect(s.allowInsecureHttp).toBe(true);
    expect(() => read({ ...base, summary: 'yes' })).toThrow(`Input 'summary' is "yes": expected true or false.`);
    expect(() => read({ ...base, 'on-api-error': 'ignore' })).toThrow(
      `Input 'on-api-error' is "ignore": expected fail or warn.`
    );
  });

  it('suggests the percentage a small fraction meant, keeping zeros inside', () => {
    expect(() => read({ ...base, threshold: '0.0005' })).toThrow('Did you mean 0.05?');
    expect(() => read({ ...base, threshold: '0.5' })).toThrow('Did you mean 50?');
  });

  it('reads Bearer only as a whole word with one value after it', () => {
    expect(tokenForms('Bearer  eyJ.payload.sig')).toEqual({
      authorization: 'Bearer eyJ.payload.sig',
      secrets: ['Bearer  eyJ.payload.sig', 'eyJ.payload.sig']
    });
    expect(tokenForms('xBearer eyJ.payload.sig').authorization).toBe('Token xBearer eyJ.payload.sig');
    expect(tokenForms('Bearer eyJ.payload sig').authorization).toBe('Token Bearer eyJ.payload sig');
    expect(tokenForms('mytoken 12345678').authorization).toBe('Token mytoken 12345678');
    expect(() => read({ ...base, token: 'Bearer eyJ.payload sig' })).toThrow("Input 'token' is not a valid API token");
  });

  it('refuses a token with characters a header cannot carry', () => {
    for (const token of ['abcdéfgh1234', 'abcd\u0001efgh1234', 'abcd\u00a0efgh1234']) {
      expect(() => read({ ...base, token })).toThrow("Input 'token' is not a valid API token");
    }
    expect(() => read({ ...base, 'org-handle': 'démo-org' })).toThrow(
      "Input 'org-handle' contains control or non-ASCII characters: expected a plain handle such as my-org."
    );
  });

  it('refuses an agent handle that is not well-formed text', () => {
    expect(() => parseAgents('sales\uD800agent')).toThrow(
      "Input 'agent-handle' contains a handle with control or invalid characters: expected a handle such as sales-agent."
    );
    expect(() => parseAgents('..')).toThrow(
      `Input 'agent-handle' contains "..", which is not an agent handle: expected a handle such as sales-agent.`
    );
  });

  it('names the scheme it refuses and drops every trailing slash', () => {
    expect(() => parseBaseUrl('ftp://unpod.dev', false)).toThrow(
      /^Input 'base-url' uses ftp: expected the API origin, such as https:\/\/\S+ .*\(http or https\)\.$/
    );
    expect(parseBaseUrl('https://example.com/unpod//', false)).toBe('https://example.com/unpod');
    expect(parseBaseUrl('http://unpod.internal/x/', true)).toBe('http://unpod.internal/x');
  });
});

describe('what the inputs refuse and take, exactly', () => {
  it('trims the raw token it is given, so a secret with a trailing newline is masked as set', () => {
    // main.ts passes the untrimmed input to tokenForms for masking.
    expect(tokenForms(`  ${TOKEN}\n`)).toEqual({ authorization: `Token ${TOKEN}`, secrets: [TOKEN, `Token ${TOKEN}`] });
  });

  it('refuses only a token that is the bare scheme word, not a key that ends in it', () => {
    expect(read({ ...base, token: 'abcdefgh-token' }).authorization).toBe('Token abcdefgh-token');
    expect(read({ ...base, token: 'Bearer jwt.x.bearer' }).authorization).toBe('Bearer jwt.x.bearer');
  });

  it('compares warn-below with a threshold written with other decimals exactly', () => {
    // 95 is above 94.5 and above 94.75: a warning band, not a mistake.
    expect(read({ ...base, threshold: '94.5', 'warn-below': '95' }).warnBelow?.text).toBe('95');
    expect(read({ ...base, threshold: '94.75', 'warn-below': '94.8' }).warnBelow?.text).toBe('94.8');
    expect(() => read({ ...base, threshold: '94.75', 'warn-below': '94.7' })).toThrow(
      "Input 'warn-below' is 94.7, below the threshold of 94.75: it must be at least the threshold (a warning band above it)."
    );
  });

  it('drops a percent sign after the confidence only, never one before it', () => {
    expect(read({ ...base, confidence: '90 %' }).confidence).toBe('90');
    expect(() => read({ ...base, confidence: '%95' })).toThrow(
      `Input 'confidence' is "%95": expected 80 or 90 or 95 or 98 or 99.`
    );
  });

  it('names poll-interval, max-age and explain when their text cannot be read', () => {
    expect(() => read({ ...base, 'poll-interval': 'soon' })).toThrow(
      `Input 'poll-interval' is "soon": expected a duration such as 90, 90s, 1500ms, 10m, 1h or 1m30s, in units d, h, m, s and ms (at most 1d 0h).`
    );
    expect(() => read({ ...base, 'max-age': 'a week' })).toThrow(
      `Input 'max-age' is "a week": expected a duration such as 90, 90s, 1500ms, 10m, 1h or 1m30s, in units d, h, m, s and ms (at most 400d 0h).`
    );
    expect(() => read({ ...base, explain: 'sometimes' })).toThrow(
      `Input 'explain' is "sometimes": expected on-failure or always or never.`
    );
    expect(read({ ...base, explain: 'Never' }).explain).toBe('never');
  });

  it('reads thresholds with spaces around the colon and skips lines of only spaces', () => {
    const s = read({ ...base, 'agent-handle': 'a, b', thresholds: 'a : 90\n   \t\nb:91' });
    expect([...s.thresholds].map(([agent, t]) => [agent, t.text])).toEqual([
      ['a', '90'],
      ['b', '91']
    ]);
  });

  it('shows a thresholds line of up to 80 characters whole, and a longer one cut to 80', () => {
    const expected = (shown: string) =>
      `Input 'thresholds' line 1 is "${shown}": expected 'agent-handle: threshold', such as 'sales-agent: 92.5'.`;
    const eighty = 'x'.repeat(80);
    expect(() => read({ ...base, thresholds: eighty })).toThrow(expected(eighty));
    // 79 characters and the ellipsis: the message stays one readable line.
    expect(() => read({ ...base, thresholds: `${eighty}y` })).toThrow(expected(`${'x'.repeat(79)}…`));
    expect(() => read({ ...base, thresholds: `${'z'.repeat(200)}: 90` })).toThrow(
      `Input 'thresholds' line 1 names "${'z'.repeat(79)}…", which is not in 'agent-handle'.`
    );
  });
});

describe('an empty token, the pull-request comment and its token', () => {
  const GH = 'ghs_0123456789abcdefABCDEF0123456789abcd';

  it('fails an empty token by default, naming the likely cause and both remedies', () => {
    expect(() => read({ ...base, token: '' })).toThrow(NO_TOKEN);
    expect(NO_TOKEN).toMatch(/^Input 'token' is required and was empty\./);
    expect(NO_TOKEN).toContain('fork');
    expect(NO_TOKEN).toContain('Dependabot');
    expect(NO_TOKEN).toContain("'if-no-token: skip'");
    expect(NO_TOKEN).toContain('workflow_run');
    expect(() => read({ ...base, token: ' ', 'if-no-token': 'fail' })).toThrow(NO_TOKEN);
  });

  it('skips with if-no-token: skip only when the token is empty, with nothing to send', () => {
    const s = read({ ...base, token: '', 'if-no-token': 'skip' });
    expect(s.skip).toBe(true);
    expect(s.authorization).toBe('');
    expect(s.secrets).toEqual([]);
    const given = read({ ...base, 'if-no-token': 'SKIP' });
    expect(given.skip).toBe(false);
    expect(given.authorization).toBe(`Token ${TOKEN}`);
    // A malformed token is still an error, skip or not.
    expect(() => read({ ...base, token: 'abc', 'if-no-token': 'skip' })).toThrow("Input 'token' is not a valid");
  });

  it('refuses an unknown if-no-token or pr-comment, naming the input and the choices', () => {
    expect(() => read({ ...base, 'if-no-token': 'ignore' })).toThrow(
      `Input 'if-no-token' is "ignore": expected fail or skip.`
    );
    expect(() => read({ ...base, 'pr-comment': 'true' })).toThrow(
      `Input 'pr-comment' is "true": expected off or always or on-failure.`
    );
  });

  it('reads pr-comment (off by default), github-token and pr-number', () => {
    const off = read(base);
    expect(off).toMatchObject({ prComment: 'off', githubToken: '', prNumber: undefined, skip: false });
    expect(DEFAULTS['pr-comment']).toBe('off');
    const on = read({ ...base, 'pr-comment': 'On-Failure', 'github-token': GH, 'pr-number': '42' });
    expect(on).toMatchObject({ prComment: 'on-failure', githubToken: GH, prNumber: 42 });
    // The GitHub token is redacted like the Unpod token, but sent only to GitHub.
    expect(on.secrets).toEqual([TOKEN, `Token ${TOKEN}`, GH]);
    expect(on.authorization).toBe(`Token ${TOKEN}`);
  });

  it('refuses a pr-number that is not a pull request number', () => {
    for (const bad of ['0', '-1', '1.5', '#12', 'abc']) {
      expect(() => read({ ...base, 'pr-number': bad })).toThrow(`Input 'pr-number' is ${JSON.stringify(bad)}`);
    }
  });

  it('refuses a github-token with spaces or line breaks without echoing it', () => {
    for (const bad of ['ghs_abc def012345', 'ghs_abc\ndef012345', 'short']) {
      let message = '';
      try {
        read({ ...base, 'github-token': bad });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^Input 'github-token' is not a usable GitHub token/);
      expect(message).not.toContain(bad);
    }
  });

  it('turns the comment off with a warning when github-token is empty, rather than failing the gate', () => {
    const s = read({ ...base, 'pr-comment': 'always', 'github-token': '' });
    expect(s.prComment).toBe('off');
    expect(s.warnings).toEqual([expect.stringMatching(/^Input 'github-token' is empty, so no pull-request comment/)]);
    expect(read({ ...base, 'github-token': '' }).warnings).toEqual([]);
  });
});
