/**
 * Arbitraries for fuzzing the parsers of the API's lists: any JSON, deep nesting, long strings,
 * every Unicode category, numbers as strings, nulls, and contacts in disguise.
 */
import fc from 'fast-check';

/** Contacts written the ways a deny-list misses: each must never be shown. */
export const DISGUISED = [
  'Customer John Smith at +1 415 555 0100 hung up',
  'Wilhelmina Quarrington, 12 Rookery Close, Little Snoring',
  '4\u200b1\u200b5\u200b5\u200b5\u200b5\u200b0\u200b1\u200b0\u200b0',
  '＋１ ４１５ ５５５ ０１００',
  '٤١٥٥٥٥٠١٠٠',
  '415_555_0100',
  'zed＠example.org',
  'www.quarrington.example/call-back',
  'quarrington.example',
  'sip:wilhelmina',
  'Call Ottoline on 020 7946 0958, busy',
  'Line busy (SIP 486) for Ottoline Fairweather-Brisk'
] as const;

/** Text of any kind: any code point (lone surrogates included), graphemes, numbers, long runs. */
export function hostileText(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 20 }),
    fc.double().map(String),
    fc.bigInt().map(String),
    fc.constantFrom(...DISGUISED, '', ' ', 'completed', 'failed', 'no_answer', 'sip_503'),
    fc
      .tuple(fc.string({ unit: 'binary', minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 20_000 }))
      .map(([unit, times]) => unit.repeat(times))
  );
}

/** `value` inside `depth` levels of arrays and objects, built without recursion. */
export function nest(value: unknown, depth: number): unknown {
  let out = value;
  for (let i = 0; i < depth; i++) out = i % 2 === 0 ? [out] : { x: out };
  return out;
}

/** A value for any field: JSON of any shape, hostile text, or something deeply nested. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 3 },
    { arbitrary: hostileText(), weight: 3 },
    { arbitrary: fc.constantFrom(null, undefined, true, 0, -1, 2.5, 1e300), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: 5000 }).map((depth) => nest('Ann', depth)), weight: 1 }
  );
}

/** The fields an item of `kind` has on the real API, each with a value of any kind (or absent). */
const FIELDS = {
  task: ['task_id', 'run_id', 'status', 'created', 'retry_attempt', 'last_failure_reason', 'output', 'input'],
  execution: ['run_id', 'status', 'created', 'total_tasks', 'completed_tasks', 'extra']
} as const;

function hostileItem(kind: keyof typeof FIELDS): fc.Arbitrary<unknown> {
  const output = fc.record(
    {
      call_status: hostileValue(),
      call_end_reason: hostileValue(),
      post_call_data: fc.oneof(fc.record({ outcome: hostileValue() }, { requiredKeys: [] }), hostileValue())
    },
    { requiredKeys: [] }
  );
  const fields: Record<string, fc.Arbitrary<unknown>> = {};
  for (const name of FIELDS[kind]) fields[name] = name === 'output' ? fc.oneof(output, hostileValue()) : hostileValue();
  return fc.oneof({ arbitrary: fc.record(fields, { requiredKeys: [] }), weight: 4 }, hostileValue());
}

/** A parsed body of the tasks or executions list: mostly an envelope with items of any kind. */
export function hostileJson(kind: keyof typeof FIELDS): fc.Arbitrary<unknown> {
  return fc.oneof(
    { arbitrary: fc.record({ count: hostileValue(), data: fc.array(hostileItem(kind), { maxLength: 8 }) }), weight: 5 },
    { arbitrary: hostileValue(), weight: 1 }
  );
}
