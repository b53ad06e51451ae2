/**
 * The example GitHub server cannot drift from the real API: each of its answers is checked
 * against GitHub's own OpenAPI description (the @octokit/openapi package, a dev dependency):
 * the status is one the operation declares, and the body fits the declared schema with no
 * field the schema does not know.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { BODY_LIMIT, GITHUB_TOKEN, secondaryRateLimit, startGitHub, type GitHub } from '../../emulator/github.mjs';

interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  enum?: unknown[];
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
}
interface Operation {
  responses: Record<
    string,
    { $ref?: string; content?: Record<string, { schema: Schema }>; headers?: Record<string, unknown> }
  >;
}

const spec = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json'), 'utf8')
) as { paths: Record<string, Record<string, Operation>>; components: Record<string, Record<string, unknown>> };

function resolve<T>(node: T & { $ref?: string }): T {
  if (node.$ref === undefined) return node;
  const [, group = '', name = ''] = /^#\/components\/([^/]+)\/(.+)$/.exec(node.$ref) ?? [];
  return resolve(spec.components[group]?.[name] as T & { $ref?: string });
}

/** Where `value` does not fit `schema`: a list of paths and what was wrong, empty when it fits. */
function problems(value: unknown, raw: Schema, at = '$'): string[] {
  const schema = resolve(raw);
  if (schema.allOf) return schema.allOf.flatMap((s) => problems(value, s, at));
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) {
    if (value === null && schema.nullable) return [];
    return alternatives.some((s) => problems(value, s, at).length === 0)
      ? []
      : [`${at}: fits none of its alternatives`];
  }
  if (value === null) return schema.nullable || schema.type === 'null' ? [] : [`${at}: null is not allowed`];
  if (schema.enum && !schema.enum.includes(value))
    return [`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`];
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${at}: expected a string`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
    case 'number':
      return typeof value === 'number' ? [] : [`${at}: expected a number`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at}: expected a boolean`];
    case 'array':
      if (!Array.isArray(value)) return [`${at}: expected an array`];
      return value.flatMap((item, i) => (schema.items ? problems(item, schema.items, `${at}[${i}]`) : []));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${at}: expected an object`];
      const record = value as Record<string, unknown>;
      const missing = (schema.required ?? [])
        .filter((k) => !(k in record))
        .map((k) => `${at}.${k}: required but missing`);
      const known = schema.properties ?? {};
      const found = Object.entries(record).flatMap(([k, v]) => {
        const property = known[k];
        if (property !== undefined) return problems(v, property, `${at}.${k}`);
        // The example server must not invent fields: drift shows up here.
        return schema.additionalProperties ? [] : [`${at}.${k}: not in GitHub's schema`];
      });
      return [...missing, ...found];
    }
    default:
      return [];
  }
}

const LIST = '/repos/{owner}/{repo}/issues/{issue_number}/comments';
const ONE = '/repos/{owner}/{repo}/issues/comments/{comment_id}';

/** The declared answer of an operation for a status; undefined when it declares none. */
function declared(path: string, method: string, status: number) {
  const response = spec.paths[path]?.[method]?.responses[String(status)];
  return response === undefined ? undefined : resolve(response);
}

let github: GitHub;
beforeAll(async () => {
  github = await startGitHub();
  for (let i = 0; i < 150; i++) {
    github.addComment('o/r', 1, `comment ${i}`, i % 2 ? { login: 'dev', association: 'MEMBER' } : {});
  }
});
afterAll(async () => {
  await github.close();
});

async function call(method: string, path: string, body?: unknown, token = GITHUB_TOKEN) {
  const res = await fetch(`${github.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  });
  return { status: res.status, headers: res.headers, json: await res.json() };
}

/** The answer is declared for the operation and fits its schema. */
function expectDeclared(path: string, method: string, answer: { status: number; json: unknown }): void {
  const response = declared(path, method, answer.status);
  expect({ status: answer.status, declared: response !== undefined }).toEqual({
    status: answer.status,
    declared: true
  });
  const schema = response?.content?.['application/json']?.schema;
  expect(schema).toBeDefined();
  expect(problems(answer.json, schema ?? {})).toEqual([]);
}

describe("the example GitHub server answers as GitHub's OpenAPI description says", () => {
  it('lists comments a page at a time, with a Link header as GitHub writes it', async () => {
    const first = await call('GET', '/repos/o/r/issues/1/comments?per_page=100');
    expectDeclared(LIST, 'get', first);
    expect(first.json).toHaveLength(100);
    expect(declared(LIST, 'get', 200)?.headers).toHaveProperty('Link');
    const link = first.headers.get('link') ?? '';
    expect(link).toMatch(
      /^<http:\/\/127\.0\.0\.1:\d+\/repos\/o\/r\/issues\/1\/comments\?per_page=100&page=2>; rel="next", <[^>]+page=2>; rel="last"$/
    );
    const second = await call('GET', '/repos/o/r/issues/1/comments?per_page=100&page=2');
    expectDeclared(LIST, 'get', second);
    expect(second.json).toHaveLength(50);
    expect(second.headers.get('link')).toMatch(/rel="prev".*rel="first"$/);
    expectDeclared(LIST, 'get', await call('GET', '/repos/o/r/issues/404/comments'));
  });

  it('creates (201, with Location), updates (200), and refuses a body over 65,536 characters (422)', async () => {
    const created = await call('POST', '/repos/o/r/issues/1/comments', { body: 'hello' });
    expect(created.status).toBe(201);
    expectDeclared(LIST, 'post', created);
    expect(created.headers.get('location')).toMatch(/\/repos\/o\/r\/issues\/comments\/\d+$/);
    const id = (created.json as { id: number }).id;
    expectDeclared(ONE, 'patch', await call('PATCH', `/repos/o/r/issues/comments/${id}`, { body: 'edited' }));
    const tooLong = { body: 'x'.repeat(BODY_LIMIT + 1) };
    const refused = await call('POST', '/repos/o/r/issues/1/comments', tooLong);
    expect(refused.status).toBe(422);
    expectDeclared(LIST, 'post', refused);
    expectDeclared(ONE, 'patch', await call('PATCH', `/repos/o/r/issues/comments/${id}`, tooLong));
    expect((await call('POST', '/repos/o/r/issues/1/comments', { body: 'x'.repeat(BODY_LIMIT) })).status).toBe(201);
  });

  it("refuses a fork's read-only token with 403 as GitHub does", async () => {
    github.setReadOnly(true);
    try {
      const refused = await call('POST', '/repos/o/r/issues/1/comments', { body: 'x' });
      expect(refused.status).toBe(403);
      expectDeclared(LIST, 'post', refused);
      expect(refused.json).toMatchObject({ message: 'Resource not accessible by integration' });
      // Reading still works.
      expect((await call('GET', '/repos/o/r/issues/1/comments')).status).toBe(200);
    } finally {
      github.setReadOnly(false);
    }
  });

  it('answers a secondary rate limit with Retry-After and a basic error, and a wrong token with 401', async () => {
    github.fault({ method: 'POST', ...secondaryRateLimit(30) });
    const limited = await call('POST', '/repos/o/r/issues/1/comments', { body: 'x' });
    expect(limited.status).toBe(403);
    expect(limited.headers.get('retry-after')).toBe('30');
    expectDeclared(LIST, 'post', limited);
    const wrong = await call('GET', '/repos/o/r/issues/1/comments', undefined, 'ghs_wrong');
    expect(wrong.status).toBe(401);
    // GitHub does not declare 401 per operation; its body is a basic error all the same.
    expect(problems(wrong.json, { $ref: '#/components/schemas/basic-error' })).toEqual([]);
  });

  it('the check itself finds drift: a missing field, a wrong type, an unknown field', () => {
    const [comment] = github.comments('o/r', 1);
    const schema = { $ref: '#/components/schemas/issue-comment' };
    expect(problems(comment, schema)).toEqual([]);
    const missing: Record<string, unknown> = { ...comment };
    delete missing.node_id;
    expect(problems(missing, schema)).toEqual(['$.node_id: required but missing']);
    expect(problems({ ...comment, id: '1' }, schema)).toEqual(['$.id: expected an integer']);
    expect(problems({ ...comment, mood: 'happy' }, schema)).toEqual(["$.mood: not in GitHub's schema"]);
    expect(problems({ ...comment, author_association: 'FRIEND' }, schema)).toEqual([
      expect.stringContaining('$.author_association: "FRIEND" is not one of')
    ]);
  });
});
