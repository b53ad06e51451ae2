/**
 * `node bench/profile.mjs [--quick]`: where the cold step's time goes.
 *
 * 1. CPU profiles (--cpu-prof, 100 µs sampling) of the gate (dist/index.js gating sales-agent on
 *    the example server) and of the minimal @actions/core action, several runs each, interleaved.
 *    Every sample is charged to the innermost bundle frame's package (bench/bundle-map.mjs maps a
 *    position in a minified bundle to its module), split into that package's own code, the Node
 *    builtins it loads and the Node internals it calls; samples with no bundle frame are Node's
 *    start-up, the ESM loader compiling the bundle, GC, or idle (waiting for the network).
 * 2. Timed variants, no profiler, interleaved: node -e 0; node requiring the Node builtins the
 *    bundle needs; the minimal action; the gate; and the gate rebuilt with undici stubbed out
 *    (bench/build.mjs), to measure what dropping undici would save.
 *
 * Prints both tables and writes bench/results/profile-<timestamp>.json, profile-latest.json and
 * one .cpuprofile of each (open them in Chrome DevTools, Performance tab).
 */
import { copyFile, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from '../emulator/server.mjs';
import { demoInputs } from '../scripts/demo.mjs';
import { MINIMAL_SOURCE, buildAction, buildGateWithoutUndici, haveNcc, ncc } from './build.mjs';
import { mapBundle, rangeAt } from './bundle-map.mjs';
import { BENCH, BUNDLE, NODE, ROOT, fmtMs, killAll, machine, runStep, stats, table } from './lib.mjs';

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick ?? false;
const PROFILED = quick ? 2 : 7;
const TIMED = quick ? 6 : 25;
const LIMIT_MS = 10 * 60_000;

const watchdog = setTimeout(() => {
  console.error('profile: still running after 10 minutes, giving up');
  killAll();
  process.exit(2);
}, LIMIT_MS);
watchdog.unref();
process.on('exit', killAll);
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM']))
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });

const BUILTIN_LOADERS = new Set(['compileForInternalLoader', 'requireBuiltin', 'internalBinding']);
/** Bundle code that only forwards: charged to the module that called it. */
const PASS_THROUGH = new Set(['webpack runtime', 'require() stubs for node builtins']);
const TOP_LEVEL = 'bundle top level (concatenated src/ + @actions/*)';

/**
 * Charges each sample of a profile to a category; the time of a sample is the delta to the next.
 * Also sums inclusive time per bundle function (module factories are named by their module id).
 * @param {any} profile @param {string} bundleUrl @param {Awaited<ReturnType<typeof mapBundle>>} map
 */
function analyse(profile, bundleUrl, map) {
  /** @type {Map<number, any>} */
  const nodes = new Map(profile.nodes.map((/** @type {any} */ n) => [n.id, n]));
  /** @type {Map<number, number>} */
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  /** @type {Map<number, string>} */
  const memo = new Map();

  /** The package of a bundle frame; the module's top-level code is one frame at offset 0. */
  const pkgOf = (/** @type {any} */ frame) => {
    const offset = (map.lineStarts[frame.lineNumber] ?? 0) + frame.columnNumber;
    if (offset === 0) return TOP_LEVEL;
    return rangeAt(map.ranges, offset)?.pkg ?? 'bundle (unmapped)';
  };
  /** A readable name for a bundle frame, for the inclusive lists. */
  const nameOf = (/** @type {any} */ frame) => {
    const fn = frame.functionName;
    if (/^\d+$/.test(fn)) return `module ${map.names.get(fn) ?? fn}`;
    const offset = (map.lineStarts[frame.lineNumber] ?? 0) + frame.columnNumber;
    if (offset === 0) return TOP_LEVEL;
    const range = rangeAt(map.ranges, offset);
    return `${fn || '(anonymous)'} in ${range?.module ?? '?'}`;
  };

  const classify = (/** @type {number} */ id) => {
    const cached = memo.get(id);
    if (cached) return cached;
    const leaf = nodes.get(id);
    const fn = leaf.callFrame.functionName;
    let category;
    if (fn === '(garbage collector)') category = 'GC';
    else if (fn === '(idle)') category = 'idle: waiting (network, timers)';
    else if (fn === '(program)' || fn === '(root)') category = 'V8 / native, unattributed (program)';
    else {
      let loadsBuiltin = false;
      let compilesBundle = false;
      let own = true;
      /** @type {string | undefined} */
      let pkg;
      for (let at = /** @type {number | undefined} */ (id); at !== undefined; at = parent.get(at)) {
        const frame = nodes.get(at).callFrame;
        if (frame.url === bundleUrl) {
          pkg = pkgOf(frame);
          if (!PASS_THROUGH.has(pkg)) break;
          continue;
        }
        if (pkg !== undefined) continue;
        own = false;
        if (BUILTIN_LOADERS.has(frame.functionName) || frame.url.startsWith('node:internal/bootstrap/realm'))
          loadsBuiltin = true;
        if (frame.functionName === 'compileSourceTextModule') compilesBundle = true;
      }
      if (pkg !== undefined)
        category = `${pkg}: ${own ? 'own code' : loadsBuiltin ? 'loading Node builtins' : 'Node internals it calls'}`;
      else if (compilesBundle) category = 'ESM loader: compiling the bundle (before it runs)';
      else if (loadsBuiltin) category = 'Node start-up: loading builtins';
      else category = 'Node start-up and internals (no bundle frame)';
    }
    memo.set(id, category);
    return category;
  };

  /** @type {Record<string, number>} */
  const ms = {};
  /** @type {Record<string, number>} inclusive ms per bundle function */
  const inclusive = {};
  let firstOwn = Infinity;
  let t = 0;
  const { samples, timeDeltas } = profile;
  for (let i = 0; i < samples.length; i++) {
    t += timeDeltas[i] ?? 0;
    const dt = (timeDeltas[i + 1] ?? 0) / 1000;
    const category = classify(samples[i]);
    ms[category] = (ms[category] ?? 0) + dt;
    if (category.startsWith('src/') && firstOwn === Infinity) firstOwn = t / 1000;
    const seen = new Set();
    for (let at = samples[i]; at !== undefined; at = parent.get(at)) {
      const frame = nodes.get(at).callFrame;
      if (frame.url !== bundleUrl) continue;
      const name = nameOf(frame);
      if (seen.has(name)) continue;
      seen.add(name);
      inclusive[name] = (inclusive[name] ?? 0) + dt;
    }
  }
  return { ms, inclusive, spanMs: (profile.endTime - profile.startTime) / 1000, firstSrcSampleMs: firstOwn };
}

/** @param {string} dir */
async function onlyProfile(dir) {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length !== 1) throw new Error(`expected one profile in ${dir}, found ${files.length}`);
  return join(dir, /** @type {string} */ (files[0]));
}

const started = Date.now();
const tmp = await mkdtemp(join(tmpdir(), 'unpod-profile-'));
const emulator = await startEmulator();
try {
  if (!(await haveNcc())) throw new Error('skipped: ncc not installed (npm ci)');
  console.error('building: the minimal action, unminified builds with stats, the gate without undici');
  const minimalDir = join(tmp, 'minimal');
  const [minimal, noUndici] = await Promise.all([
    buildAction(minimalDir, MINIMAL_SOURCE).then(async (path) => {
      await ncc(join(minimalDir, 'index.ts'), join(minimalDir, 'raw'), {
        minify: false,
        statsOut: join(minimalDir, 'raw', 'stats.json'),
        cwd: minimalDir
      });
      return path;
    }),
    buildGateWithoutUndici(join(tmp, 'no-undici')),
    ncc(join(ROOT, 'src', 'index.ts'), join(tmp, 'gate-raw'), {
      minify: false,
      statsOut: join(tmp, 'gate-raw', 'stats.json')
    })
  ]);
  const gateMap = await mapBundle({
    minified: BUNDLE,
    raw: join(tmp, 'gate-raw', 'index.js'),
    stats: join(tmp, 'gate-raw', 'stats.json')
  });
  const minimalMap = await mapBundle({
    minified: minimal,
    raw: join(minimalDir, 'raw', 'index.js'),
    stats: join(minimalDir, 'raw', 'stats.json')
  });
  const stats0 = JSON.parse(await readFile(join(tmp, 'gate-raw', 'stats.json'), 'utf8'));
  const builtins = [
    ...new Set(
      [...JSON.stringify(stats0).matchAll(/external \\"([^"\\]+)\\"/g)].map((m) => /** @type {string} */ (m[1]))
    )
  ].sort();

  const inputs = { ...demoInputs(emulator), 'agent-handle': 'sales-agent' };
  const profiled = [
    { key: 'gate', bundle: BUNDLE, map: gateMap, inputs, runs: /** @type {any[]} */ ([]) },
    { key: 'minimal', bundle: minimal, map: minimalMap, inputs: {}, runs: /** @type {any[]} */ ([]) }
  ];
  /** @type {Record<string, string>} */
  const kept = {};
  for (let round = 0; round < PROFILED + 1; round++) {
    console.error(`profiling: round ${round + 1}/${PROFILED + 1}${round === 0 ? ' (warm-up)' : ''}`);
    for (const p of round % 2 === 0 ? profiled : [...profiled].reverse()) {
      const dir = join(tmp, `prof-${p.key}-${round}`);
      const r = await runStep(NODE, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '100', p.bundle], {
        inputs: p.inputs
      });
      if (r.code !== 0 || r.outputs.passed !== 'true')
        throw new Error(`${p.key} failed under the profiler: ${r.stderr}`);
      if (round === 0) continue;
      const file = await onlyProfile(dir);
      const profile = JSON.parse(await readFile(file, 'utf8'));
      p.runs.push({ wallMs: r.ms, ...analyse(profile, pathToFileURL(p.bundle).href, p.map) });
      kept[p.key] = file;
    }
  }

  // Timed, no profiler.
  const timed = [
    { key: 'a', label: 'node -e 0', cmd: [NODE, '-e', '0'], inputs: {} },
    {
      key: 'builtins',
      label: `node -e "require() the ${builtins.length} builtins the bundle names"`,
      cmd: [NODE, '-e', `for (const m of ${JSON.stringify(builtins)}) require(m)`],
      inputs: {}
    },
    { key: 'b', label: '(b) minimal @actions/core action', cmd: [NODE, minimal], inputs: {}, passes: true },
    { key: 'gate', label: 'gate (dist/index.js)', cmd: [NODE, BUNDLE], inputs, passes: true },
    {
      key: 'noUndici',
      label: 'gate rebuilt with undici stubbed out',
      cmd: [NODE, noUndici],
      inputs,
      passes: true
    }
  ].map((v) => ({ ...v, times: /** @type {number[]} */ ([]) }));
  for (let round = 0; round < TIMED + 2; round++) {
    console.error(`timing: round ${round + 1}/${TIMED + 2}${round < 2 ? ' (warm-up)' : ''}`);
    for (let i = 0; i < timed.length; i++) {
      const v = /** @type {(typeof timed)[number]} */ (timed[(i + round) % timed.length]);
      const [cmd, ...args] = v.cmd;
      const r = await runStep(/** @type {string} */ (cmd), args, { inputs: v.inputs });
      if (r.code !== 0 || (v.passes && r.outputs.passed !== 'true'))
        throw new Error(`${v.label} failed: exit ${String(r.code)} ${r.stderr.slice(-500)}`);
      if (round >= 2) v.times.push(r.ms);
    }
  }
  const noUndiciBytes = Buffer.byteLength(await readFile(noUndici, 'utf8'));

  // Report.
  const categories = [...new Set(profiled.flatMap((p) => p.runs.flatMap((/** @type {any} */ r) => Object.keys(r.ms))))];
  const medianOf = (/** @type {any[]} */ runs, /** @type {string} */ c) => stats(runs.map((r) => r.ms[c] ?? 0)).median;
  const gate = profiled[0];
  const mini = profiled[1];
  const rowsData = categories
    .map((c) => ({ category: c, gate: medianOf(gate.runs, c), minimal: medianOf(mini.runs, c) }))
    .sort((x, y) => y.gate - x.gate);
  const byPackage = (/** @type {any[]} */ runs) => {
    /** @type {Record<string, number[]>} */
    const per = {};
    for (const r of runs) {
      /** @type {Record<string, number>} */
      const sums = {};
      for (const [c, v] of Object.entries(r.ms)) {
        const pkg =
          c.includes(': ') && !c.startsWith('ESM') && !c.startsWith('Node') && !c.startsWith('idle')
            ? c.split(': ')[0]
            : c;
        sums[/** @type {string} */ (pkg)] = (sums[/** @type {string} */ (pkg)] ?? 0) + v;
      }
      for (const [k, v] of Object.entries(sums)) (per[k] ??= []).push(v);
    }
    return Object.fromEntries(Object.entries(per).map(([k, v]) => [k, stats(v).median]));
  };
  const gateSpan = stats(gate.runs.map((r) => r.spanMs)).median;
  const miniSpan = stats(mini.runs.map((r) => r.spanMs)).median;
  /** @type {(string | string[])[]} */
  const rows = [
    `CPU profiles: ${PROFILED} runs each (+1 warm-up), 100 µs sampling; medians in ms per category`,
    ['', 'category', 'gate', 'minimal (b)', 'gate − (b)']
  ];
  for (const r of rowsData) {
    if (r.gate < 0.3 && r.minimal < 0.3) continue;
    rows.push(['', r.category, r.gate.toFixed(1), r.minimal.toFixed(1), (r.gate - r.minimal).toFixed(1)]);
  }
  rows.push([
    '',
    'profile span (process start-up before the profiler starts is not in it)',
    gateSpan.toFixed(1),
    miniSpan.toFixed(1),
    (gateSpan - miniSpan).toFixed(1)
  ]);
  rows.push([
    '',
    'wall time under the profiler (spawn → close)',
    stats(gate.runs.map((r) => r.wallMs)).median.toFixed(1),
    stats(mini.runs.map((r) => r.wallMs)).median.toFixed(1),
    ''
  ]);
  rows.push([
    '',
    'first sample in src/ (ms after the profile starts)',
    stats(gate.runs.map((r) => r.firstSrcSampleMs)).median.toFixed(1),
    '',
    ''
  ]);
  const gatePkg = byPackage(gate.runs);
  const miniPkg = byPackage(mini.runs);
  rows.push('', 'By package (all three kinds together), medians in ms', ['', 'package', 'gate', 'minimal (b)']);
  for (const [k, v] of Object.entries(gatePkg).sort((x, y) => y[1] - x[1]))
    if (v >= 0.3 || (miniPkg[k] ?? 0) >= 0.3) rows.push(['', k, v.toFixed(1), (miniPkg[k] ?? 0).toFixed(1)]);

  const inclusiveMedians = (/** @type {any[]} */ runs) => {
    const keys = new Set(runs.flatMap((r) => Object.keys(r.inclusive)));
    return Object.fromEntries([...keys].map((k) => [k, stats(runs.map((r) => r.inclusive[k] ?? 0)).median]));
  };
  const gateInclusive = inclusiveMedians(gate.runs);
  const top = (/** @type {(k: string) => boolean} */ pick, /** @type {number} */ n) =>
    Object.entries(gateInclusive)
      .filter(([k]) => pick(k))
      .sort((x, y) => y[1] - x[1])
      .slice(0, n);
  rows.push('', 'The gate: heaviest modules to evaluate (inclusive ms, median; a module includes what it requires)', [
    '',
    'module',
    'ms'
  ]);
  for (const [k, v] of top((k) => k.startsWith('module ') || k === TOP_LEVEL, 14)) rows.push(['', k, v.toFixed(1)]);
  rows.push('', 'The gate: heaviest functions of src/ (inclusive ms, median; includes the Node internals they call)', [
    '',
    'function',
    'ms'
  ]);
  for (const [k, v] of top((k) => k.includes(' in ./src/'), 10)) rows.push(['', k, v.toFixed(1)]);

  rows.push('', `Timed without the profiler: ${TIMED} interleaved rounds (+2 warm-up)`, [
    '',
    'variant',
    'median',
    'min',
    'max'
  ]);
  /** @type {Record<string, any>} */
  const timedResult = {};
  for (const v of timed) {
    const s = stats(v.times);
    timedResult[v.key] = { label: v.label, ...s };
    rows.push(['', v.label, fmtMs(s.median), fmtMs(s.min), fmtMs(s.max)]);
  }
  const saved = timedResult.gate.median - timedResult.noUndici.median;
  rows.push(
    `  without undici the bundle is ${noUndiciBytes.toLocaleString('en')} bytes (dist/index.js: ${gateMap.minifiedTotal.toLocaleString('en')}) and the step ${fmtMs(saved)} (${((100 * saved) / timedResult.gate.median).toFixed(0)} %) faster`
  );

  const output = table(rows);
  console.log(
    `Unpod gate cold-step profile${quick ? ' (--quick)' : ''}: ${new Date(started).toISOString()}\n${output}`
  );
  const results = join(BENCH, 'results');
  await mkdir(results, { recursive: true });
  const stamp = new Date(started).toISOString().replace(/[:.]/g, '-');
  for (const [key, file] of Object.entries(kept)) await copyFile(file, join(results, `profile-${key}.cpuprofile`));
  const json = {
    generatedAt: new Date(started).toISOString(),
    quick,
    machine: machine(),
    profiled: Object.fromEntries(
      profiled.map((p) => [
        p.key,
        {
          runs: p.runs,
          medians: Object.fromEntries(rowsData.map((r) => [r.category, p.key === 'gate' ? r.gate : r.minimal]))
        }
      ])
    ),
    byPackage: { gate: gatePkg, minimal: miniPkg },
    gateInclusive,
    builtins,
    timed: timedResult,
    noUndiciBytes,
    table: output
  };
  const text = `${JSON.stringify(json, null, 2)}\n`;
  await writeFile(join(results, `profile-${stamp}.json`), text);
  await writeFile(join(results, 'profile-latest.json'), text);
  console.log(
    `\nwritten: bench/results/profile-${stamp}.json, profile-latest.json, profile-gate.cpuprofile, profile-minimal.cpuprofile`
  );
} catch (error) {
  console.error(`profile: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await emulator.close();
  killAll();
  await rm(tmp, { recursive: true, force: true });
  clearTimeout(watchdog);
}
