/** Shared by the end-to-end suites: the example server's credentials and a server per test. */
import { startEmulator, type Emulator, type Run } from '../emulator/server.mjs';
import type { Clock } from '../src/api.js';

/** The example server's public demo token (emulator/scenario.json). */
export const TOKEN = '0123456789abcdef0123456789abcdef01234567';

/** A fresh server per test, so that tests can run at once and count their own requests. */
export async function withServer<T>(work: (server: Emulator) => Promise<T>): Promise<T> {
  const server = await startEmulator();
  try {
    return await work(server);
  } finally {
    await server.close();
  }
}

/** A clock that starts at 0 and moves only when slept. */
export function fakeClock(): Clock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
    random: () => 0.5
  };
}

/** Run number `n`'s id: `R` and 32 hex digits, as the real server's. */
export const hex = (n: number): string => `R${n.toString(16).padStart(32, '0')}`;

/** A completed 25-of-25 run created `n` minutes into November 2026, with fields overridden. */
export const run = (n: number, over: Partial<Run> = {}): Run => ({
  run_id: hex(n),
  status: 'completed',
  total_tasks: 25,
  completed_tasks: 25,
  created: new Date(Date.UTC(2026, 10, 1) + n * 60_000).toISOString(),
  ...over
});
