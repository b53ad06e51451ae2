/**
 * Case 7, explain: a failing run of 25, 500 and 5 000 tasks, every answer 100 ms late. The run
 * is gated by run-id behind a newer run of 30 tasks, so its tasks start part-way down a page,
 * and an older run's 500 tasks follow it. Measured: the task requests the server saw (target
 * ceil(total / 50) + 1), and the step's time with explain on-failure next to explain: never,
 * whose difference is what explaining costs.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server.mjs';
import { BUNDLE, NODE, ROOT, fmtMs, mark, runStep, stats } from './lib.mjs';

export const LATENCY_MS = 100;
const SIZES = [25, 500, 5000];
const NEWER_TASKS = 30;
const OLDER_TASKS = 500;
const hex = (/** @type {number} */ n) => `R${n.toString(16).padStart(32, '0')}`;

/** @param {{ quick: boolean, progress: (line: string) => void }} ctx */
export async function benchExplain(ctx) {
  const reps = ctx.quick ? 1 : 3;
  const base = JSON.parse(await readFile(join(ROOT, 'emulator', 'scenario.json'), 'utf8'));
  const now = Date.now();
  /** @type {Record<string, any>} */
  const result = { reps, latencyMs: LATENCY_MS, sizes: {} };
  /** @type {(string | string[])[]} */
  const rows = [
    `7. Explain a failing run: every answer ${LATENCY_MS} ms late, the run behind a newer one of ${NEWER_TASKS} tasks, ${reps} run(s) each`,
    ['', 'tasks', 'task requests', 'target', 'step (explain)', 'step (never)', 'explaining', 'breakdown']
  ];
  let allOk = true;
  for (const total of SIZES) {
    const judged = hex(total);
    const completed = Math.floor(total * 0.9);
    const scenario = {
      token: base.token,
      orgHandle: base.orgHandle,
      agents: {
        'explain-agent': [
          {
            run_id: hex(1),
            status: 'completed',
            total_tasks: NEWER_TASKS,
            completed_tasks: NEWER_TASKS,
            created: new Date(now - 60_000).toISOString()
          },
          {
            run_id: judged,
            status: 'completed',
            total_tasks: total,
            completed_tasks: completed,
            created: new Date(now - 3_600_000).toISOString()
          },
          {
            run_id: hex(2),
            status: 'completed',
            total_tasks: OLDER_TASKS,
            completed_tasks: OLDER_TASKS,
            created: new Date(now - 86_400_000).toISOString()
          }
        ]
      }
    };
    const target = Math.ceil(total / 50) + 1;
    // Enough pages for the biggest run (5 000 tasks: 101 pages); the default max-pages is 20.
    const maxPages = String(Math.max(20, target + 1));
    /** @type {{ explain: number[], never: number[], requests: number[], failures: string[], tasks?: number, partial?: boolean }} */
    const d = { explain: [], never: [], requests: [], failures: [] };
    const emulator = await startEmulator({ scenario });
    emulator.fault({ kind: 'latency', ms: LATENCY_MS, times: Infinity });
    try {
      emulator.tasks('explain-agent'); // generate once, outside the timing
      for (let round = 0; round < reps; round++) {
        for (const explain of round % 2 === 0 ? ['on-failure', 'never'] : ['never', 'on-failure']) {
          ctx.progress(`explain: ${total} tasks, round ${round + 1}/${reps}, explain ${explain}`);
          const before = emulator.requests.length;
          const r = await runStep(NODE, [BUNDLE], {
            inputs: {
              'agent-handle': 'explain-agent',
              'run-id': judged,
              'org-handle': emulator.orgHandle,
              token: emulator.token,
              'base-url': emulator.url,
              threshold: '95',
              'max-pages': maxPages,
              explain
            },
            killAfterMs: 300_000
          });
          const sent = emulator.requests.slice(before).filter((q) => q.endpoint === 'tasks').length;
          if (r.code !== 1 || r.outputs.passed !== 'false') {
            d.failures.push(`exit ${String(r.code)}: ${(r.stderr || r.stdout).trim().split('\n').slice(-1).join('')}`);
            continue;
          }
          if (explain === 'never') {
            d.never.push(r.ms);
            continue;
          }
          d.explain.push(r.ms);
          d.requests.push(sent);
          const breakdown = JSON.parse(r.outputs.results ?? '[]')[0]?.breakdown;
          d.tasks = breakdown?.tasks;
          d.partial = breakdown?.partial;
          if (breakdown?.completed?.count !== completed)
            d.failures.push(`breakdown counts ${breakdown?.completed?.count} completed, not ${completed}`);
        }
      }
    } finally {
      await emulator.close();
    }
    const withExplain = stats(d.explain);
    const without = stats(d.never);
    const requests = Math.max(...d.requests);
    const ok = d.failures.length === 0 && requests <= target && d.tasks === total && d.partial === false;
    allOk &&= ok;
    result.sizes[total] = {
      taskRequests: [...new Set(d.requests)],
      target,
      explain: withExplain,
      never: without,
      explainingMs: withExplain.median - without.median,
      tasksRead: d.tasks,
      partial: d.partial,
      failures: d.failures,
      ok
    };
    rows.push([
      '',
      String(total),
      [...new Set(d.requests)].join(', '),
      `≤ ${target} ${mark(ok)}`,
      fmtMs(withExplain.median),
      fmtMs(without.median),
      fmtMs(withExplain.median - without.median),
      d.failures.length > 0 ? `❌ ${d.failures[0]}` : `${d.tasks} read, ${d.partial ? 'partial' : 'complete'}`
    ]);
  }
  result.target = { text: 'task requests ≤ ceil(total / 50) + 1, every task read', ok: allOk };
  return { rows, result };
}
