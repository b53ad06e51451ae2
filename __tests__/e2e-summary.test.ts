/**
 * Every job summary the demo and the render check write says each thing once: the built bundle
 * against the example server, each case of scripts/summaries.mjs, and no sentence of 40
 * characters or more twice in one summary.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startEmulator, type Emulator } from '../emulator/server.mjs';
import { demoInputs } from '../scripts/demo.mjs';
import { runAction } from '../scripts/run-action.mjs';
import { MIN_REPEATED, addHostile, repeatedSentences, sentences, summaryCases } from '../scripts/summaries.mjs';

describe('finding a sentence said twice', () => {
  it('reads sentences as a reader sees them: per cell, label, paragraph and full stop, entities decoded', () => {
    const summary =
      '<h3>Warnings</h3>\n<ul><li><strong>a</strong>: Run &#34;R1&#34; completed 1 of 2 tasks. Too few.</li></ul>\n' +
      '<table><tr><td>x</td><td>y<br><sub>z</sub></td></tr></table>\n\n```mermaid\nxychart-beta\n```\n';
    expect(sentences(summary)).toEqual([
      'Warnings',
      'a',
      'Run "R1" completed 1 of 2 tasks.',
      'Too few.',
      'x',
      'y',
      'z'
    ]);
  });

  it('finds a sentence of 40 characters or more said twice, under another label or in a fold, and only those', () => {
    const long = 'Run "R1" completed 23 of 25 tasks (92%), below warn-below 97%.';
    const short = 'The window of 5 holds 3 runs.';
    expect(short.length).toBeLessThan(MIN_REPEATED);
    const summary =
      `<ul><li><strong>a</strong>: ${long} ${short}</li></ul>\n` +
      `<details><summary>What was judged</summary><ul><li><strong>a</strong>: Pooled 3 runs. ${long.replace(/"/g, '&#34;')} ${short}</li></ul></details>`;
    expect(repeatedSentences(summary)).toEqual([{ sentence: long, count: 2 }]);
    expect(repeatedSentences(summary, 20)).toEqual([
      { sentence: long, count: 2 },
      { sentence: short, count: 2 }
    ]);
  });
});

describe('every summary the demo and the render check write says each thing once', () => {
  let server: Emulator;
  beforeAll(async () => {
    server = await startEmulator();
    addHostile(server);
  });
  afterAll(async () => {
    await server.close();
  });

  it.each(summaryCases())('$title', async ({ inputs }) => {
    const run = await runAction({ ...demoInputs(server), ...inputs });
    expect(run.summary).toBeDefined();
    expect(sentences(run.summary ?? '').length).toBeGreaterThan(1);
    expect(repeatedSentences(run.summary ?? '')).toEqual([]);
  });
});
