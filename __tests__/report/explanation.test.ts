/** How an explanation is shown: the `breakdown` JSON of `results` and the summary's rows and notes. */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { breakdown, causeClause } from '../../src/explain/breakdown.js';
import { shownLabel } from '../../src/explain/causes.js';
import { isCode } from '../../src/values/code.js';
import { DISGUISED } from '../fuzz.js';
import type { Explanation } from '../../src/explain/explain.js';
import { breakdownJson, breakdownView } from '../../src/report/explanation.js';
import type { Task } from '../../src/unpod/tasks.js';
import { execution, hex, missed, task } from '../helpers.js';

/** An explanation of `tasks` read out of a run of `total` tasks, with an optional read error. */
const explained = (tasks: Task[], total: number | undefined, error?: string): Explanation => ({
  breakdown: breakdown(tasks, total),
  error,
  pages: 1,
  stop: error === undefined ? 'all found' : 'error',
  skipped: 0
});

const completedRun = execution(hex(1), { status: 'completed' });
const failedRun = execution(hex(1), { status: 'failed' });
const READ_ERROR = 'The tasks could not be read: the API answered 500 after 3 retries.';
const UNFINISHED_NOTE =
  'The run may not have finished yet: 1 of its tasks is still pending or in progress, though the API calls it completed.';

describe('breakdownJson', () => {
  it('is null when the tasks were not read', () => {
    expect(breakdownJson({ explanation: undefined, run: completedRun })).toBeNull();
  });

  it('carries every count as plain label/count pairs, the flags and the error', () => {
    const tasks = [
      task(),
      task({ outcome: 'not_interested', retries: 1 }),
      missed('no_answer', { retries: 2, lastFailureReason: 'No answer after 30s' }),
      missed('voicemail', { status: 'pending', callStatus: undefined })
    ];
    // A `completed` run with a pending task may not have finished (README: may_not_have_finished).
    expect(breakdownJson({ explanation: { ...explained(tasks, 4), pages: 2 }, run: completedRun })).toStrictEqual({
      tasks: 4,
      total_tasks: 4,
      partial: false,
      pages: 2,
      by_status: [
        { label: 'completed', count: 2 },
        { label: 'failed', count: 1 },
        { label: 'pending', count: 1 }
      ],
      not_completed: {
        count: 2,
        call_status: [
          { label: '(none)', count: 1 },
          { label: 'no-answer', count: 1 }
        ],
        call_end_reason: [
          { label: 'no_answer', count: 1 },
          { label: 'voicemail', count: 1 }
        ],
        last_failure_reason: [
          { label: '(free text: no answer)', count: 1 },
          { label: '(none)', count: 1 }
        ]
      },
      completed: {
        count: 2,
        outcome: [
          { label: 'interested', count: 1 },
          { label: 'not_interested', count: 1 }
        ]
      },
      retries: 3,
      unfinished: 1,
      unreadable: 0,
      skipped: 0,
      may_not_have_finished: true,
      error: null
    });
  });

  it('gives total_tasks as null, not absent, when the run has no count', () => {
    expect(breakdownJson({ explanation: explained([task()], undefined), run: failedRun })).toMatchObject({
      total_tasks: null
    });
  });

  it('is partial when fewer tasks were read than the run has, or when reading failed', () => {
    const partial = (e: Explanation): unknown => breakdownJson({ explanation: e, run: failedRun })?.partial;
    expect(partial(explained([task()], 1))).toBe(false);
    expect(partial(explained([task()], 3))).toBe(true);
    // All the run's tasks read, yet an error: the read cannot be called complete.
    expect(partial(explained([task()], 1, READ_ERROR))).toBe(true);
  });

  it('carries the read error as a sentence', () => {
    expect(breakdownJson({ explanation: explained([], 25, READ_ERROR), run: failedRun })).toMatchObject({
      tasks: 0,
      partial: true,
      error: READ_ERROR
    });
  });

  it('says the run may not have finished only for a run called completed with tasks not over', () => {
    const pending = explained([task(), task({ status: 'in_progress' })], 2);
    const flag = (run: typeof completedRun | undefined, e: Explanation): unknown =>
      breakdownJson({ explanation: e, run })?.may_not_have_finished;
    expect(flag(completedRun, pending)).toBe(true);
    expect(flag(failedRun, pending)).toBe(false);
    expect(flag(completedRun, explained([task()], 1))).toBe(false);
    // No run to judge by: nothing to say, rather than a throw.
    expect(flag(undefined, pending)).toBe(false);
  });
});

describe('breakdownView', () => {
  it('is undefined when the tasks were not read', () => {
    expect(breakdownView({ explanation: undefined, run: completedRun })).toBeUndefined();
  });

  it('shows all the tasks read, a status row, the not-completed rows and the completed outcomes', () => {
    const b = breakdown(
      [task(), task({ retries: 1 }), missed('no_answer', { retries: 1 }), missed('voicemail', { status: 'busy' })],
      4
    );
    expect(
      breakdownView({
        explanation: { breakdown: b, error: undefined, pages: 1, stop: 'all found', skipped: 0 },
        run: failedRun
      })
    ).toStrictEqual({
      read: 'From all 4 tasks of the run; 2 retries in all.',
      rows: [
        { what: 'Status', counts: b.byStatus },
        { what: 'Not completed (2): call status', counts: b.callStatus },
        { what: 'Not completed (2): call end reason', counts: b.callEndReason },
        { what: 'Not completed (2): last failure reason', counts: b.lastFailureReason },
        { what: 'Completed (2): outcome', counts: b.outcome }
      ],
      notes: []
    });
  });

  it('leaves out the not-completed rows when every task completed', () => {
    const view = breakdownView({ explanation: explained([task(), task()], 2), run: failedRun });
    expect(view?.rows.map((r) => r.what)).toEqual(['Status', 'Completed (2): outcome']);
  });

  it('leaves out the outcome row when no task completed', () => {
    const view = breakdownView({ explanation: explained([missed('no_answer')], 1), run: failedRun });
    expect(view?.rows.map((r) => r.what)).toEqual([
      'Status',
      'Not completed (1): call status',
      'Not completed (1): call end reason',
      'Not completed (1): last failure reason'
    ]);
  });

  it('counts retries in the singular for one, whole read or partial', () => {
    expect(breakdownView({ explanation: explained([task({ retries: 1 })], 1), run: failedRun })?.read).toBe(
      "From the run's one task; 1 retry in all."
    );
    expect(breakdownView({ explanation: explained([task()], 1), run: failedRun })?.read).toBe(
      "From the run's one task; 0 retries in all."
    );
    expect(breakdownView({ explanation: explained([task({ retries: 1 })], 2), run: failedRun })?.read).toBe(
      'From 1 of 2 tasks of the run (partial); 1 retry in all.'
    );
  });

  it("says a partial read, against the run's total (README: From 1000 of 5000 tasks of the run (partial))", () => {
    const tasks = [task(), missed('no_answer', { retries: 2 })];
    expect(breakdownView({ explanation: explained(tasks, 5), run: failedRun })?.read).toBe(
      'From 2 of 5 tasks of the run (partial); 2 retries in all.'
    );
  });

  it('calls a read cut short by an error partial, without a total when the run has none', () => {
    const view = breakdownView({ explanation: explained([task()], undefined, READ_ERROR), run: failedRun });
    expect(view).toStrictEqual({
      read: 'From 1 tasks of the run (partial); 0 retries in all.',
      rows: [
        { what: 'Status', counts: [{ label: 'completed', count: 1 }] },
        { what: 'Completed (1): outcome', counts: [{ label: 'interested', count: 1 }] }
      ],
      notes: [READ_ERROR]
    });
  });

  it('has no read line and no rows when nothing could be read, only the error', () => {
    expect(breakdownView({ explanation: explained([], 25, READ_ERROR), run: failedRun })).toStrictEqual({
      read: '',
      rows: [],
      notes: [READ_ERROR]
    });
  });

  it('says that no task was read when reading ended without an error', () => {
    // The list passed the run before any of its tasks: a partial read of none, not an error.
    expect(breakdownView({ explanation: explained([], 25), run: failedRun })).toStrictEqual({
      read: 'From 0 of 25 tasks of the run (partial); 0 retries in all.',
      rows: [],
      notes: []
    });
  });

  it('notes a run that may not have finished, after the read error', () => {
    const pending = [task(), task({ status: 'pending' })];
    expect(breakdownView({ explanation: explained(pending, 2), run: completedRun })?.notes).toEqual([UNFINISHED_NOTE]);
    expect(breakdownView({ explanation: explained(pending, 3, READ_ERROR), run: completedRun })?.notes).toEqual([
      READ_ERROR,
      UNFINISHED_NOTE
    ]);
    expect(breakdownView({ explanation: explained(pending, 2), run: failedRun })?.notes).toEqual([]);
    expect(breakdownView({ explanation: explained(pending, 2), run: undefined })?.notes).toEqual([]);
  });
});

describe('skipped and unreadable tasks', () => {
  it('notes the malformed tasks of other runs that were skipped, and counts the unreadable', () => {
    const e: Explanation = { ...explained([task()], 3), skipped: 4, breakdown: breakdown([task()], 3, 2) };
    expect(breakdownJson({ explanation: e, run: failedRun })).toMatchObject({ tasks: 3, unreadable: 2, skipped: 4 });
    expect(breakdownView({ explanation: e, run: failedRun })?.notes).toEqual([
      '4 malformed tasks of other runs (or of no readable run) skipped.'
    ]);
    const one = { ...e, skipped: 1 };
    expect(breakdownView({ explanation: one, run: failedRun })?.notes).toEqual([
      '1 malformed task of other runs (or of no readable run) skipped.'
    ]);
  });
});

/** Everything shown of an explanation: the results JSON, the summary's rows and notes, the reason's clause. */
function shown(tasks: Task[]): string {
  const e = explained(tasks, tasks.length + 1);
  return JSON.stringify([
    breakdownJson({ explanation: e, run: completedRun }),
    breakdownView({ explanation: e, run: completedRun }),
    causeClause(e.breakdown)
  ]);
}

/**
 * Text without ASCII letters, so that no four characters of it can be the gate's own words:
 * digits, phone punctuation, full-width and Arabic-Indic digits, zero-width spaces, other scripts.
 */
const foreign = fc.oneof(
  fc.string({
    unit: fc.constantFrom(...'0123456789 +-_.@＠()/\u200b１２３٤٥٦ÄÖßéøñЖЩ中文한국🙂\u0301'.split('')),
    minLength: 4,
    maxLength: 30
  }),
  fc.constantFrom('415_555_0100', '٤١٥٥٥٥٠١٠٠', '＋１ ４１５ ５５５ ０１００', '+1 (415) 555-0100')
);
const field = fc.option(fc.oneof(foreign, fc.constantFrom('no_answer', 'busy', 'completed', 'failed')), {
  nil: undefined
});
const anyTask = fc
  .record({ completed: fc.boolean(), status: field, a: field, b: field, c: field, d: field })
  .map(({ completed, status, a, b, c, d }) =>
    task({
      status: completed ? 'completed' : (status ?? 'failed'),
      lastFailureReason: a,
      callStatus: b,
      callEndReason: c,
      outcome: d
    })
  );

describe('no free text is ever shown', () => {
  it('shows no four characters in a row of a text field that is not a code', () => {
    fc.assert(
      fc.property(fc.array(anyTask, { minLength: 1, maxLength: 12 }), (tasks) => {
        const out = shown(tasks);
        for (const t of tasks) {
          for (const text of [t.status, t.lastFailureReason, t.callStatus, t.callEndReason, t.outcome]) {
            if (text === undefined || isCode(text)) continue;
            // JSON escapes some characters: look for the text as JSON writes it, too.
            const forms = [text, JSON.stringify(text).slice(1, -1)];
            for (const form of forms)
              for (let i = 0; i + 4 <= form.length; i++) expect(out).not.toContain(form.slice(i, i + 4));
          }
        }
      }),
      { numRuns: 300 }
    );
  });

  it('shows the same whatever the free text says, as long as it names the same causes', () => {
    // Each text replaced by its own label: what is shown cannot depend on anything else in it.
    const relabel = (t: Task): Task => ({
      ...t,
      status: t.status === 'completed' ? t.status : (shownLabel(t.status) ?? t.status),
      lastFailureReason: shownLabel(t.lastFailureReason),
      callStatus: shownLabel(t.callStatus),
      callEndReason: shownLabel(t.callEndReason),
      outcome: shownLabel(t.outcome)
    });
    const text = fc.option(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom(...DISGUISED)), {
      nil: undefined
    });
    const arb = fc.array(
      fc.record({ done: fc.boolean(), status: fc.string({ maxLength: 12 }), a: text, b: text, c: text, d: text }),
      { minLength: 1, maxLength: 12 }
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const tasks = specs.map((s) =>
          task({
            status: s.done ? 'completed' : s.status === '' ? 'failed' : s.status,
            lastFailureReason: s.a,
            callStatus: s.b,
            callEndReason: s.c,
            outcome: s.d
          })
        );
        expect(shown(tasks.map(relabel))).toBe(shown(tasks));
      }),
      { numRuns: 300 }
    );
  });
});
