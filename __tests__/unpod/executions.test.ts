import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  DataError,
  describe as describeValue,
  describeCounts,
  isFinished,
  parseExecutionsPage,
  taskCounts,
  trustedCounts
} from '../../src/unpod/executions.js';
import { hostileJson } from '../fuzz.js';

const run = (over: Record<string, unknown> = {}) => ({
  run_id: 'Recac64fe03e911f1878d43cd8a99e069',
  status: 'completed',
  total_tasks: 25,
  completed_tasks: 23,
  created: '2026-02-07T05:57:45Z',
  ...over
});

describe('parseExecutionsPage', () => {
  it('reads the documented envelope', () => {
    const page = parseExecutionsPage({ count: 12, status_code: 200, message: 'ok', data: [run()] });
    expect(page.count).toBe(12);
    expect(page.executions).toHaveLength(1);
    expect(page.executions[0]?.runId).toBe('Recac64fe03e911f1878d43cd8a99e069');
  });

  it('tolerates a missing or odd count, which only feeds an output', () => {
    expect(parseExecutionsPage({ data: [] }).count).toBeUndefined();
    expect(parseExecutionsPage({ count: '12', data: [] }).count).toBeUndefined();
  });

  it.each([
    [null, /instead of a JSON object/],
    [[], /instead of a JSON object/],
    [{}, /no 'data' field/],
    [{ data: {} }, /non-array/],
    [{ data: [42] }, /execution #1: expected an object/],
    [{ data: [run({ run_id: '' })] }, /execution #1 without a usable 'run_id'/],
    [{ data: [run({ run_id: 7 })] }, /'run_id' \(number 7\)/],
    [{ data: [run(), run({ run_id: 'R2', status: null })] }, /run "R2" with 'status' null/],
    [{ data: [run({ created: 'yesterday' })] }, /'created' the string "yesterday": expected an ISO 8601/],
    [{ data: [run({ created: undefined })] }, /'created' nothing/],
    [
      { data: [run(), run({ run_id: 'R1\n::warning::hi' })] },
      /^The API sent execution #2 with a 'run_id' holding control characters or line breaks \(the string "R1 ::warning::hi"\): expected an id such as R followed by 32 hex digits\.$/
    ],
    [{ data: [run({ run_id: 'R1\u2028x' })] }, /execution #1 with a 'run_id' holding control characters/],
    [{ data: [run({ run_id: 'R1\u0000' })] }, /execution #1 with a 'run_id' holding control characters/],
    [
      { data: [run({ status: 'pending\n::error::Deployment blocked' })] },
      /^The API sent run "Recac64fe03e911f1878d43cd8a99e069" with a 'status' holding control characters or line breaks \(the string "pending ::error::Deployment blocked"\): expected a word such as completed\.$/
    ],
    [{ data: [run({ status: 'completed\t' })] }, /with a 'status' holding control characters/]
  ])('refuses %j with a DataError naming the field', (body, message) => {
    expect(() => parseExecutionsPage(body)).toThrow(DataError);
    expect(() => parseExecutionsPage(body)).toThrow(message);
  });

  it('names its errors DataError, as logs and stack traces print them', () => {
    expect(String(new DataError('bad counts'))).toBe('DataError: bad counts');
  });

  it('never throws anything but its own DataError, whatever JSON it is given', () => {
    const execution = fc.record(
      {
        run_id: fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
        status: fc.oneof(fc.constantFrom('completed', 'failed', 'running'), fc.string(), fc.constant(null)),
        total_tasks: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        completed_tasks: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
        created: fc.oneof(fc.constant('2026-02-07T05:57:45Z'), fc.string(), fc.integer())
      },
      { requiredKeys: [] }
    );
    const body = fc.oneof(
      fc.jsonValue(),
      fc.record({ count: fc.jsonValue(), data: fc.oneof(fc.array(execution), fc.jsonValue()) })
    );
    fc.assert(
      fc.property(body, (value) => {
        try {
          const page = parseExecutionsPage(value);
          for (const e of page.executions) {
            expect(typeof e.runId).toBe('string');
            expect(typeof e.created).toBe('bigint');
            try {
              const { completed, total } = taskCounts(e);
              expect(completed <= total).toBe(true);
              expect(trustedCounts(e)).toEqual({ completed, total });
            } catch (error) {
              expect(error).toBeInstanceOf(DataError);
              expect(trustedCounts(e)).toBeUndefined();
            }
          }
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
        }
      }),
      { numRuns: 500 }
    );
  });
});

describe('taskCounts', () => {
  const parse = (over: Record<string, unknown>) => parseExecutionsPage({ data: [run(over)] }).executions[0]!;
  it('accepts non-negative integers with completed <= total', () => {
    expect(taskCounts(parse({}))).toEqual({ completed: 23, total: 25 });
    expect(taskCounts(parse({ total_tasks: 0, completed_tasks: 0 }))).toEqual({ completed: 0, total: 0 });
  });
  it.each([
    [{ total_tasks: '25' }, /'total_tasks' the string "25"/],
    [{ completed_tasks: null }, /'completed_tasks' null/],
    [{ total_tasks: undefined }, /'total_tasks' nothing/],
    [{ total_tasks: -1 }, /'total_tasks' number -1/],
    [{ completed_tasks: 2.5 }, /'completed_tasks' number 2.5/],
    [{ completed_tasks: 26 }, /'completed_tasks' 26 above 'total_tasks' 25/],
    [{ total_tasks: 2 ** 60 }, /'total_tasks'/]
  ])('refuses %j naming the run and field', (over, message) => {
    expect(() => taskCounts(parse(over))).toThrow(message);
    expect(() => taskCounts(parse(over))).toThrow(/run "Recac64fe03e911f1878d43cd8a99e069"/);
  });
});

describe('trustedCounts', () => {
  const parse = (over: Record<string, unknown>) => parseExecutionsPage({ data: [run(over)] }).executions[0]!;
  it('gives the counts taskCounts accepts, completed = total included', () => {
    expect(trustedCounts(parse({}))).toEqual({ completed: 23, total: 25 });
    expect(trustedCounts(parse({ completed_tasks: 25 }))).toEqual({ completed: 25, total: 25 });
    expect(trustedCounts(parse({ total_tasks: 0, completed_tasks: 0 }))).toEqual({ completed: 0, total: 0 });
  });
  it.each([
    { total_tasks: '25' },
    { completed_tasks: null },
    { total_tasks: undefined },
    { completed_tasks: -1 },
    { total_tasks: 2.5 },
    { completed_tasks: 26 },
    { total_tasks: 2 ** 60 }
  ])('is undefined for %j, which taskCounts refuses', (over) => {
    expect(() => taskCounts(parse(over))).toThrow(DataError);
    expect(trustedCounts(parse(over))).toBeUndefined();
  });
});

describe('isFinished', () => {
  it('knows the terminal statuses, in any case', () => {
    for (const status of ['completed', 'failed', 'partially_completed', 'COMPLETED', ' Failed '])
      expect(isFinished({ status })).toBe(true);
    for (const status of [
      'pending',
      'running',
      'scheduled',
      'in_progress',
      'processing',
      'hold',
      'queued-by-new-server'
    ])
      expect(isFinished({ status })).toBe(false);
  });
});

describe('blank fields', () => {
  it.each([
    [{ run_id: '   ' }, /execution #1 without a usable 'run_id' \(the string ""\): expected a non-empty string/],
    [{ run_id: '\t\n' }, /without a usable 'run_id'/],
    [{ status: '' }, /'status' the string "": expected a non-empty string/],
    [
      { status: '  ' },
      /run "Recac64fe03e911f1878d43cd8a99e069" with 'status' the string "": expected a non-empty string/
    ]
  ])('refuses %j as a DataError naming the field', (over, message) => {
    expect(() => parseExecutionsPage({ data: [run(over)] })).toThrow(DataError);
    expect(() => parseExecutionsPage({ data: [run(over)] })).toThrow(message);
  });

  it('keeps a run id and a status with spaces around them as sent', () => {
    const [parsed] = parseExecutionsPage({ data: [run({ run_id: ' R1 ', status: ' Completed ' })] }).executions;
    expect(parsed?.runId).toBe(' R1 ');
    expect(parsed?.status).toBe(' Completed ');
  });
});

describe('describe and describeCounts', () => {
  it('names each kind of JSON value briefly', () => {
    expect([undefined, null, [1], { a: 1 }, 'x', 7, true, 10n].map(describeValue)).toEqual([
      'nothing',
      'null',
      'an array',
      'an object',
      'the string "x"',
      'number 7',
      'boolean true',
      'bigint'
    ]);
    expect(describeValue('y'.repeat(100))).toBe(`the string "${'y'.repeat(59)}…"`);
  });

  it('gives counts only when both are there', () => {
    const parse = (over: Record<string, unknown>) => parseExecutionsPage({ data: [run(over)] }).executions[0]!;
    expect(describeCounts(parse({}))).toBe('23 of 25 tasks done');
    expect(describeCounts(parse({ total_tasks: null }))).toBe('no task counts yet');
    expect(describeCounts(parse({ completed_tasks: -1 }))).toBe('no task counts yet');
    expect(describeCounts(parse({ total_tasks: 0, completed_tasks: 0 }))).toBe('0 of 0 tasks done');
  });

  it('reads a count of 0 and refuses a count that is not a safe integer', () => {
    const parse = (over: Record<string, unknown>) => parseExecutionsPage({ data: [run(over)] }).executions[0]!;
    expect(parseExecutionsPage({ count: 0, data: [] }).count).toBe(0);
    expect(parseExecutionsPage({ count: -1, data: [] }).count).toBeUndefined();
    expect(parseExecutionsPage({ count: 1.5, data: [] }).count).toBeUndefined();
    expect(() => taskCounts(parse({ total_tasks: 25.5 }))).toThrow(
      `The API sent run "Recac64fe03e911f1878d43cd8a99e069" with 'total_tasks' number 25.5: expected a non-negative integer.`
    );
    expect(taskCounts(parse({ completed_tasks: 25 }))).toEqual({ completed: 25, total: 25 });
  });
});

describe('parseExecutionsPage on arbitrary JSON', () => {
  it('throws nothing but DataError, walking no field it does not read', () => {
    fc.assert(
      fc.property(hostileJson('execution'), (body) => {
        try {
          const page = parseExecutionsPage(body);
          expect(page.executions.length).toBe((body as { data: unknown[] }).data.length);
        } catch (error) {
          expect(error).toBeInstanceOf(DataError);
        }
      }),
      { numRuns: 300 }
    );
  });

  it('applies `text` to every string it keeps', () => {
    const page = parseExecutionsPage(
      { data: [{ run_id: 'R-SECRET', status: 'completed', created: '2026-02-07T05:57:45Z', total_tasks: 'SECRET' }] },
      (value) => value.replace('SECRET', '***')
    );
    expect(page.executions[0]).toMatchObject({ runId: 'R-***', totalTasks: '***' });
  });
});
