import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  NONE,
  OTHER,
  TOP,
  UNREADABLE,
  breakdown,
  causeClause,
  isUnfinishedTask,
  mayNotHaveFinished,
  top,
  unfinishedNote
} from '../../src/explain/breakdown.js';
import { missed, task } from '../helpers.js';

describe('breakdown', () => {
  it('counts statuses, what the missed calls say, the outcomes of completed ones and the retries', () => {
    const b = breakdown(
      [
        task(),
        task({ outcome: 'not_interested', retries: 1 }),
        task(),
        missed('no_answer', { retries: 2, lastFailureReason: 'No answer after 30s' }),
        missed('no_answer', { retries: 1 }),
        missed('busy', { status: 'pending', callStatus: undefined, callEndReason: undefined })
      ],
      6
    );
    expect(b).toEqual({
      tasks: 6,
      unreadable: 0,
      totalTasks: 6,
      partial: false,
      byStatus: [
        { label: 'completed', count: 3 },
        { label: 'failed', count: 2 },
        { label: 'pending', count: 1 }
      ],
      notCompleted: 3,
      callStatus: [
        { label: 'no-answer', count: 2 },
        { label: NONE, count: 1 }
      ],
      callEndReason: [
        { label: 'no_answer', count: 2 },
        { label: NONE, count: 1 }
      ],
      lastFailureReason: [
        { label: NONE, count: 2 },
        { label: '(free text: no answer)', count: 1 }
      ],
      completed: 3,
      outcome: [
        { label: 'interested', count: 2 },
        { label: 'not_interested', count: 1 }
      ],
      retries: 4,
      unfinished: 1
    });
  });

  it('says when fewer tasks were read than the run has', () => {
    expect(breakdown([task()], 4)).toMatchObject({ tasks: 1, totalTasks: 4, partial: true });
    expect(breakdown([task()], undefined)).toMatchObject({ partial: false });
  });

  it('keeps the top five of every count and sums the rest, so every group adds up', () => {
    const label = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', undefined);
    const arb = fc.array(
      fc.record({
        completed: fc.boolean(),
        end: label,
        reason: label,
        call: label,
        outcome: label,
        retries: fc.nat(5)
      }),
      { maxLength: 60 }
    );
    fc.assert(
      fc.property(arb, (specs) => {
        const tasks = specs.map((s) =>
          s.completed
            ? task({ outcome: s.outcome, retries: s.retries })
            : missed(s.end ?? 'x', {
                callEndReason: s.end,
                lastFailureReason: s.reason,
                callStatus: s.call,
                retries: s.retries
              })
        );
        const b = breakdown(tasks, tasks.length);
        const sum = (counts: readonly { count: number }[]): number => counts.reduce((n, c) => n + c.count, 0);
        expect(sum(b.byStatus)).toBe(tasks.length);
        expect(b.completed + b.notCompleted).toBe(tasks.length);
        for (const counts of [b.callStatus, b.callEndReason, b.lastFailureReason]) {
          expect(sum(counts)).toBe(b.notCompleted);
          expect(counts.length).toBeLessThanOrEqual(TOP + 1);
        }
        expect(sum(b.outcome)).toBe(b.completed);
        expect(b.retries).toBe(specs.reduce((n, s) => n + s.retries, 0));
      })
    );
  });

  it('orders by count then label, and names the rest OTHER', () => {
    expect(top(['b', 'a', 'c', 'd', 'e', 'f', 'g', 'a', 'b', 'b'])).toEqual([
      { label: 'b', count: 3 },
      { label: 'a', count: 2 },
      { label: 'c', count: 1 },
      { label: 'd', count: 1 },
      { label: 'e', count: 1 },
      { label: OTHER, count: 2 }
    ]);
  });

  it('breaks ties by label whatever order the labels came in', () => {
    expect(top(['e', 'd', 'c', 'b', 'a', 'd'])).toEqual([
      { label: 'd', count: 2 },
      { label: 'a', count: 1 },
      { label: 'b', count: 1 },
      { label: 'c', count: 1 },
      { label: 'e', count: 1 }
    ]);
  });

  it('adds no OTHER row when the labels fit exactly', () => {
    // Five labels are the top five: an "(other) 0" row would only be noise.
    expect(top(['a', 'b', 'c', 'd', 'e']).map((c) => c.label)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('shows the missing field and the rest as readable words', () => {
    // These labels go into the summary table as they are, so they must say something.
    expect(top([undefined, 'a', 'b', 'c', 'd', 'e', 'f'], 1)).toEqual([
      { label: '(none)', count: 1 },
      { label: '(other)', count: 6 }
    ]);
  });
});

describe('isUnfinishedTask', () => {
  it('knows every state a task is in before it is over, however it is spelled', () => {
    for (const status of ['pending', 'scheduled', 'in_progress', 'processing', 'hold', 'running', 'queued']) {
      expect(isUnfinishedTask({ status })).toBe(true);
    }
    expect(isUnfinishedTask({ status: ' Running ' })).toBe(true);
    for (const status of ['completed', 'failed', 'cancelled']) {
      expect(isUnfinishedTask({ status })).toBe(false);
    }
  });
});

describe('causeClause', () => {
  it('names the largest cause the calls give', () => {
    expect(causeClause(breakdown([task(), missed('no_answer'), missed('no_answer')], 3))).toBe(
      'of the 2 tasks not completed, 2 ended no_answer'
    );
    const reasons = [1, 2, 3].map(() =>
      missed('', { callEndReason: undefined, callStatus: undefined, lastFailureReason: 'Line busy (SIP 486)' })
    );
    expect(causeClause(breakdown(reasons, 3))).toBe(
      'of the 3 tasks not completed, 3 failed with a reason read as busy, SIP 486'
    );
  });

  it('falls back on the status, and says when only part of the run was read', () => {
    const pending = task({ status: 'pending', callStatus: undefined, callEndReason: undefined, outcome: undefined });
    expect(causeClause(breakdown([pending], 10))).toBe('of the 1 task not completed among the 1 read, 1 is pending');
  });

  it('names the call status when it is all the calls say', () => {
    const busy = [1, 2].map(() => missed('', { callEndReason: undefined, callStatus: 'busy' }));
    expect(causeClause(breakdown(busy, 2))).toBe('of the 2 tasks not completed, 2 had call status busy');
  });

  it('prefers a larger later cause, and the end reason on a tie', () => {
    // One call ended `voicemail`, but all three failed the same way: that is the cause.
    const tasks = [
      missed('voicemail', { lastFailureReason: 'timeout' }),
      missed('', { callEndReason: undefined, lastFailureReason: 'timeout' }),
      missed('', { callEndReason: undefined, lastFailureReason: 'timeout' })
    ];
    expect(causeClause(breakdown(tasks, 3))).toBe('of the 3 tasks not completed, 3 failed with timeout');
    const tie = [missed('voicemail', { lastFailureReason: 'timeout' })];
    expect(causeClause(breakdown(tie, 1))).toBe('of the 1 task not completed, 1 ended voicemail');
  });

  it('does not name the completed tasks as the status of those not completed', () => {
    const pending = task({ status: 'pending', callStatus: undefined, callEndReason: undefined, outcome: undefined });
    expect(causeClause(breakdown([task(), task({ status: 'Completed' }), pending], 3))).toBe(
      'of the 1 task not completed, 1 is pending'
    );
  });

  it('names free text only by its causes, and not at all when it names none', () => {
    const sip = [missed('', { callEndReason: undefined, callStatus: undefined, lastFailureReason: 'SIP 486' })];
    expect(causeClause(breakdown(sip, 1))).toBe('of the 1 task not completed, 1 failed with a reason read as SIP 486');
    const hungUp = [1, 2].map(() =>
      missed('', { callEndReason: undefined, callStatus: undefined, lastFailureReason: 'Customer John Smith hung up' })
    );
    expect(causeClause(breakdown(hungUp, 2))).toBe('of the 2 tasks not completed, 2 are failed');
    const texts = [1, 2].map(() =>
      missed('', { status: 'Failed: John', callEndReason: 'Ended by John', callStatus: 'No answer' })
    );
    expect(causeClause(breakdown(texts, 2))).toBe(
      'of the 2 tasks not completed, 2 had a call status read as no answer'
    );
    const statusOnly = [missed('', { status: 'Timed out', callEndReason: undefined, callStatus: undefined })];
    expect(causeClause(breakdown(statusOnly, 1))).toBe('of the 1 task not completed, 1 has a status read as timeout');
  });

  it("counts the run's unreadable tasks in the status only, and never names them", () => {
    const b = breakdown([task()], 4, 3);
    expect(b).toMatchObject({ tasks: 4, unreadable: 3, partial: false, notCompleted: 0, completed: 1 });
    expect(b.byStatus).toEqual([
      { label: UNREADABLE, count: 3 },
      { label: 'completed', count: 1 }
    ]);
    expect(causeClause(b)).toBe('');
  });

  it('does not name a value it cannot tell from the summed rest', () => {
    // A call end reason spelled "(other)" may be the rest of a count: the status is named instead.
    const odd = [1, 2].map(() => missed(OTHER, { callStatus: undefined }));
    expect(causeClause(breakdown(odd, 2))).toBe('of the 2 tasks not completed, 2 are failed');
  });

  it('is empty when every task completed, or the one cause is lost in the rest', () => {
    expect(causeClause(breakdown([task()], 1))).toBe('');
    // A status in free text names no cause: there is nothing the reason may say.
    const tasks = [task(), missed('', { status: 'Failed for Ann', callEndReason: undefined, callStatus: undefined })];
    expect(causeClause(breakdown(tasks, tasks.length))).toBe('');
  });
});

describe('a run called completed too early', () => {
  it('may not have finished when one of its tasks is still pending or in progress', () => {
    const b = breakdown([task(), task({ status: 'in_progress' }), task({ status: 'Pending' })], 3);
    expect(mayNotHaveFinished({ status: 'completed' }, b)).toBe(true);
    expect(mayNotHaveFinished({ status: 'failed' }, b)).toBe(false);
    expect(mayNotHaveFinished({ status: 'completed' }, breakdown([task(), missed('busy')], 2))).toBe(false);
    expect(unfinishedNote(b)).toBe(
      'The run may not have finished yet: 2 of its tasks are still pending or in progress, though the API calls it completed.'
    );
    expect(unfinishedNote(breakdown([task({ status: 'queued' })], 1))).toBe(
      'The run may not have finished yet: 1 of its tasks is still pending or in progress, though the API calls it completed.'
    );
  });
});
