/**
 * Case 4, waiting: the latest run is `in_progress`, the gate runs with wait-timeout 60s and
 * poll-interval 1s, and the bench flips the run to `completed` (emulator.setRun) from a timer
 * FLIP_OFFSET_MS after the server has sent its N-th answer, i.e. half-way between the gate's
 * (N-1)-th and N-th poll; the gate should then see it at its N-th poll, request N+1. Measured:
 * the requests the server saw (the minimum is N+1; the bound is ceil(wait/poll)+1) and how long
 * after the flip the gate process closed (the next poll is due POLL_MS - FLIP_OFFSET_MS later).
 * With decide-early, the run stays `in_progress` and the flip takes it from 22 to 24 of 25 done:
 * a pass certain at 95 % (even if the last task fails), which the gate must see at the same poll.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server.mjs';
import { BUNDLE, NODE, ROOT, fmtMs, mark, runStep, stats } from './lib.mjs';

export const WAIT_MS = 60_000;
export const POLL_MS = 1000;
export const FLIP_OFFSET_MS = 500;
const RUN_ID = 'R5ca1ab1e0000000000000000000000aa';

/** @param {{ quick: boolean, progress: (line: string) => void }} ctx */
export async function benchWaiting(ctx) {
  const reps = ctx.quick ? 1 : 3;
  /** Each case: the flip after N answers; `early`: the flip to 24 of 25 under decide-early. */
  const cases = [
    { key: 'n1', n: 1, early: false },
    { key: 'n3', n: 3, early: false },
    { key: 'n5', n: 5, early: false },
    { key: 'e1', n: 1, early: true },
    { key: 'e3', n: 3, early: true }
  ];
  const base = JSON.parse(await readFile(join(ROOT, 'emulator', 'scenario.json'), 'utf8'));
  const now = Date.now();
  const scenario = {
    token: base.token,
    orgHandle: base.orgHandle,
    agents: {
      'wait-agent': [
        {
          run_id: RUN_ID,
          status: 'in_progress',
          total_tasks: 25,
          completed_tasks: 10,
          created: new Date(now - 60_000).toISOString()
        },
        {
          run_id: 'R5ca1ab1e0000000000000000000000a9',
          status: 'completed',
          total_tasks: 25,
          completed_tasks: 25,
          created: new Date(now - 86_400_000).toISOString()
        }
      ]
    }
  };
  const bound = Math.ceil(WAIT_MS / POLL_MS) + 1;
  /** @type {Map<string, { requests: number[], notice: number[], servedToExit: number[], wall: number[], failures: string[] }>} */
  const data = new Map(
    cases.map((c) => [c.key, { requests: [], notice: [], servedToExit: [], wall: [], failures: [] }])
  );

  for (let round = 0; round < reps; round++) {
    const order = cases.map((_, i) => /** @type {(typeof cases)[number]} */ (cases[(i + round) % cases.length]));
    for (const { key, n, early } of order) {
      ctx.progress(`waiting: round ${round + 1}/${reps}, N = ${n}${early ? ', decide-early' : ''}`);
      const d = /** @type {NonNullable<ReturnType<typeof data.get>>} */ (data.get(key));
      const start = structuredClone(scenario);
      start.agents['wait-agent'][0].completed_tasks = early ? 22 : 10;
      const flip = early ? { completed_tasks: 24 } : { status: 'completed', completed_tasks: 25 };
      let answers = 0;
      /** @type {number | undefined} */
      let flipAt;
      /** @type {number | undefined} */
      let completedServedAt;
      /** @type {NodeJS.Timeout | undefined} */
      let flipTimer;
      /** @type {Awaited<ReturnType<typeof startEmulator>> | undefined} */
      let emulator;
      emulator = await startEmulator({
        scenario: start,
        log: (line) => {
          if (!/\/agents\/wait-agent\/executions\/.* -> 200/.test(line)) return;
          answers++;
          if (answers === n) {
            flipTimer = setTimeout(() => {
              emulator?.setRun('wait-agent', RUN_ID, flip);
              flipAt = performance.now();
            }, FLIP_OFFSET_MS);
          }
          if (flipAt !== undefined && completedServedAt === undefined) completedServedAt = performance.now();
        }
      });
      try {
        const r = await runStep(NODE, [BUNDLE], {
          inputs: {
            'agent-handle': 'wait-agent',
            'org-handle': emulator.orgHandle,
            token: emulator.token,
            'base-url': emulator.url,
            threshold: '95',
            'wait-timeout': `${WAIT_MS / 1000}s`,
            'poll-interval': `${POLL_MS / 1000}s`,
            ...(early ? { 'decide-early': 'true' } : {})
          },
          killAfterMs: WAIT_MS + 30_000
        });
        d.requests.push(emulator.requests.length);
        d.wall.push(r.ms);
        if (r.code !== 0 || r.outputs.passed !== 'true' || flipAt === undefined) {
          d.failures.push(
            `exit ${String(r.code)}, passed=${r.outputs.passed ?? ''}${flipAt === undefined ? ', exited before the flip' : ''}: ${r.outputs.reason ?? ''}`
          );
        } else {
          d.notice.push(r.endedAt - flipAt);
          if (completedServedAt !== undefined) d.servedToExit.push(r.endedAt - completedServedAt);
        }
      } finally {
        clearTimeout(flipTimer);
        await emulator.close();
      }
    }
  }

  const result = {
    reps,
    waitTimeoutMs: WAIT_MS,
    pollIntervalMs: POLL_MS,
    flipOffsetMs: FLIP_OFFSET_MS,
    requestBound: bound,
    rows: cases.map(({ key, n, early }) => {
      const d = /** @type {NonNullable<ReturnType<typeof data.get>>} */ (data.get(key));
      const notice = stats(d.notice);
      const ok = d.failures.length === 0 && d.requests.every((q) => q <= bound) && notice.max <= POLL_MS;
      return {
        polls: n,
        decideEarly: early,
        minimumRequests: n + 1,
        requests: [...new Set(d.requests)],
        notice,
        servedToExit: stats(d.servedToExit),
        wall: stats(d.wall),
        failures: d.failures,
        ok
      };
    })
  };

  /** @type {(string | string[])[]} */
  const rows = [
    `4. Waiting: wait-timeout ${WAIT_MS / 1000}s, poll-interval ${POLL_MS / 1000}s; the run is flipped to completed (decide-early: from 22 to 24 of 25, still in_progress) ${FLIP_OFFSET_MS} ms after the N-th answer; ${reps} run(s) each`,
    [
      '',
      'finishes after',
      'requests (min N+1)',
      'flip → exit median',
      'max',
      'completed answer → exit',
      'wall',
      'target'
    ]
  ];
  for (const r of result.rows) {
    rows.push([
      '',
      `N = ${r.polls} poll${r.polls === 1 ? '' : 's'}${r.decideEarly ? ', decide-early' : ''}`,
      `${r.requests.join(', ')} (min ${r.minimumRequests})`,
      fmtMs(r.notice.median),
      fmtMs(r.notice.max),
      fmtMs(r.servedToExit.median),
      fmtMs(r.wall.median),
      `requests ≤ ${bound}, notice ≤ ${POLL_MS} ms ${mark(r.ok)}${r.failures.length > 0 ? ` (${r.failures[0]})` : ''}`
    ]);
  }
  rows.push(
    `  after the flip, the gate's next poll is due in ${POLL_MS - FLIP_OFFSET_MS} ms; "completed answer → exit" is from the answer that first showed the run completed (decide-early: at 24 of 25)`
  );
  return { rows, result };
}
