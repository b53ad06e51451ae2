/**
 * The built bundle against hostile and sloppy servers and inputs (issue 12): nothing the API or a
 * typo sends may forge a log line, mislead a reader, or outlive a bound.
 */
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Emulator } from '../emulator/server.mjs';
import { runAction, visibleText, type ActionRun } from '../scripts/run-action.mjs';
import { TOKEN, hex, run, stepInputs, withServer } from './helpers.js';

function gate(server: Emulator, inputs: Record<string, string> = {}): Promise<ActionRun> {
  return runAction(stepInputs(server.url, inputs));
}

/** Runs the gate with a report file, returning the report too. */
async function gateWithReport(
  server: Emulator,
  inputs: Record<string, string>
): Promise<{ r: ActionRun; report: { results: Record<string, unknown>[] } }> {
  const path = join(tmpdir(), `unpod-hostile-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  try {
    const r = await gate(server, { ...inputs, 'report-path': path });
    const report = JSON.parse(await readFile(path, 'utf8')) as { results: Record<string, unknown>[] };
    return { r, report };
  } finally {
    await rm(path, { force: true });
  }
}

/** Lines the runner would read as a command that the gate did not mean: `##[` anywhere, or `::` not ours. */
function forged(r: ActionRun): string[] {
  const ours = /^::(add-mask|debug|notice|warning|error|group|endgroup|set-output)\b/;
  return [...r.stdout.split('\n'), ...r.stderr.split('\n')].filter(
    (line) => line.includes('##[') || (line.trimStart().startsWith('::') && !ours.test(line.trimStart()))
  );
}

/** Every output but `results` is a single line; `results` is JSON with no `##[` in its text. */
function expectOneLineOutputs(r: ActionRun): void {
  for (const [name, value] of Object.entries(r.outputs)) {
    expect(`${name}: ${value}`).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(`${name}: ${value}`).not.toContain('##[');
  }
}

describe('the log: nothing from the API or the inputs is read as a workflow command', () => {
  it.concurrent(
    'a status carrying ##[add-mask] is printed as text in the group title, each poll and the verdict',
    async () => {
      await withServer(async (server) => {
        server.addRun('evil-agent', run(1, { status: '##[add-mask]x', completed_tasks: 3 }));
        const r = await gate(server, { 'agent-handle': 'evil-agent', 'wait-timeout': '2s', 'poll-interval': '1s' });
        expect(r.code).toBe(1);
        expect(forged(r)).toEqual([]);
        expect(r.stdout).toContain('::group::Waiting for run');
        expect(r.stdout).toContain('(status "## [add-mask]x"');
        expect(r.stdout).toMatch(/Poll 1: "## \[add-mask\]x" \(a status unknown to the gate\), 3 of 25 tasks done/);
        expect(r.outputs.status).toBe('## [add-mask]x');
        expect(JSON.parse(r.outputs.results!)).toMatchObject([{ status: '##[add-mask]x' }]);
        expect(r.annotations).toEqual([{ level: 'error', message: r.outputs.reason }]);
        expectOneLineOutputs(r);
      });
    }
  );

  it.concurrent('a 503 message forging an annotation stays inside the gate’s own lines and annotation', async () => {
    await withServer(async (server) => {
      server.fault({
        kind: 'status',
        status: 503,
        body: JSON.stringify({ message: '##[error title=Unpod gate]Security sign-off missing' }),
        times: Infinity
      });
      const r = await gate(server);
      expect(r.code).toBe(1);
      expect(forged(r)).toEqual([]);
      const reason =
        'The API is failing (HTTP 503 "## [error title=Unpod gate]Security sign-off missing"), after 2 attempts.';
      expect(r.outputs.reason).toBe(reason);
      expect(r.annotations).toEqual([{ level: 'error', message: reason }]);
      expect(r.stdout).toMatch(/Attempt 1 of 2 for "sales-agent" page 1 failed: .*"## \[error title=Unpod gate\]/);
      expect(r.summary).not.toContain('##[');
      expectOneLineOutputs(r);
    });
  });

  it.concurrent('agent handles carrying ##[ and :: are text in a fleet’s lines, titles and annotations', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'agent-handle': '##[group]x\n::error::y\nsales-agent' });
      expect(r.code).toBe(1);
      expect(forged(r)).toEqual([]);
      expect(r.stdout).toContain('❌ ## [group]x: Agent "## [group]x" not found');
      const titles = r.stdout.split('\n').filter((line) => line.startsWith('::error title='));
      expect(titles.some((line) => line.includes('## [group]x'))).toBe(true);
      expect(r.outputs.reason).toContain('## [group]x: Agent "## [group]x" not found');
      expectOneLineOutputs(r);
    });
  });
});

describe('outputs: one line each, from a run id or status the gate can rely on', () => {
  it.concurrent.each([
    [{ run_id: 'R1\n::warning::hi' }, "execution #1 with a 'run_id' holding control characters or line breaks"],
    [
      { status: 'pending\n::error::Deployment blocked' },
      `run "${hex(1)}" with a 'status' holding control characters or line breaks`
    ]
  ])('%j is refused as data naming the field, and no output carries the line break', async (over, message) => {
    await withServer(async (server) => {
      server.addRun('evil-agent', run(1, over));
      const r = await gate(server, { 'agent-handle': 'evil-agent' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toContain(`The API sent ${message}`);
      expect(r.outputs['run-id']).toBe('');
      expect(r.outputs.status).toBe('');
      expect(r.stdout.split('\n').filter((line) => /^::(warning|error)::(hi|Deployment)/.test(line))).toEqual([]);
      expect(r.outputFile).not.toMatch(/^(::warning::hi|::error::Deployment blocked)$/m);
      expectOneLineOutputs(r);
    });
  });
});

describe('the token, echoed in another letter case', () => {
  it.concurrent('is redacted from the log, annotation, reason, summary and report', async () => {
    await withServer(async (server) => {
      server.fault({
        kind: 'status',
        status: 401,
        body: JSON.stringify({ message: `Invalid key ${TOKEN.toUpperCase()} (TOKEN ${TOKEN.toUpperCase()})` }),
        times: Infinity
      });
      const { r, report } = await gateWithReport(server, {});
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        `The API refused the token (HTTP 401 "Invalid key *** (***)"): check 'token' (a key from Unpod, with or without its 'Token ' prefix).`
      );
      expect(visibleText(r).toLowerCase()).not.toContain(TOKEN);
      expect(JSON.stringify(report).toLowerCase()).not.toContain(TOKEN);
    });
  });

  it.concurrent('is redacted from data in any case', async () => {
    await withServer(async (server) => {
      server.addRun('leaky-agent', run(1, { run_id: `R-${TOKEN.toUpperCase()}` }));
      const r = await gate(server, { 'agent-handle': 'leaky-agent' });
      expect(r.code).toBe(0);
      expect(r.outputs['run-id']).toBe('R-***');
      expect(visibleText(r).toLowerCase()).not.toContain(TOKEN);
    });
  });
});

describe('a shown rate agrees with the verdict it explains', () => {
  it.concurrent('18999 of 20000 misses 95, and reads 94.995 everywhere, not 95', async () => {
    await withServer(async (server) => {
      server.addRun('close-agent', run(1, { total_tasks: 20_000, completed_tasks: 18_999 }));
      // explain: never keeps the reason to the rate (e2e-explain.test.ts covers the clause).
      const { r, report } = await gateWithReport(server, {
        'agent-handle': 'close-agent',
        threshold: '95',
        explain: 'never'
      });
      expect(r.code).toBe(1);
      expect(r.outputs['completion-rate']).toBe('94.995');
      expect(JSON.parse(r.outputs.results!)).toMatchObject([{ completion_rate: 94.995 }]);
      expect(report.results[0]).toMatchObject({ completion_rate: 94.995 });
      expect(r.outputs.reason).toBe(
        `Run "${hex(1)}" completed 18999 of 20000 tasks (94.995%), below the threshold of 95%.`
      );
      expect(r.annotations).toEqual([{ level: 'error', message: r.outputs.reason }]);
      expect(r.summary).toContain('<td>94.995%</td>');
      expect(r.summary).not.toMatch(/>95%</);
      expect(r.stdout).not.toMatch(/\(95%\)/);
    });
  });

  it.concurrent('19999 of 20000 meets 99.995, and reads 99.995 everywhere, not 99.99', async () => {
    await withServer(async (server) => {
      server.addRun('close-agent', run(1, { total_tasks: 20_000, completed_tasks: 19_999 }));
      const { r, report } = await gateWithReport(server, { 'agent-handle': 'close-agent', threshold: '99.995' });
      expect(r.code).toBe(0);
      expect(r.outputs['completion-rate']).toBe('99.995');
      expect(JSON.parse(r.outputs.results!)).toMatchObject([{ completion_rate: 99.995 }]);
      expect(report.results[0]).toMatchObject({ completion_rate: 99.995 });
      expect(r.annotations).toEqual([
        { level: 'notice', message: `Run ${hex(1)} passed at 99.995% (threshold 99.995%).` }
      ]);
      expect(r.summary).toContain('<td>99.995%</td>');
      expect(r.summary).not.toContain('99.99%');
      expect(r.stdout).toContain('(99.995%).');
    });
  });
});

describe('inputs and data as people write them', () => {
  it.concurrent('threshold 0.95 is refused before any request, saying what 95 and 0.95% mean', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { threshold: '0.95' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        `Input 'threshold' is "0.95": thresholds are percentages, so 95 means 95 %. Did you mean 95? To gate on under one percent, write it with a percent sign: 0.95%.`
      );
      expect(server.requests).toHaveLength(0);
      expect(r.summary).toContain('invalid input');
    });
  });

  it.concurrent('threshold 0.95% gates on under one percent, without a warning', async () => {
    await withServer(async (server) => {
      server.addRun('poor-agent', run(1, { total_tasks: 100, completed_tasks: 1 }));
      const r = await gate(server, { 'agent-handle': 'poor-agent', threshold: '0.95%' });
      expect(r.code).toBe(0);
      expect(r.annotations.map((a) => a.level)).toEqual(['notice']);
    });
  });

  it.concurrent.each(['sales-agent support-agent', 'sales-agent; support-agent'])(
    'agent-handle %j is refused before any request, saying how to list several',
    async (handles) => {
      await withServer(async (server) => {
        const r = await gate(server, { 'agent-handle': handles });
        expect(r.code).toBe(1);
        expect(r.outputs.reason).toBe(
          `Input 'agent-handle' contains ${JSON.stringify(handles)}, which has a space or ';' inside: a handle is one word such as sales-agent. List several agents one per line or comma-separated (sales-agent, support-agent).`
        );
        expect(server.requests).toHaveLength(0);
      });
    }
  );

  it.concurrent('durations in any case and with a space are read', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'max-age': '2400H', 'request-timeout': '30 S', 'poll-interval': '1M 30s' });
      expect(r.code).toBe(0);
      expect(r.outputs.passed).toBe('true');
    });
  });

  it.concurrent('a duration that is still not one is refused with the units', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'request-timeout': '30 secs' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        `Input 'request-timeout' is "30 secs": expected a duration such as 90, 90s, 1500ms, 10m, 1h or 1m30s, in units d, h, m, s and ms (at most 1d 0h).`
      );
      expect(server.requests).toHaveLength(0);
    });
  });

  it.concurrent('created in lower-case RFC 3339 (t, z) is read', async () => {
    await withServer(async (server) => {
      server.addRun('lower-agent', run(1, { created: '2026-02-07t05:57:45z' }));
      const r = await gate(server, { 'agent-handle': 'lower-agent' });
      expect(r.code).toBe(0);
      expect(r.outputs.created).toBe('2026-02-07T05:57:45Z');
    });
  });

  it.concurrent('a status the gate does not know is called unknown in the reason and each poll line', async () => {
    await withServer(async (server) => {
      server.addRun('odd-agent', run(1, { status: 'cancelled', completed_tasks: 4 }));
      const r = await gate(server, {
        'agent-handle': 'odd-agent',
        'wait-timeout': '3s',
        'poll-interval': '1s',
        explain: 'never'
      });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toMatch(
        new RegExp(
          `^Run "${hex(1)}" has the status "cancelled" \\(4 of 25 tasks done\\), which is unknown to the gate: it cannot tell whether the run has finished, so it cannot judge it\\. The gate waited \\S+ \\(wait-timeout 3s\\)\\.$`
        )
      );
      const polls = r.stdout.split('\n').filter((line) => line.startsWith('Poll '));
      expect(polls.length).toBeGreaterThanOrEqual(1);
      for (const line of polls)
        expect(line).toMatch(/^Poll \d+: "cancelled" \(a status unknown to the gate\), 4 of 25 tasks done, /);
    });
  });
});

describe('answers nested deeper than the gate reads (issue 18)', () => {
  const deep = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it.concurrent.each([3_000, 200_000])(
    'a tasks page %i levels deep in a field never read: an explanation error, the verdict unchanged',
    async (levels) => {
      await withServer(async (server) => {
        const task = (i: number, extra = ''): string =>
          `{"task_id":"T${i}","run_id":"${hex(1)}","status":"${i < 2 ? 'failed' : 'completed'}"${extra}}`;
        const items = Array.from({ length: 25 }, (_, i) =>
          task(i, i === 3 ? `,"input":{"notes":${deep(levels)}}` : '')
        );
        server.addRun('deep-agent', run(1, { completed_tasks: 23 }));
        server.fault({
          kind: 'status',
          status: 200,
          endpoint: 'tasks',
          times: Infinity,
          body: `{"count":25,"data":[${items.join(',')}]}`
        });
        const { r, report } = await gateWithReport(server, { 'agent-handle': 'deep-agent' });
        expect(r.code).toBe(1);
        expect(r.outputs.reason).toBe(`Run "${hex(1)}" completed 23 of 25 tasks (92%), below the threshold of 95%.`);
        expect(report.results[0]).toMatchObject({
          breakdown: {
            tasks: 0,
            error: `The run's tasks could not be read: The API answered HTTP 200 for "deep-agent" with the field 'input' of task #4 nested more than 64 levels deep: the gate reads no data nested so deep.`
          }
        });
        expect(r.summary).toContain("What the run's tasks say");
        expect(r.summary).not.toContain('invalid input');
        expect(visibleText(r)).not.toContain('Unexpected error');
      });
    }
  );

  it.concurrent(
    'an executions page nested too deep: a data failure naming the field, never "Unexpected error"',
    async () => {
      await withServer(async (server) => {
        const item = `{"run_id":"${hex(1)}","status":"completed","total_tasks":25,"completed_tasks":25,"created":"2026-11-01T00:01:00Z","meta":{"tags":${deep(5_000)}}}`;
        server.fault({
          kind: 'status',
          status: 200,
          endpoint: 'executions',
          times: Infinity,
          body: `{"count":1,"data":[${item}]}`
        });
        const { r, report } = await gateWithReport(server, {});
        expect(r.code).toBe(1);
        const reason = `The API answered HTTP 200 for "sales-agent" with the field 'meta' of execution #1 nested more than 64 levels deep: the gate reads no data nested so deep.`;
        expect(r.outputs.reason).toBe(reason);
        expect(report.results[0]).toMatchObject({ passed: false, reason });
        expect(r.summary).toContain('❌ Unpod gate failed');
        expect(r.summary).not.toContain('invalid input');
        expect(visibleText(r)).not.toContain('Unexpected error');
      });
    }
  );
});

describe('step-timeout: a bound on the whole step', () => {
  /** Three agents on one request slot against an API that never answers: about 15s without a bound. */
  const deadFleet = {
    'agent-handle': 'sales-agent,support-agent,booking-agent',
    concurrency: '1',
    'request-timeout': '2s',
    retries: '1',
    'step-timeout': '3s'
  };

  it.concurrent('ends agents not decided in time as API failures, writing outputs, summary and report', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'hang', times: Infinity });
      const { r, report } = await gateWithReport(server, deadFleet);
      expect(r.code).toBe(1);
      const results = JSON.parse(r.outputs.results!) as { agent: string; passed: boolean; reason: string }[];
      expect(results.map((x) => x.passed)).toEqual([false, false, false]);
      // The last agent queues for the one slot behind the others: it cannot have been decided.
      const notDecided = (agent: string): string =>
        `Agent "${agent}" was not decided within step-timeout 3s: the API did not answer in time for every request (raise step-timeout or concurrency, or lower request-timeout or retries).`;
      expect(results[2]?.reason).toBe(notDecided('booking-agent'));
      for (const x of results)
        expect([notDecided(x.agent), expect.stringMatching(/^The request to /)]).toContainEqual(x.reason);
      expect(report.results).toEqual(results);
      expect(r.outputs.passed).toBe('false');
      expect(r.summary).toContain('❌ Unpod gate failed: 0 passed, 3 failed');
      expect(r.summary).toContain('not decided within step-timeout 3s');
      expect(r.annotations.filter((a) => a.level === 'error').map((a) => a.message)).toContainEqual(
        notDecided('booking-agent')
      );
      // Requests stop with the step: without the bound, each agent would make its 2 attempts.
      expect(server.requests.length).toBeLessThan(6);
      expect(r.stdout).toContain('❌ booking-agent: Agent "booking-agent" was not decided within step-timeout 3s');
      // Nothing the cut-short work logs comes after the verdict.
      const lines = r.stdout.split('\n');
      const verdict = lines.findIndex((line) => line.startsWith('❌ booking-agent:'));
      expect(lines.slice(verdict).filter((line) => line.includes('Attempt '))).toEqual([]);
    });
  });

  it.concurrent('with on-api-error warn, agents not decided warn like any API failure', async () => {
    await withServer(async (server) => {
      server.fault({ kind: 'hang', times: Infinity });
      const r = await gate(server, { ...deadFleet, 'on-api-error': 'warn' });
      expect(r.code).toBe(0);
      expect(r.outputs.passed).toBe('false');
      expect(r.outputs.reason).toContain('booking-agent: Agent "booking-agent" was not decided within step-timeout 3s');
      expect(r.annotations.filter((a) => a.level === 'error')).toEqual([]);
      expect(r.annotations.filter((a) => a.level === 'warning').length).toBeGreaterThanOrEqual(1);
      expect(r.summary).toContain('could not decide');
    });
  });

  it.concurrent('a lone agent cut short mid-wait gets its verdict outside the wait’s folded group', async () => {
    await withServer(async (server) => {
      server.addRun('slow-agent', run(1, { status: 'processing', completed_tasks: 7 }));
      const pending = gate(server, {
        'agent-handle': 'slow-agent',
        'wait-timeout': '2s',
        'poll-interval': '1s',
        'step-timeout': '4s',
        'request-timeout': '20s',
        retries: '0'
      });
      for (let i = 0; i < 500 && server.requests.length === 0; i++) await new Promise((done) => setTimeout(done, 10));
      server.fault({ kind: 'hang', times: Infinity });
      const r = await pending;
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        'Agent "slow-agent" was not decided within step-timeout 4s: the API did not answer in time for every request (raise step-timeout or concurrency, or lower request-timeout or retries).'
      );
      // The run it was waiting on, as last seen, is reported with the undecided verdict.
      expect(r.outputs['run-id']).toBe(hex(1));
      expect(r.outputs.status).toBe('processing');
      expect(r.outputs['completion-rate']).toBe('');
      expect(r.summary).toContain(
        `<td>❌ slow-agent</td><td><code>${hex(1)}</code></td><td>processing</td><td>—</td><td>—</td>`
      );
      const lines = r.stdout.split('\n');
      const end = lines.indexOf('::endgroup::');
      expect(end).toBeGreaterThan(lines.findIndex((line) => line.startsWith('::group::Waiting for run')));
      expect(end).toBeLessThan(lines.findIndex((line) => line.startsWith('❌ slow-agent:')));
      expect(lines.filter((line) => line === '::endgroup::')).toHaveLength(1);
    });
  });

  it.concurrent('a step-timeout that does not exceed wait-timeout is refused before any request', async () => {
    await withServer(async (server) => {
      const r = await gate(server, { 'wait-timeout': '10m', 'step-timeout': '5m' });
      expect(r.code).toBe(1);
      expect(r.outputs.reason).toBe(
        `Input 'step-timeout' is "5m", which does not exceed wait-timeout 10m 0s: the step needs time after the wait to fetch and report. Set it above wait-timeout, or leave it empty for wait-timeout plus 10m 0s.`
      );
      expect(server.requests).toHaveLength(0);
      expect(r.summary).toContain('invalid input');
    });
  });
});
