/**
 * One comment per key on the pull request: found by its marker on any page, updated on later
 * runs, created only when none exists, and never overwritten by an older run.
 */
import type { PrCommentMode } from '../settings/inputs.js';
import type { Asked } from './answers.js';
import type { Comment, GitHubApi } from './client.js';
import { readMarker } from './marker.js';

export type Plan =
  | { readonly kind: 'create' }
  | { readonly kind: 'update'; readonly id: number }
  | { readonly kind: 'leave'; readonly why: string };

/**
 * What to do: update the first trusted comment with this key; leave one a newer run wrote; create
 * one only when none exists and the mode wants it (on-failure: only when the gate did not pass).
 */
export function planComment(
  comments: readonly Comment[],
  key: string,
  runId: number,
  mode: Exclude<PrCommentMode, 'off'>,
  passed: boolean
): Plan {
  for (const comment of comments) {
    const found = comment.trusted ? readMarker(comment.body) : undefined;
    if (found?.key !== key) continue;
    if (found.runId > runId) {
      return {
        kind: 'leave',
        why: `comment ${comment.id} was written by a newer workflow run (${found.runId}); this run (${runId}) leaves it.`
      };
    }
    return { kind: 'update', id: comment.id };
  }
  if (mode === 'on-failure' && passed)
    return { kind: 'leave', why: 'the gate passed and there is no comment to update (pr-comment: on-failure).' };
  return { kind: 'create' };
}

/** Reads every page of comments, then creates, updates or leaves the comment; returns what it did. */
export async function keepComment(
  api: Pick<GitHubApi, 'listComments' | 'createComment' | 'updateComment'>,
  asked: Asked,
  wanted: {
    readonly key: string;
    readonly runId: number;
    readonly mode: Exclude<PrCommentMode, 'off'>;
    readonly passed: boolean;
    readonly body: string;
  }
): Promise<string> {
  const comments = await api.listComments(asked);
  const plan = planComment(comments, wanted.key, wanted.runId, wanted.mode, wanted.passed);
  const where = `pull request #${asked.pullNumber}`;
  switch (plan.kind) {
    case 'create': {
      const id = await api.createComment(asked, wanted.body);
      return `Comment ${id} created on ${where} (${comments.length} other comment${comments.length === 1 ? '' : 's'} read).`;
    }
    case 'update':
      await api.updateComment(asked, plan.id, wanted.body);
      return `Comment ${plan.id} updated on ${where}.`;
    case 'leave':
      return `No comment written on ${where}: ${plan.why}`;
  }
}
