/**
 * The charts of recent runs: a text sparkline for the table and a Mermaid line chart for the
 * folded history. Pure formatting: rates in, text out.
 */
import { isFinished, trustedCounts, type Execution } from '../unpod/executions.js';
import { formatRate } from '../rules/rate.js';

const BARS = '▁▂▃▄▅▆▇█';

/**
 * A text sparkline of the runs' rates, oldest first. A run with no rate yet (unfinished, or no
 * tasks) is left out: drawn as a dip it would show a collapse that never happened. The scale runs
 * from the lowest rate or the threshold, whichever is lower, to 100 %, so that the movement
 * that matters (around the threshold) shows, rather than a row of full blocks.
 */
export function sparkline(runs: readonly Execution[], threshold: number): string {
  const known = [...runs]
    .reverse()
    .map(rateOf)
    .filter((r): r is number => r !== undefined);
  const floor = Math.min(threshold, ...known);
  const span = 100 - floor;
  return known
    .map((rate) => {
      const level = span <= 0 ? BARS.length - 1 : Math.round(((rate - floor) / span) * (BARS.length - 1));
      return BARS[level] ?? '·';
    })
    .join('');
}

/** A finished run's rate for charts; none for a run still moving or without tasks. */
export function rateOf(run: Execution): number | undefined {
  if (!isFinished(run)) return undefined;
  const counts = trustedCounts(run);
  return counts !== undefined && counts.total > 0 ? Number(formatRate(counts.completed, counts.total)) : undefined;
}

/**
 * The colours of the chart's lines, in the order they are drawn: the rate in blue, the threshold
 * in red, the baseline (when there is one) in purple. Mermaid's default first colour is a pale lavender that vanishes on white; these two
 * keep a contrast of at least 3:1 on white, on GitHub's dark page (#0d1117) and on the grey
 * (#333) that Mermaid's dark theme paints behind a chart (npm run test:render measures it).
 */
export const CHART_COLOURS = ['#2f81f7', '#e5534b', '#9a6dd7'] as const;

/**
 * A Mermaid line chart of the rates (oldest first; undefined for a run without a rate, left out
 * but keeping its number on the x-axis) against the threshold. The y-axis spans the data and the
 * threshold in steps of 5 up to 100 %, so a slide from 100 % to 92 % is plain to see. Empty when
 * fewer than two runs have a rate: one point draws no line.
 */
export function rateChart(
  rates: readonly (number | undefined)[],
  threshold: string,
  marks: { readonly judged?: readonly boolean[]; readonly baseline?: string | undefined } = {}
): string {
  // A judged window of several runs is marked on the x-axis: `#9 ◆`.
  const points = rates.flatMap((rate, i) =>
    rate === undefined ? [] : [{ label: `#${i + 1}${marks.judged?.[i] ? ' ◆' : ''}`, rate }]
  );
  if (points.length < 2) return '';
  const baseline = marks.baseline;
  const low = Math.min(Number(threshold), ...points.map((p) => p.rate), Number(baseline ?? 100));
  const floor = Math.max(0, Math.floor((low - 2) / 5) * 5);
  const config = {
    xyChart: { width: 640, height: 260 },
    themeVariables: { xyChart: { plotColorPalette: CHART_COLOURS.slice(0, baseline === undefined ? 2 : 3).join(', ') } }
  };
  // Short enough for the chart's width: Mermaid clips a longer title instead of wrapping it.
  const extras = [
    baseline === undefined ? '' : ', baseline (purple)',
    marks.judged?.some(Boolean) ? ', ◆ judged' : ''
  ].join('');
  const title = `Rate (blue) vs ${threshold}% threshold (red)${extras}`;
  return [
    '```mermaid',
    `%%{init: ${JSON.stringify(config)}}%%`,
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis [${points.map((p) => `"${p.label}"`).join(', ')}]`,
    `  y-axis "Rate (%)" ${floor} --> 100`,
    `  line [${points.map((p) => p.rate).join(', ')}]`,
    `  line [${points.map(() => threshold).join(', ')}]`,
    ...(baseline === undefined ? [] : [`  line [${points.map(() => baseline).join(', ')}]`]),
    '```'
  ].join('\n');
}
