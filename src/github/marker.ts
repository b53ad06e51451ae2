/**
 * The hidden first line that finds the gate's comment again: a key for the workflow, the job
 * and the gated agents, and the workflow run that wrote it (an older run never overwrites it).
 */
import { createHash } from 'node:crypto';

const PREFIX = '<!-- unpod-gate-comment';
const MARKER = /^<!-- unpod-gate-comment key=([0-9a-f]{16}) run=(\d{1,16}) -->/;

/** One comment per workflow, job and set of agents: matrix legs gating other agents keep their own. */
export function commentKey(workflow: string, job: string, agents: readonly string[]): string {
  const agentsKey = [...agents].sort().join('\n');
  return createHash('sha256')
    .update(JSON.stringify([workflow, job, agentsKey]))
    .digest('hex')
    .slice(0, 16);
}

/** The marker line, an HTML comment GitHub does not show. */
export function marker(key: string, runId: number): string {
  return `${PREFIX} key=${key} run=${runId} -->`;
}

/** The key and run of a comment body's marker, when it starts with one. */
export function readMarker(body: string): { readonly key: string; readonly runId: number } | undefined {
  const match = MARKER.exec(body);
  if (match === null) return undefined;
  return { key: match[1]!, runId: Number(match[2]) };
}
