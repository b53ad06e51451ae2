// @ts-check
/**
 * The job summaries the demo and the render check write, and the check that each says each thing
 * once: no sentence of MIN_REPEATED characters or more twice. Used by the render check
 * (scripts/render-check.mjs) and __tests__/e2e-summary.test.ts.
 */
import { DEMO_CASES } from './demo.mjs';

/** A run whose id and status try to leave their table cell. */
export const HOSTILE = {
  run_id: '</code></td><td>|<img src=x>',
  status: '**b** | </td><script>[x](y)',
  total_tasks: 4,
  completed_tasks: 1
};

/**
 * The runs whose summaries the render check draws: every demo case, and a fleet with the
 * hostile run (an example server needs addHostile first).
 * @returns {{ title: string, inputs: Readonly<Record<string, string>>, hostile: boolean }[]}
 */
export function summaryCases() {
  return [
    ...DEMO_CASES.map(([title, inputs]) => ({ title, inputs, hostile: false })),
    {
      title: 'API text that tries to leave its cell',
      inputs: { 'agent-handle': 'sales-agent\nhostile-agent' },
      hostile: true
    }
  ];
}

/**
 * Adds hostile-agent, with the hostile run an hour old, to an example server.
 * @param {{ addRun: (agent: string, run: Record<string, unknown>) => void }} server
 */
export function addHostile(server) {
  server.addRun('hostile-agent', { ...HOSTILE, created: new Date(Date.now() - 3_600_000).toISOString() });
}

/** Sentences this long or longer must not appear twice in one summary. */
export const MIN_REPEATED = 40;

const ENTITIES = /** @type {Record<string, string>} */ ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });

/**
 * The sentences of a summary as a reader sees them: tags dropped, entities decoded, the charts'
 * fenced blocks left out. A table cell, a list item's "<strong>agent</strong>:" label, a
 * paragraph and a sentence end (. ! or ? before a space) each end one.
 * @param {string} summary the summary's Markdown and HTML
 * @returns {string[]}
 */
export function sentences(summary) {
  const text = summary
    .replace(/^```[^\n]*\n[\s\S]*?^```$/gm, '\n')
    .replace(/<\/strong>:/g, '\n')
    .replace(/<(?:br|\/?(?:p|li|td|th|tr|ul|ol|h\d|details|summary|table|div))\b[^>]*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&#(\d+);/g, (_, code) => String.fromCodePoint(Number(code)))
    .replace(/&([a-z]+);/g, (entity, name) => ENTITIES[name] ?? entity);
  return text
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

/**
 * The sentences of at least `min` characters that a summary says more than once, each with its
 * count.
 * @param {string} summary
 * @param {number} [min]
 * @returns {{ sentence: string, count: number }[]}
 */
export function repeatedSentences(summary, min = MIN_REPEATED) {
  /** @type {Map<string, number>} */
  const counts = new Map();
  for (const s of sentences(summary)) if (s.length >= min) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 1).map(([sentence, count]) => ({ sentence, count }));
}
