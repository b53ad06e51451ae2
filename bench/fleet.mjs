/**
 * Case 3, a fleet: 1, 5, 20 and 50 agents in one step, with the example server adding 100 ms to
 * every answer, at the default concurrency (4); the emulator's maxInFlight shows how many
 * requests the gate really had open at once. Next to it, the same 20 agents gated one by one
 * with curl and jq (bench/gate.sh), as a sequential shell step would.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startEmulator } from '../emulator/server.mjs';
import {
  BENCH,
  BUNDLE,
  NODE,
  ROOT,
  fmtMs,
  fmtRatio,
  mark,
  runStep,
  shellBaselineMissing,
  stats,
  which
} from './lib.mjs';

export const FLEET_TARGET = 2.5;
export const LATENCY_MS = 100;

/** @param {number} i */
const agentName = (i) => `agent-${String(i).padStart(2, '0')}`;

/** @param {{ quick: boolean, progress: (line: string) => void }} ctx */
export async function benchFleet(ctx) {
  const reps = ctx.quick ? 2 : 5;
  const base = JSON.parse(await readFile(join(ROOT, 'emulator', 'scenario.json'), 'utf8'));
  const scenario = structuredClone(base);
  for (let i = 1; i <= 50; i++) scenario.agents[agentName(i)] = structuredClone(base.agents['sales-agent']);
  const agents = (/** @type {number} */ n) => Array.from({ length: n }, (_, i) => agentName(i + 1));

  const bash = which('bash');
  const shellMissing = shellBaselineMissing();
  /** @typedef {Awaited<ReturnType<typeof startEmulator>>} Emulator */
  /** @type {{ key: string, n: number, concurrency: number, label: string, skipped?: string, emulator?: Emulator, run?: (e: Emulator) => ReturnType<typeof runStep>, times: number[], requests: number[], failures: string[] }[]} */
  const variants = [1, 5, 20, 50].map((n) => ({
    key: `gate${n}`,
    n,
    concurrency: 4,
    label: `gate, ${n} agent${n === 1 ? '' : 's'}, concurrency 4 (default)`,
    times: [],
    requests: [],
    failures: []
  }));
  // Not a target: what a higher concurrency would give, for comparison.
  variants.push({
    key: 'gate20c8',
    n: 20,
    concurrency: 8,
    label: 'gate, 20 agents, concurrency 8',
    times: [],
    requests: [],
    failures: []
  });
  variants.push({
    key: 'curl20',
    n: 20,
    concurrency: 1,
    label: '20 agents one by one with curl + jq',
    skipped: shellMissing,
    times: [],
    requests: [],
    failures: []
  });
  try {
    for (const v of variants) {
      if (v.skipped) continue;
      const emulator = await startEmulator({ scenario });
      emulator.fault({ kind: 'latency', ms: LATENCY_MS, times: Infinity });
      v.emulator = emulator;
      v.run = v.key.startsWith('gate')
        ? (e) =>
            runStep(NODE, [BUNDLE], {
              inputs: {
                'agent-handle': agents(v.n).join('\n'),
                'org-handle': e.orgHandle,
                token: e.token,
                'base-url': e.url,
                threshold: '95',
                // The default ones leave the input unset, as a workflow would.
                ...(v.key === 'gate20c8' ? { concurrency: String(v.concurrency) } : {})
              },
              killAfterMs: 120_000
            })
        : (e) =>
            runStep(
              /** @type {string} */ (bash),
              ['--noprofile', '--norc', '-eo', 'pipefail', join(BENCH, 'gate.sh')],
              {
                env: {
                  UNPOD_BASE_URL: e.url,
                  UNPOD_TOKEN: e.token,
                  UNPOD_ORG: e.orgHandle,
                  AGENTS: agents(v.n).join('\n'),
                  THRESHOLD: '95'
                },
                killAfterMs: 120_000
              }
            );
    }
    const active = variants.filter((v) => !v.skipped);
    for (let round = 0; round < reps; round++) {
      ctx.progress(`fleet: round ${round + 1}/${reps}`);
      const order = active.map((_, i) => /** @type {(typeof active)[number]} */ (active[(i + round) % active.length]));
      for (const v of order) {
        const emulator = /** @type {Emulator} */ (v.emulator);
        const before = emulator.requests.length;
        const r = await /** @type {NonNullable<typeof v.run>} */ (v.run)(emulator);
        v.requests.push(emulator.requests.length - before);
        if (r.code !== 0 || r.outputs.passed !== 'true') {
          v.failures.push(`exit ${String(r.code)}: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`);
          continue;
        }
        v.times.push(r.ms);
      }
    }
  } finally {
    for (const v of variants) await v.emulator?.close();
  }

  /** @type {Record<string, any>} */
  const result = { reps, latencyMs: LATENCY_MS, defaultConcurrency: 4, variants: {} };
  for (const v of variants) {
    result.variants[v.key] = v.skipped
      ? { label: v.label, skipped: v.skipped }
      : {
          label: v.label,
          agents: v.n,
          concurrency: v.concurrency,
          ...stats(v.times),
          requestsPerRun: [...new Set(v.requests)],
          maxInFlight: v.emulator?.maxInFlight,
          failures: v.failures.length,
          firstFailure: v.failures[0]
        };
  }
  const med = (/** @type {string} */ key) => /** @type {number} */ (result.variants[key]?.median ?? NaN);
  // Each variant's latency floor: ⌈agents / concurrency⌉ round trips that no gate can overlap.
  const floor = (/** @type {number} */ n, /** @type {number} */ concurrency) => Math.ceil(n / concurrency) * LATENCY_MS;
  const ratio = (med('gate20') - floor(20, 4)) / (med('gate1') - floor(1, 4));
  result.ratios = {
    aboveFloor20OverAboveFloor1: ratio,
    fleet20OverFleet1: med('gate20') / med('gate1'),
    curl20OverFleet20: med('curl20') / med('gate20'),
    fleet20c8OverFleet1: med('gate20c8') / med('gate1')
  };
  result.target = {
    text: `fleet(20) − its floor within ${FLEET_TARGET}× of fleet(1) − its floor`,
    ok: variants.some((v) => v.key.startsWith('gate') && v.failures.length > 0)
      ? false
      : Number.isFinite(ratio)
        ? ratio <= FLEET_TARGET
        : undefined
  };

  /** @type {(string | string[])[]} */
  const rows = [
    `3. Fleet: every answer ${LATENCY_MS} ms late, ${reps} interleaved runs each`,
    ['', 'variant', 'median', 'min', 'max', 'requests/run', 'maxInFlight', 'note']
  ];
  for (const v of variants) {
    const s = result.variants[v.key];
    if (v.skipped) {
      rows.push(['', v.label, `skipped: ${v.skipped}`, '', '', '', '', '']);
      continue;
    }
    const rounds = Math.ceil(v.n / v.concurrency);
    rows.push([
      '',
      v.label,
      fmtMs(s.median),
      fmtMs(s.min),
      fmtMs(s.max),
      s.requestsPerRun.join(', '),
      String(s.maxInFlight),
      v.failures.length > 0
        ? `❌ ${v.failures.length} wrong result(s): ${v.failures[0]}`
        : v.key.startsWith('gate')
          ? `latency floor ⌈${v.n}/${v.concurrency}⌉ × ${LATENCY_MS} ms = ${rounds * LATENCY_MS} ms`
          : `latency floor ${v.n} × ${LATENCY_MS} ms = ${v.n * LATENCY_MS} ms`
    ]);
  }
  rows.push([
    '',
    '(fleet(20) − 500 ms) / (fleet(1) − 100 ms)',
    fmtRatio(ratio),
    '',
    '',
    '',
    '',
    `target ≤ ${FLEET_TARGET}× ${mark(result.target.ok)}: the time above each latency floor`
  ]);
  rows.push([
    '',
    'fleet(20) / fleet(1)',
    fmtRatio(result.ratios.fleet20OverFleet1),
    '',
    '',
    '',
    '',
    'not a target: at least (cold + 500 ms) / (cold + 100 ms) whatever the gate does'
  ]);
  rows.push(['', 'curl one by one (20) / fleet(20)', fmtRatio(result.ratios.curl20OverFleet20), '', '', '', '', '']);
  rows.push([
    '',
    'fleet(20) at concurrency 8 / fleet(1)',
    fmtRatio(result.ratios.fleet20c8OverFleet1),
    '',
    '',
    '',
    '',
    'not a target: what a higher default would give'
  ]);
  return { rows, result };
}
