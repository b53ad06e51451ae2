/** Shared by the end-to-end suites: the example server's credentials and a server per test. */
import { startEmulator, type Emulator } from '../emulator/server.mjs';
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
