import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { DataError, type Execution } from '../../src/unpod/executions.js';
import {
  enoughBefore,
  finishedBefore,
  isNewer,
  listRuns,
  newestFirst,
  pool,
  splitTrend
} from '../../src/rules/window.js';
import { execution, hex } from '../helpers.js';

/** Run n, created n minutes into the day: higher n is newer. */
const at = (n: number, over: Record<string, unknown> = {}): Execution =>
  execution(hex(n), { created: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(), ...over });

describe('splitTrend', () => {
  it('takes the judged run and the finished runs before it, then the baseline before those', () => {
    const runs = [at(9), at(8), at(7, { status: 'in_progress' }), at(6), at(5), at(4), at(3), at(2)];
    const judged = runs[1]!;
    const trend = splitTrend(judged, runs, 3, 2);
    expect(trend.window.map((r) => r.runId)).toEqual([hex(8), hex(6), hex(5)]);
    expect(trend.baseline.map((r) => r.runId)).toEqual([hex(4), hex(3)]);
  });

  it('never pools an unfinished run, counts a failed one, and ignores runs newer than the judged one', () => {
    const runs = [at(5), at(4, { status: 'pending' }), at(3, { status: 'failed', completed_tasks: 2 }), at(2)];
    const trend = splitTrend(runs[0]!, runs, 3, 5);
    expect(trend.window.map((r) => r.runId)).toEqual([hex(5), hex(3), hex(2)]);
    expect(splitTrend(runs[3]!, runs, 3, 5).window.map((r) => r.runId)).toEqual([hex(2)]);
  });

  it('holds what there is when fewer runs exist, and counts a repeated run once', () => {
    const runs = [at(3), at(2), at(2), at(1)];
    const trend = splitTrend(runs[0]!, runs, 5, 5);
    expect(trend.window.map((r) => r.runId)).toEqual([hex(3), hex(2), hex(1)]);
    expect(trend.baseline).toEqual([]);
  });

  it('sorts by instant, not by the order sent', () => {
    const runs = [at(1), at(4), at(2), at(3)];
    expect(splitTrend(runs[1]!, runs, 2, 1)).toEqual({ window: [runs[1], runs[3]], baseline: [runs[2]] });
  });

  it('places a judged run missing from the list by its instant', () => {
    const runs = [at(4), at(2), at(1)];
    expect(finishedBefore(at(3), runs).map((r) => r.runId)).toEqual([hex(2), hex(1)]);
  });

  it('orders runs created at the same instant by run_id, the greater being the later', () => {
    // Run 20 shares run 3's instant; its run_id is greater, so it is the later of the two.
    const twin = at(3, { run_id: hex(20) });
    expect(finishedBefore(at(3), [at(4), at(3), twin, at(2)]).map((r) => r.runId)).toEqual([hex(2)]);
    expect(finishedBefore(at(3), [at(4), twin, at(3), at(2)]).map((r) => r.runId)).toEqual([hex(2)]);
    // Judging the twin, run 3 is the earlier one, wherever it is listed.
    expect(finishedBefore(twin, [at(3), twin, at(2)]).map((r) => r.runId)).toEqual([hex(3), hex(2)]);
    expect(finishedBefore(twin, [at(2), twin, at(3)]).map((r) => r.runId)).toEqual([hex(3), hex(2)]);
    // A judged run missing from the list is placed by the same rule.
    expect(finishedBefore(at(3), [at(4), twin, at(2)]).map((r) => r.runId)).toEqual([hex(2)]);
    expect(finishedBefore(twin, [at(4), at(3), at(2)]).map((r) => r.runId)).toEqual([hex(3), hex(2)]);
  });

  it('never counts the judged run twice when the list repeats it', () => {
    expect(finishedBefore(at(3), [at(3), at(3), at(2)]).map((r) => r.runId)).toEqual([hex(2)]);
    // not even when a copy says it was created earlier
    expect(finishedBefore(at(3), [at(2, { run_id: hex(3) }), at(1)]).map((r) => r.runId)).toEqual([hex(1)]);
  });

  it('leaves out runs without tasks, but not runs whose counts cannot be trusted', () => {
    const runs = [
      at(5, { total_tasks: 0, completed_tasks: 0 }),
      at(4, { status: 'failed', total_tasks: 0, completed_tasks: 0 }),
      at(3, { total_tasks: 0, completed_tasks: null }),
      at(2, { completed_tasks: 0 }),
      at(1, { status: 'failed', completed_tasks: 3 })
    ];
    expect(finishedBefore(at(6), runs).map((r) => r.runId)).toEqual([hex(3), hex(2), hex(1)]);
  });
});

describe('isNewer and newestFirst', () => {
  it('order by instant, then by run_id as text', () => {
    expect(isNewer(at(2), at(1))).toBe(true);
    expect(isNewer(at(1), at(2))).toBe(false);
    expect(isNewer(at(1, { run_id: 'Rb' }), at(1, { run_id: 'Ra' }))).toBe(true);
    expect(isNewer(at(1, { run_id: 'Ra' }), at(1, { run_id: 'Rb' }))).toBe(false);
    expect(isNewer(at(1, { run_id: 'Rb' }), at(2, { run_id: 'Ra' }))).toBe(false);
    expect(isNewer(at(1), at(1))).toBe(false);
    expect([at(1), at(3), at(2)].sort(newestFirst).map((r) => r.runId)).toEqual([hex(3), hex(2), hex(1)]);
    expect(newestFirst(at(1), at(1))).toBe(0);
  });

  it('give one order to the same runs however they are listed (property)', () => {
    const listings = fc
      .uniqueArray(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 20 })), {
        selector: ([, id]) => id,
        minLength: 1,
        maxLength: 12
      })
      .chain((pairs) =>
        fc.tuple(fc.constant(pairs), fc.shuffledSubarray(pairs, { minLength: pairs.length, maxLength: pairs.length }))
      );
    fc.assert(
      fc.property(listings, ([pairs, shuffled]) => {
        const runs = (list: typeof pairs) => list.map(([minute, id]) => at(minute, { run_id: hex(id) }));
        const sorted = runs(shuffled).sort(newestFirst);
        expect(sorted).toEqual(runs(pairs).sort(newestFirst));
        for (const [i, r] of sorted.entries()) {
          for (const later of sorted.slice(i + 1)) expect(isNewer(r, later)).toBe(true);
        }
      })
    );
  });
});

describe('enoughBefore', () => {
  const judged = at(10);

  it('needs the runs wanted and, on the last page, a run created before the oldest of them', () => {
    const page = [at(9), at(8), at(7)];
    expect(enoughBefore(judged, [judged, ...page], page, 2)).toBe(true);
    // The oldest wanted is the last on the page: a run on the next page could share its instant.
    expect(enoughBefore(judged, [judged, ...page], page, 3)).toBe(false);
    expect(enoughBefore(judged, [judged, ...page], page, 4)).toBe(false);
    // Only runs that count are wanted: unfinished ones and ones without tasks do not.
    const gaps = [at(9, { status: 'running' }), at(8, { total_tasks: 0, completed_tasks: 0 }), at(7), at(6)];
    expect(enoughBefore(judged, [judged, ...gaps], gaps, 1)).toBe(true);
    expect(enoughBefore(judged, [judged, ...gaps], gaps, 2)).toBe(false);
  });

  it('looks at the last page only for the older run, and at every run read for the wanted ones', () => {
    const first = [judged, at(9), at(8)];
    const second = [at(8, { run_id: hex(80) }), at(7)];
    expect(enoughBefore(judged, [...first, ...second], second, 2)).toBe(true);
    expect(enoughBefore(judged, [...first, ...second], [second[0]!], 2)).toBe(false);
    expect(enoughBefore(judged, first, first, 1)).toBe(true);
  });
});

describe('pool', () => {
  it('adds the counts exactly', () => {
    expect(pool([at(1, { completed_tasks: 23 }), at(2, { completed_tasks: 24, total_tasks: 30 })])).toEqual({
      completed: 47,
      total: 55
    });
    expect(pool([])).toEqual({ completed: 0, total: 0 });
  });

  it('names the run and field whose counts cannot be trusted', () => {
    expect(() => pool([at(1), at(2, { total_tasks: null })])).toThrow(DataError);
    expect(() => pool([at(1), at(2, { completed_tasks: 30 })])).toThrow(
      new RegExp(`run "${hex(2)}" with 'completed_tasks' 30 above 'total_tasks' 25`)
    );
  });

  it('refuses sums that integers cannot hold exactly', () => {
    const huge = { total_tasks: Number.MAX_SAFE_INTEGER, completed_tasks: 1 };
    expect(() => pool([at(1, huge), at(2, huge)])).toThrow(/too large to add up exactly/);
  });

  it('does not depend on the order of the runs (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(1000), fc.nat(1000)), { minLength: 1, maxLength: 50 }),
        fc.infiniteStream(fc.nat()),
        (pairs, picks) => {
          const runs = pairs.map(([a, b], i) => at(i, { total_tasks: a + b, completed_tasks: a }));
          const shuffled = [...runs];
          for (let i = shuffled.length - 1; i > 0; i--) {
            const j = picks.next().value % (i + 1);
            [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
          }
          expect(pool(shuffled)).toEqual(pool(runs));
          // and so does the split, whatever order the server lists the runs in
          const judged = runs[runs.length - 1]!;
          expect(splitTrend(judged, shuffled, 4, 3)).toEqual(splitTrend(judged, runs, 4, 3));
        }
      )
    );
  });
});

describe('listRuns', () => {
  it('names up to four runs, then counts the rest', () => {
    const runs = [1, 2, 3, 4, 5].map((n) => at(n));
    expect(listRuns([])).toBe('');
    expect(listRuns(runs.slice(0, 1))).toBe(`"${hex(1)}"`);
    expect(listRuns(runs.slice(0, 2))).toBe(`"${hex(1)}" and "${hex(2)}"`);
    expect(listRuns(runs.slice(0, 4))).toBe(`"${hex(1)}", "${hex(2)}", "${hex(3)}" and "${hex(4)}"`);
    expect(listRuns(runs)).toBe(`"${hex(1)}", "${hex(2)}", "${hex(3)}" and 2 more`);
  });
});
