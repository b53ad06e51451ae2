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

/** Loading: the gate given a bad threshold (everything loaded, no request) within this of (b). */
export const COLD_TARGET = 1.15;
/** The gate's own work once the API has answered: answer sent → process closed, median, in ms. */
export const AFTER_ANSWER_TARGET_MS = 20;

/**
 * @param {{ quick: boolean, minimal?: string, minimalRequest?: string, sameIo?: string, noDeps?: string, buildError?: string, progress: (line: string) => void }} ctx
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
    // (b2) does the gate's I/O in the gate's shape: read it off one gate run.
    const shape = ioShape(await runStep(NODE, [BUNDLE], { inputs }));
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
        key: 'b2',
        label: "(b2) (b1) plus the gate's I/O: masks, log lines, outputs, summary, notice (ncc)",
        skipped: ctx.sameIo ? undefined : (ctx.buildError ?? 'ncc not installed'),
        run: () =>
          runStep(NODE, [/** @type {string} */ (ctx.sameIo)], {
            inputs: { ...inputs, 'agent-handle': 'sales-agent' },
            env: shape.env
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
    const gateOverB2 = med('gate') / med('b2');
    result.shape = shape.counts;
    result.ratios = {
      gateOverB,
      gateOverB1,
      gateOverB2,
      b2OverB1: med('b2') / med('b1'),
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
    // Like with like (bench/README.md, case 1): what loading costs, against (b), which loads
    // @actions/core and sends nothing either; and what the gate's own work costs once the API
    // has answered, a fixed amount of CPU kept in milliseconds.
    const loadRatio = med('gateNoRequest') / med('b');
    const afterAnswer = result.breakdown.answerServedToExit.median;
    result.ratios.loadRatio = loadRatio;
    const loadOk = Number.isFinite(loadRatio) ? loadRatio <= COLD_TARGET : undefined;
    const afterOk = Number.isFinite(afterAnswer) ? afterAnswer <= AFTER_ANSWER_TARGET_MS : undefined;
    result.target = {
      text: `loading within ${COLD_TARGET}× of (b), and ≤ ${AFTER_ANSWER_TARGET_MS} ms from the answer to exit`,
      load: loadOk,
      afterAnswer: afterOk,
      ok: loadOk === undefined || afterOk === undefined ? undefined : gateOk && loadOk && afterOk
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
      'gate given a bad threshold / (b): loading, no request on either side',
      loadRatio,
      Number.isFinite(loadRatio) ? `target ≤ ${COLD_TARGET}× ${mark(loadOk)}` : 'skipped: no (b)'
    );
    ratioRow('gate / (b1): against the same one request', gateOverB1, 'not a target: (b1) judges and reports nothing');
    ratioRow('gate / (b2): the same request and the same I/O', gateOverB2, 'not a target: the same, with the I/O');
    ratioRow("(b2) / (b1): what the gate's I/O costs any action", result.ratios.b2OverB1, shape.text);
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
      `parse, verdict, outputs, summary, exit: target ≤ ${AFTER_ANSWER_TARGET_MS} ms ${mark(afterOk)}`
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

/**
 * The gate's I/O, from one run: masks, other log lines, notices, outputs and summary bytes, as the
 * environment (b2) reads and as a note for the table.
 * @param {{ stdout: string, outputs: Record<string, string>, outputBytes: number, summaryBytes: number }} r
 */
export function ioShape(r) {
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  const masks = lines.filter((l) => l.startsWith('::add-mask::')).length;
  const notices = lines.filter((l) => l.startsWith('::notice')).length;
  const counts = {
    masks,
    lines: lines.length - masks - notices,
    outputs: Object.keys(r.outputs).length,
    outputBytes: r.outputBytes,
    summaryBytes: r.summaryBytes
  };
  return {
    counts,
    env: {
      B2_MASKS: String(counts.masks),
      B2_LINES: String(counts.lines),
      B2_OUTPUTS: String(counts.outputs),
      B2_OUTPUT_BYTES: String(counts.outputBytes),
      B2_SUMMARY_BYTES: String(counts.summaryBytes)
    },
    text: `${counts.masks} masks, ${counts.lines} lines, ${counts.outputs} outputs (${counts.outputBytes} B), summary ${counts.summaryBytes} B`
  };
}
