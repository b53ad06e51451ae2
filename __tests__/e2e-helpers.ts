/** Shared by the end-to-end suites: the example server's credentials and a server per test. */
import { startEmulator, type Emulator } from '../emulator/server.mjs';

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
