// @ts-check
/**
 * The tasks the example server lists for a run: one per task of the run, consistent with its
 * counts (as many `completed` as completed_tasks), with realistic call outcomes and fake
 * contacts. Deterministic: the same run always gives the same tasks. The contacts, transcripts,
 * recordings and summaries are what the gate must never let out; tests look for them.
 */

/** @typedef {import('./server.d.mts').Run} Run */
/** @typedef {Record<string, unknown>} TaskItem */

const FIRST = [
  'Amara',
  'Bartholomew',
  'Chiara',
  'Dmitri',
  'Esperanza',
  'Fenwick',
  'Giedre',
  'Hiroko',
  'Ignatius',
  'Jolanta'
];
const LAST = ['Okafor', 'Quennell', 'Vasquez-Ibarra', 'Lindqvist', 'Nakashima', 'Abernathy', 'Petrauskas', 'Oyelaran'];
/** Not-completed calls: [call_status, call_end_reason, last_failure_reason template, weight]. */
const MISSES = /** @type {const} */ ([
  ['no-answer', 'no_answer', 'No answer after 30s', 6],
  ['busy', 'busy', 'Line busy (SIP 486)', 3],
  ['completed', 'voicemail', 'Voicemail detected, no message left', 3],
  ['failed', 'call_failed', 'Call to {phone} failed: number unreachable', 2],
  ['failed', 'invalid_number', 'Invalid number {phone}', 1],
  ['failed', 'call_failed', 'Carrier rejected the call (SIP 603)', 1],
  ['canceled', 'customer_declined', 'Contact {email} asked not to be called', 1]
]);
const OUTCOMES = /** @type {const} */ ([
  ['interested', 5],
  ['not_interested', 3],
  ['callback_requested', 2],
  ['appointment_booked', 2]
]);
const UNFINISHED = ['pending', 'in_progress'];

/** A small deterministic generator seeded from a string. @param {string} seed */
function random(seed) {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return () => {
    h = (Math.imul(h, 1664525) + 1013904223) >>> 0;
    return h / 2 ** 32;
  };
}

/** @template T @param {() => number} next @param {readonly (readonly [...any[], number])[]} choices @returns {any} */
function weighted(next, choices) {
  const total = choices.reduce((sum, c) => sum + Number(c[c.length - 1]), 0);
  let at = next() * total;
  for (const c of choices) {
    at -= Number(c[c.length - 1]);
    if (at < 0) return c;
  }
  return choices[choices.length - 1];
}

/** @param {unknown} value */
const isCount = (value) => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Epoch ms of a run's `created`, or 0. @param {unknown} created */
function millis(created) {
  if (typeof created !== 'string') return 0;
  const text = /[zZ]|[+-]\d{2}:?\d{2}$/.test(created) ? created : `${created}Z`;
  const at = Date.parse(text.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(at) ? 0 : at;
}

/**
 * The run's tasks as the API would list them (unsorted). A run may hold `tasks` (explicit items,
 * given its run_id when they lack one) or is generated from its counts; `pendingTasks` (the
 * server's early-`completed` quirk) keeps that many of the not-completed tasks unfinished.
 * @param {Run} run
 * @returns {TaskItem[]}
 */
export function tasksOfRun(run) {
  if (Array.isArray(run.tasks)) {
    return run.tasks.map((t) => ({ run_id: run.run_id, .../** @type {TaskItem} */ (t) }));
  }
  const total = isCount(run.total_tasks) ? Number(run.total_tasks) : 0;
  const completed = Math.min(total, isCount(run.completed_tasks) ? Number(run.completed_tasks) : 0);
  const status = String(run.status ?? '').toLowerCase();
  const finished = ['completed', 'failed', 'partially_completed'].includes(status);
  const pending = finished ? (isCount(run.pendingTasks) ? Number(run.pendingTasks) : 0) : total - completed;
  const next = random(String(run.run_id));
  // Which tasks completed: a shuffled choice, so misses are spread through the run.
  const order = Array.from({ length: total }, (_, i) => i);
  for (let i = total - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [/** @type {number} */ (order[j]), /** @type {number} */ (order[i])];
  }
  const done = new Set(order.slice(0, completed));
  const hex = String(run.run_id).replace(/^R/, '').padEnd(32, '0').slice(0, 24);
  const start = millis(run.created);
  let missed = 0;
  return Array.from({ length: total }, (_, i) => {
    const who = contact(next, i);
    const base = {
      task_id: `T${hex}${i.toString(16).padStart(8, '0')}`,
      run_id: run.run_id,
      execution_type: 'call',
      created: new Date(start + i * 100).toISOString(),
      ref_id: `crm-${who.phone.replace(/\D/g, '')}`,
      thread_id: `thr_${who.first.toLowerCase()}_${i}`,
      input: { name: `${who.first} ${who.last}`, contact_number: who.phone, email: who.email, context: who.context },
      user_info: { name: `${who.first} ${who.last}`, email: who.email }
    };
    if (done.has(i)) {
      const [outcome] = weighted(next, OUTCOMES);
      const retry = next() < 0.1 ? 1 : 0;
      return {
        ...base,
        status: 'completed',
        failure_count: retry,
        last_failure_reason: retry ? 'No answer after 30s' : null,
        retry_attempt: retry,
        last_status_change: new Date(start + 60_000 + i * 1000).toISOString(),
        output: {
          call_status: 'completed',
          call_end_reason: next() < 0.7 ? 'caller_hangup' : 'agent_hangup',
          duration: 60 + Math.floor(next() * 300),
          transcript: [
            { role: 'assistant', content: `Hello ${who.first}, this is Nova from Unpod about your renewal.` },
            { role: 'user', content: `Yes, this is ${who.first} ${who.last}; call me back on ${who.phone}.` }
          ],
          recording_url: `https://recordings.unpod.example/${hex}/${who.first.toLowerCase()}-${i}.mp3`,
          call_summary: `${who.first} ${who.last} discussed the renewal and gave ${who.email}.`,
          assistant_number: '+1 202 555 0100',
          post_call_data: {
            outcome,
            sentiment: outcome === 'not_interested' ? 'negative' : 'positive',
            summary: `${who.first} said: ${who.context}`
          }
        }
      };
    }
    if (missed++ < pending) {
      return {
        ...base,
        status: UNFINISHED[i % 2],
        failure_count: 0,
        last_failure_reason: null,
        retry_attempt: 0,
        output: {}
      };
    }
    const [callStatus, endReason, template] = weighted(next, MISSES);
    const retries = 1 + Math.floor(next() * 3);
    return {
      ...base,
      status: 'failed',
      failure_count: retries,
      last_failure_reason: String(template).replace('{phone}', who.phone).replace('{email}', who.email),
      retry_attempt: retries,
      last_status_change: new Date(start + 120_000 + i * 1000).toISOString(),
      output: {
        call_status: callStatus,
        call_end_reason: endReason,
        duration: 0,
        transcript:
          endReason === 'voicemail'
            ? [{ role: 'user', content: `You've reached ${who.first} ${who.last}, leave a message.` }]
            : [],
        recording_url: `https://recordings.unpod.example/${hex}/${who.first.toLowerCase()}-${i}-miss.mp3`
      }
    };
  });
}

/** A fake contact, distinct per task. @param {() => number} next @param {number} i */
function contact(next, i) {
  const first = FIRST[Math.floor(next() * FIRST.length)] ?? 'Amara';
  const last = LAST[Math.floor(next() * LAST.length)] ?? 'Okafor';
  const line = String(100 + (i % 900)).padStart(4, '0');
  const phone = `+1 (415) 555-${line}`;
  const email = `${first}.${last}${i}@mail.example`.toLowerCase();
  const context = `${first} prefers evenings; lives at ${10 + (i % 90)} Juniper Lane`;
  return { first, last, phone, email, context };
}

/** Every task of an agent's runs, newest first by `created` (stable: equal times keep run order). @param {Run[]} runs */
export function agentTasks(runs) {
  const all = runs.flatMap((run) => tasksOfRun(run));
  const keyed = all.map((task) => ({ task, at: millis(task.created) }));
  keyed.sort((a, b) => b.at - a.at);
  return keyed.map((k) => k.task);
}
