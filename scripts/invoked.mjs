// @ts-check
/** Whether Node was started on a script, so that a test importing that script does not run its `main`. */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * True when `moduleUrl` (the caller's `import.meta.url`) is the file Node was started on, through
 * symlinks too (npm's `.bin` links, a checkout under a linked directory).
 * @param {string} moduleUrl
 * @param {string | undefined} [entry] the path Node was started on; `process.argv[1]` by default
 * @returns {boolean}
 */
export function invokedDirectly(moduleUrl, entry = process.argv[1]) {
  if (!entry) return false;
  try {
    return moduleUrl === pathToFileURL(realpathSync(entry)).href;
  } catch {
    return false;
  }
}
