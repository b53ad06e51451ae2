/**
 * Case 1, the cold step: the whole gate process (spawn to close) gating one agent against the
 * example server on loopback, next to (a) an empty Node.js process, (b) a minimal action that
 * only imports @actions/core and sets an output, bundled the same way, (b0) the same without any
 * dependency, and (c) a bash step doing the gate's job with curl and jq. One more variant, the
 * gate given a bad threshold, stops before any request: the gate minus the request and verdict.
 * All variants run round-robin (the order rotates every round) so machine noise hits them alike.
 */
import { join } from 'node:path';
import { startEmulator } from '../emulator/server.mjs';
import { demoInputs } from '../scripts/demo.mjs';
import { BENCH, BUNDLE, NODE, fmtMs, fmtRatio, mark, runStep, shellBaselineMissing, stats, which } from './lib.mjs';

export const COLD_TARGET = 1.15;

/**
 * @param {{ quick: boolean, minimal?: string, minimalRequest?: string, noDeps?: string, buildError?: string, progress: (line: string) => void }} ctx
 */
export async function benchCold(ctx) {
  const rounds = ctx.quick ? 8 : 40;
  const warmup = ctx.quick ? 1 : 2;
  /** @type {number[]} */
  const served = [];
  const emulator = await startEmulator({ log: () => served.push(performance.now()) });
  try {
    const inputs = { ...demoInputs(emulator), 'agent-handle': 'sales-agent' };
    const bash = which('bash');
    const shellMissing = shellBaselineMissing();
    /** @typedef {Awaited<ReturnType<typeof runStep>>} Run */
    /** @type {{ key: string, label: string, skipped?: string, run: () => Promise<Run>, ok: (r: Run) => boolean, times: number[], failures: string[] }[]} */
    const variants = [
      {
        key: 'gate',
        label: 'gate: dist/index.js, sales-agent, threshold 95',
        run: () => runStep(NODE, [BUNDLE], { inputs }),
        ok: (r) => r.code === 0 && r.outputs.passed === 'true',
        times: [],
        failures: []
      },
      {
        key: 'gateNoRequest',
        label: 'gate given threshold "abc" (stops before any request)',
        run: () => runStep(NODE, [BUNDLE], { inputs: { ...inputs, threshold: 'abc' } }),
        ok: (r) => r.code === 1 && r.outputs.passed === 'false',
        times: [],
        failures: []
      },
      {
        key: 'a',
        label: '(a) node -e 0',
        run: () => runStep(NODE, ['-e', '0']),
        ok: (r) => r.code === 0,
        times: [],
        failures: []
      },
      {
        key: 'b',
        label: '(b) minimal action: @actions/core, one output (ncc)',
        skipped: ctx.minimal ? undefined : (ctx.buildError ?? 'ncc not installed'),
        run: () => runStep(NODE, [/** @type {string} */ (ctx.minimal)]),
        ok: (r) => r.code === 0 && r.outputs.passed === 'true',
        times: [],
        failures: []
      },
      {
        key: 'b1',
        label: '(b1) the same plus one GET of the executions page (ncc)',
        skipped: ctx.minimalRequest ? undefined : (ctx.buildError ?? 'ncc not installed'),
        run: () =>
          runStep(NODE, [/** @type {string} */ (ctx.minimalRequest)], {
            inputs: { ...inputs, 'agent-handle': 'sales-agent' }
          }),
        ok: (r) => r.code === 0 && r.outputs.passed === 'true',
        times: [],
        failures: []
      },
      {
        key: 'b0',
        label: '(b0) the same without @actions/core (fs only, ncc)',
        skipped: ctx.noDeps ? undefined : (ctx.buildError ?? 'ncc not installed'),
        run: () => runStep(NODE, [/** @type {string} */ (ctx.noDeps)]),
        ok: (r) => r.code === 0 && r.outputs.passed === 'true',
        times: [],
        failures: []
      },
      {
        key: 'c',
        label: '(c) bash step: curl + jq (bench/gate.sh)',
        skipped: shellMissing,
        run: () =>
          runStep(/** @type {string} */ (bash), ['--noprofile', '--norc', '-eo', 'pipefail', join(BENCH, 'gate.sh')], {
            env: {
              UNPOD_BASE_URL: emulator.url,
              UNPOD_TOKEN: emulator.token,
              UNPOD_ORG: emulator.orgHandle,
              AGENTS: 'sales-agent',
              THRESHOLD: '95'
            }
          }),
        ok: (r) => r.code === 0 && r.outputs.passed === 'true',
        times: [],
        failures: []
      }
    ];
    const active = variants.filter((v) => !v.skipped);
    /** @type {number[]} */
    const toServed = [];
    /** @type {number[]} */
    const servedToExit = [];
    for (let round = 0; round < warmup + rounds; round++) {
      ctx.progress(`cold step: round ${round + 1}/${warmup + rounds}${round < warmup ? ' (warm-up)' : ''}`);
      const order = active.map((_, i) => /** @type {(typeof active)[number]} */ (active[(i + round) % active.length]));
      for (const v of order) {
        const r = await v.run();
        if (!v.ok(r)) {
          v.failures.push(`exit ${String(r.code)}: ${(r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ')}`);
          continue;
        }
        if (round < warmup) continue;
        v.times.push(r.ms);
        if (v.key === 'gate') {
          const inside = served.filter((t) => t >= r.startedAt && t <= r.endedAt);
          if (inside.length > 0) {
            toServed.push(/** @type {number} */ (inside[0]) - r.startedAt);
            servedToExit.push(r.endedAt - /** @type {number} */ (inside.at(-1)));
          }
        }
      }
    }

    /** @type {Record<string, any>} */
    const result = { rounds, warmup, variants: {} };
    for (const v of variants) {
      result.variants[v.key] = v.skipped
        ? { label: v.label, skipped: v.skipped }
        : { label: v.label, ...stats(v.times), failures: v.failures.length, firstFailure: v.failures[0] };
    }
    const med = (/** @type {string} */ key) => /** @type {number} */ (result.variants[key]?.median ?? NaN);
    const gateOverB = med('gate') / med('b');
    const gateOverB1 = med('gate') / med('b1');
    result.ratios = {
      gateOverB,
      gateOverB1,
      b1OverB: med('b1') / med('b'),
      gateOverA: med('gate') / med('a'),
      bOverA: med('b') / med('a'),
      bOverB0: med('b') / med('b0'),
      gateOverC: med('gate') / med('c')
    };
    result.breakdown = {
      spawnToAnswerServed: stats(toServed),
      answerServedToExit: stats(servedToExit),
      requestAndVerdictMs: med('gate') - med('gateNoRequest')
    };
    const gateOk = variants[0]?.failures.length === 0;
    // The gate sends a request and (b) sends none: it is judged against (b1), which sends the same one.
    result.target = {
      text: `gate within ${COLD_TARGET}× of (b1)`,
      ok: Number.isFinite(gateOverB1) ? gateOk && gateOverB1 <= COLD_TARGET : undefined
    };

    /** @type {(string | string[])[]} */
    const rows = [
      `1. Cold step: ${rounds} interleaved rounds (+${warmup} warm-up), whole processes timed spawn → close`,
      ['', 'variant', 'median', 'min', 'max', 'note']
    ];
    for (const v of variants) {
      const s = result.variants[v.key];
      if (v.skipped) rows.push(['', v.label, `skipped: ${v.skipped}`, '', '', '']);
      else
        rows.push([
          '',
          v.label,
          fmtMs(s.median),
          fmtMs(s.min),
          fmtMs(s.max),
          v.failures.length > 0 ? `❌ ${v.failures.length} wrong result(s): ${v.failures[0]}` : ''
        ]);
    }
    const ratioRow = (/** @type {string} */ label, /** @type {number} */ ratio, /** @type {string} */ note) => {
      rows.push(['', label, fmtRatio(ratio), '', '', note]);
    };
    ratioRow(
      'gate / (b1): against the same one request',
      gateOverB1,
      Number.isFinite(gateOverB1) ? `target ≤ ${COLD_TARGET}× ${mark(result.target.ok)}` : 'skipped: no (b1)'
    );
    ratioRow('gate / (b)', gateOverB, 'not a target: (b) sends no request');
    ratioRow('(b1) / (b): what one loopback request costs', result.ratios.b1OverB, '');
    ratioRow('gate / (a)', result.ratios.gateOverA, '');
    ratioRow('(b) / (a): what loading @actions/core costs', result.ratios.bOverA, '');
    ratioRow('(b) / (b0): @actions/core vs no dependency', result.ratios.bOverB0, '');
    ratioRow('gate / (c)', result.ratios.gateOverC, '');
    const b = result.breakdown;
    rows.push([
      '',
      'gate: spawn → the server has sent the answer',
      fmtMs(b.spawnToAnswerServed.median),
      fmtMs(b.spawnToAnswerServed.min),
      fmtMs(b.spawnToAnswerServed.max),
      'start-up, loading the bundle, inputs, connect, request'
    ]);
    rows.push([
      '',
      'gate: answer sent → process closed',
      fmtMs(b.answerServedToExit.median),
      fmtMs(b.answerServedToExit.min),
      fmtMs(b.answerServedToExit.max),
      'parse, verdict, outputs, summary, exit'
    ]);
    rows.push([
      '',
      'gate − gate given a bad threshold (medians)',
      fmtMs(b.requestAndVerdictMs),
      '',
      '',
      'what the request and the verdict add'
    ]);
    return { rows, result };
  } finally {
    await emulator.close();
  }
}
