import { describe, expect, it } from '@jest/globals';
import { rateChart, rateOf, sparkline } from '../../src/report/chart.js';
import { execution } from '../helpers.js';

describe('rateOf', () => {
  it('gives a finished run its rate and none to a run still moving or without tasks', () => {
    expect(rateOf(execution('R1', { completed_tasks: 23 }))).toBe(92);
    expect(rateOf(execution('R2', { status: 'failed', completed_tasks: 1, total_tasks: 3 }))).toBe(33.33);
    expect(rateOf(execution('R3', { status: 'in_progress', completed_tasks: 3 }))).toBeUndefined();
    expect(rateOf(execution('R4', { completed_tasks: 0, total_tasks: 0 }))).toBeUndefined();
    expect(rateOf(execution('R5', { completed_tasks: 26 }))).toBeUndefined(); // counts it cannot trust
  });
});

describe('sparkline', () => {
  it('draws rates oldest first, leaving out runs without a rate: unfinished, or without tasks', () => {
    const runs = [
      execution('R4', { status: 'in_progress', completed_tasks: 3 }), // 12% so far: no dip
      execution('R3', { completed_tasks: 25 }),
      execution('R2', { status: 'running', completed_tasks: null }),
      execution('R1', { completed_tasks: 0 }),
      execution('R0', { completed_tasks: 0, total_tasks: 0 })
    ];
    expect(sparkline(runs, 95)).toBe('▁█');
  });

  it('scales from the lowest rate or the threshold to 100, so movement near the threshold shows', () => {
    const rates = [25, 24, 23, 25].map((c, i) => execution(`R${i}`, { completed_tasks: c })); // newest first
    expect(sparkline(rates, 95)).toBe('█▁▅█'); // 100, 92, 96, 100 oldest first, floor 92
    expect(sparkline(rates, 80)).toBe('█▅▇█'); // floor 80
    expect(sparkline([execution('R9')], 100)).toBe('█');
  });

  it('still draws a mark for each rated run when there is no scale to place it on', () => {
    // A threshold that is not a number leaves no level: each run shows as a dot, none vanish.
    const runs = [execution('R1', { completed_tasks: 23 }), execution('R0')];
    expect(sparkline(runs, Number.NaN)).toBe('··');
  });
});

describe('rateChart', () => {
  const line = (chart: string, start: string): string =>
    chart.split('\n').find((l) => l.trim().startsWith(start)) ?? '';

  it('scales the y-axis to the data and the threshold, in steps of 5, up to 100', () => {
    expect(line(rateChart([100, 92, 96, 100], '95'), 'y-axis')).toBe('  y-axis "Rate (%)" 90 --> 100');
    expect(line(rateChart([100, 100], '95'), 'y-axis')).toBe('  y-axis "Rate (%)" 90 --> 100');
    expect(line(rateChart([100, 12], '95'), 'y-axis')).toBe('  y-axis "Rate (%)" 10 --> 100');
    expect(line(rateChart([100, 100], '80'), 'y-axis')).toBe('  y-axis "Rate (%)" 75 --> 100');
    expect(line(rateChart([1, 0], '0'), 'y-axis')).toBe('  y-axis "Rate (%)" 0 --> 100');
  });

  it('draws the rate, then the threshold, in colours set for both GitHub themes', () => {
    const chart = rateChart([100, 92], '95');
    expect(line(chart, 'line')).toBe('  line [100, 92]');
    expect(chart.split('\n').filter((l) => l.trim().startsWith('line'))[1]).toBe('  line [95, 95]');
    const init = /^%%\{init: (.*)\}%%$/m.exec(chart)?.[1] ?? '';
    const config = JSON.parse(init) as { themeVariables: { xyChart: { plotColorPalette: string } } };
    expect(config.themeVariables.xyChart.plotColorPalette.split(', ')).toEqual(['#2f81f7', '#e5534b']);
    expect(chart).toMatch(/^```mermaid\n[\s\S]*\n```$/);
  });

  it('marks the judged window on the x-axis and draws the baseline in a third colour', () => {
    const chart = rateChart([100, 96, undefined, 92], '90', { judged: [false, true, false, true], baseline: '99.5' });
    expect(line(chart, 'x-axis')).toBe('  x-axis ["#1", "#2 ◆", "#4 ◆"]');
    const lines = chart.split('\n').filter((l) => l.trim().startsWith('line'));
    expect(lines).toEqual(['  line [100, 96, 92]', '  line [90, 90, 90]', '  line [99.5, 99.5, 99.5]']);
    expect(line(chart, 'title')).toBe('  title "Rate (blue) vs 90% threshold (red), baseline (purple), ◆ judged"');
    expect(chart).toContain('"plotColorPalette":"#2f81f7, #e5534b, #9a6dd7"');
    expect(line(rateChart([100, 99], '95', { baseline: '80' }), 'y-axis')).toBe('  y-axis "Rate (%)" 75 --> 100');
  });

  it('leaves out runs without a rate but keeps their numbers on the x-axis', () => {
    const chart = rateChart([96, undefined, 92], '95');
    expect(line(chart, 'x-axis')).toBe('  x-axis ["#1", "#3"]');
    expect(line(chart, 'line')).toBe('  line [96, 92]');
    expect(rateChart([undefined, 96, undefined], '95')).toBe(''); // one point draws no line
    expect(rateChart([undefined, undefined], '95')).toBe('');
  });
});
