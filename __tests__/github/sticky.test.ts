import { describe, expect, it } from '@jest/globals';
import type { Comment } from '../../src/github/client.js';
import { marker } from '../../src/github/marker.js';
import { keepComment, planComment } from '../../src/github/sticky.js';

const KEY = '0123456789abcdef';
const ours = (id: number, run: number, key = KEY): Comment => ({
  id,
  body: `${marker(key, run)}\n### verdict`,
  trusted: true
});
const other = (id: number): Comment => ({ id, body: 'LGTM', trusted: true });

describe('planComment', () => {
  it('updates the first comment with its key, wherever it is', () => {
    const list = [other(1), ours(2, 50, 'fedcba9876543210'), other(3), ours(4, 90), ours(5, 95)];
    expect(planComment(list, KEY, 100, 'always', true)).toEqual({ kind: 'update', id: 4 });
    expect(planComment(list, KEY, 90, 'on-failure', true)).toEqual({ kind: 'update', id: 4 });
  });

  it('leaves a comment a newer run wrote', () => {
    expect(planComment([ours(4, 101)], KEY, 100, 'always', false)).toEqual({
      kind: 'leave',
      why: 'comment 4 was written by a newer workflow run (101); this run (100) leaves it.'
    });
  });

  it('ignores a marker in a comment by someone without write access', () => {
    expect(planComment([{ ...ours(4, 999), trusted: false }], KEY, 100, 'always', true)).toEqual({ kind: 'create' });
  });

  it('creates when none exists, except on-failure while passing', () => {
    expect(planComment([other(1)], KEY, 100, 'always', true)).toEqual({ kind: 'create' });
    expect(planComment([], KEY, 100, 'on-failure', false)).toEqual({ kind: 'create' });
    expect(planComment([], KEY, 100, 'on-failure', true)).toEqual({
      kind: 'leave',
      why: 'the gate passed and there is no comment to update (pr-comment: on-failure).'
    });
  });
});

describe('keepComment', () => {
  const asked = { repository: 'o/r', pullNumber: 7 };
  const api = (comments: Comment[]) => {
    const calls: string[] = [];
    return {
      calls,
      listComments: () => Promise.resolve(comments),
      createComment: (_: unknown, body: string) => {
        calls.push(`create ${body}`);
        return Promise.resolve(77);
      },
      updateComment: (_: unknown, id: number, body: string) => {
        calls.push(`update ${id} ${body}`);
        return Promise.resolve();
      }
    };
  };
  const wanted = { key: KEY, runId: 100, mode: 'always' as const, passed: true, body: 'BODY' };

  it('does what the plan says and tells what it did', async () => {
    const fresh = api([other(1)]);
    expect(await keepComment(fresh, asked, wanted)).toBe(
      'Comment 77 created on pull request #7 (1 other comment read).'
    );
    expect(fresh.calls).toEqual(['create BODY']);
    const none = api([]);
    expect(await keepComment(none, asked, wanted)).toBe(
      'Comment 77 created on pull request #7 (0 other comments read).'
    );
    const two = api([other(1), other(2)]);
    expect(await keepComment(two, asked, wanted)).toBe(
      'Comment 77 created on pull request #7 (2 other comments read).'
    );
    expect(two.calls).toEqual(['create BODY']);
    const found = api([ours(5, 99)]);
    expect(await keepComment(found, asked, wanted)).toBe('Comment 5 updated on pull request #7.');
    expect(found.calls).toEqual(['update 5 BODY']);
    const newer = api([ours(5, 101)]);
    expect(await keepComment(newer, asked, wanted)).toMatch(
      /^No comment written on pull request #7: comment 5 was written by a newer/
    );
    expect(newer.calls).toEqual([]);
  });
});
