/**
 * Case 6, the trend: what a window of 50 and a baseline of 50 cost over judging one run. One
 * agent with 150 finished runs on the example server; the gate runs with `window: 1` (today's
 * rule), with `window: 25` + `baseline-runs: 25` (50 runs: one page of 50) and with `window: 50` +
 * `baseline-runs: 50` + `max-drop` + `confidence` (100 runs: two pages). Wall time and requests.
 * Each reads one page more than holds its runs: the last run needed is the last of a page, and the
 * next page could hold a run created at the same instant that counts as newer (rule 2's ties).
 */
import { startEmulator } from '../emulator/server.mjs';
import { demoInputs } from '../scripts/demo.mjs';
import { BUNDLE, NODE, fmtMs, mark, runStep, stats } from './lib.mjs';

const RUNS = 150;

/** @param {{ quick: boolean, progress: (line: string) => void }} ctx */
export async function benchTrend(ctx) {
  const reps = ctx.quick ? 3 : 10;
  const emulator = await startEmulator();
  const agent = 'long-agent';
  const start = Date.now() - RUNS * 3_600_000;
  for (let i = 0; i < RUNS; i++) {
    emulator.addRun(agent, {
      run_id: `R${i.toString(16).padStart(32, '0')}`,
      status: 'completed',
      total_tasks: 25,
      completed_tasks: 23 + (i % 3),
      created: new Date(start + i * 3_600_000).toISOString()
    });
  }
  const variants = [
    { label: 'window 1 (the run alone)', inputs: {}, pages: 1 },
    {
      label: 'window 25 + baseline-runs 25, max-drop 5',
      inputs: { window: '25', 'baseline-runs': '25', 'max-drop': '5' },
      pages: 2
    },
    {
      label: 'window 50 + baseline-runs 50, max-drop 5, confidence 95',
      inputs: { window: '50', 'baseline-runs': '50', 'max-drop': '5', confidence: '95' },
      pages: 3
    }
  ].map((v) => ({
    ...v,
    times: /** @type {number[]} */ ([]),
    requests: /** @type {number[]} */ ([]),
    verdicts: new Set()
  }));
  try {
    const inputs = { ...demoInputs(emulator), 'agent-handle': agent, threshold: '90' };
    for (let round = 0; round < reps; round++) {
      ctx.progress(`trend: round ${round + 1}/${reps}`);
      for (const v of variants) {
        const before = emulator.requests.filter((q) => q.agent === agent).length;
        const r = await runStep(NODE, [BUNDLE], { inputs: { ...inputs, ...v.inputs } });
        v.times.push(r.ms);
        v.requests.push(emulator.requests.filter((q) => q.agent === agent).length - before);
        v.verdicts.add(`${r.outputs.verdict} (${r.outputs['window-runs']} runs at ${r.outputs['window-rate']}%)`);
      }
    }
  } finally {
    await emulator.close();
  }
  const result = variants.map((v) => ({
    label: v.label,
    wall: stats(v.times),
    requests: [...new Set(v.requests)],
    pages: v.pages,
    verdicts: [...v.verdicts],
    ok: v.requests.every((n) => n === v.pages)
  }));
  /** @type {(string | string[])[]} */
  const rows = [
    `6. Trend: one agent with ${RUNS} finished runs, ${reps} run(s) each`,
    ['', 'inputs', 'median', 'max', 'requests', 'verdict', 'target']
  ];
  for (const r of result) {
    rows.push([
      '',
      r.label,
      fmtMs(r.wall.median),
      fmtMs(r.wall.max),
      r.requests.join(', '),
      r.verdicts.join('; '),
      `${r.pages} page${r.pages === 1 ? '' : 's'} ${mark(r.ok)}`
    ]);
  }
  return { rows, result: { reps, rows: result, ok: result.every((r) => r.ok) } };
}
