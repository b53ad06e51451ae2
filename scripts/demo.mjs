/**
 * `npm run demo`: starts the example server, runs the committed dist/index.js exactly as the
 * runner does against a passing agent, a failing one, a fleet, a run still in progress and a
 * mistyped input, and prints what a workflow would see: exit code, annotations, outputs and the
 * job summary.
 */
import { startEmulator } from '../emulator/server.mjs';
import { invokedDirectly } from './invoked.mjs';
import { runAction } from './run-action.mjs';

/** The demo's runs: a title and the inputs beyond those of demoInputs(). */
export const DEMO_CASES = [
  ['A healthy agent passes', { 'agent-handle': 'sales-agent' }],
  ['An agent below the threshold fails', { 'agent-handle': 'support-agent' }],
  ['A fleet: every agent must pass', { 'agent-handle': 'sales-agent\npartial-agent\nsupport-agent\nbooking-agent' }],
  [
    'Waiting for a run in progress (polls every 1s)',
    { 'agent-handle': 'survey-agent', 'wait-timeout': '30s', 'poll-interval': '1s' }
  ],
  ['A mistyped input fails before any request', { 'agent-handle': 'sales-agent', threshold: 'ninety-five' }],
  ['A noisy dip: 92% alone, passing pooled over a window of 5 runs', { 'agent-handle': 'noisy-agent', window: '5' }],
  [
    'A drift: 96% passes the threshold but is 4 points below the baseline, more than max-drop 3',
    { 'agent-handle': 'drifting-agent', window: '3', 'max-drop': '3' }
  ],
  [
    'A fleet with per-agent thresholds, a warning band and 95% confidence',
    {
      'agent-handle': 'sales-agent\nsupport-agent\nnoisy-agent',
      thresholds: 'support-agent: 92',
      'warn-below': '97',
      confidence: '95'
    }
  ]
];

/**
 * The inputs every demo run shares.
 * @param {{ orgHandle: string, token: string, url: string }} server
 */
export function demoInputs(server) {
  return { 'org-handle': server.orgHandle, token: server.token, 'base-url': server.url, threshold: '95' };
}

if (invokedDirectly(import.meta.url)) await main();

async function main() {
  const server = await startEmulator({ port: Number(process.env.PORT ?? 0) });
  const bold = (/** @type {string} */ s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
  console.log(`Example server on ${server.url} (org ${server.orgHandle}); bundle: dist/index.js\n`);
  let failures = 0;
  try {
    for (const [title, inputs] of DEMO_CASES) {
      const run = await runAction({ ...demoInputs(server), ...inputs });
      console.log(bold(`━━ ${title}: exit code ${run.code} ━━`));
      for (const line of run.stdout.split('\n')) {
        if (line.startsWith('::add-mask::') || line.startsWith('::debug::') || line.trim() === '') continue;
        console.log(`  log │ ${line}`);
      }
      console.log('  outputs:');
      for (const [name, value] of Object.entries(run.outputs)) {
        const shown = name === 'results' ? `${JSON.parse(value).length} result(s) as JSON` : value;
        console.log(`    ${name.padEnd(16)} ${shown}`);
      }
      console.log('  job summary (as text; GitHub renders the HTML):');
      console.log(indent(summaryAsText(run.summary ?? '(none)')));
      console.log('');
      if (run.code !== 0) failures++;
    }
  } finally {
    await server.close();
  }
  console.log(
    `${DEMO_CASES.length} runs, ${failures} failed the gate as intended (the second, the fleet, the mistyped input and the drift).`
  );
}

/** A rough terminal rendering of the summary's HTML tables and lists. @param {string} html */
function summaryAsText(html) {
  return html
    .replace(
      /<details>[\s\S]*?<\/details>/g,
      (d) => `▸ ${/<summary>(.*?)<\/summary>/.exec(d)?.[1] ?? 'details'} (folded)`
    )
    .replace(/<\/t[hd]>/g, ' │ ')
    .replace(/<tr>/g, '\n│ ')
    .replace(/<br>/g, ' ')
    .replace(/<li>/g, '\n • ')
    .replace(/<h(\d)>/g, (_, n) => `${'#'.repeat(Number(n))} `)
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, code) => String.fromCharCode(Number(code)))
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** @param {string} text */
function indent(text) {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
