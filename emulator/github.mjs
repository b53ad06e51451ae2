/**
 * An example GitHub REST API on loopback, for the pull-request comment: the three issue-comment
 * endpoints, answering as GitHub does (checked against GitHub's OpenAPI description in
 * __tests__/emulator-github.test.ts): Link pagination, 201 on create, 200 on update, 401 for a
 * wrong token, 403 "Resource not accessible by integration" for a fork's read-only token, 404,
 * 422 for a body over 65,536 characters, and injected faults (secondary rate limits with
 * Retry-After, 5xx).
 */
import http from 'node:http';
import { invokedDirectly } from '../scripts/invoked.mjs';

/** The example token, as a workflow's GITHUB_TOKEN looks. */
export const GITHUB_TOKEN = 'ghs_exampleWorkflowToken0123456789abcdEF';
/** GitHub's limit on a comment body, in characters. */
export const BODY_LIMIT = 65_536;
const DOCS = 'https://docs.github.com/rest/issues/comments';

/** @typedef {import('./github.d.mts').GitHubRequest} GitHubRequest */
/** @typedef {import('./github.d.mts').Fault} Fault */
/** @typedef {import('./github.d.mts').StoredComment} StoredComment */

/** A user object with every field GitHub's simple-user schema requires. @param {string} login @param {'Bot' | 'User'} type @param {number} id */
function user(login, type, id) {
  const base = `https://api.github.com/users/${encodeURIComponent(login)}`;
  return {
    login,
    id,
    node_id: `MDQ6VXNlcj${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: base,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    followers_url: `${base}/followers`,
    following_url: `${base}/following{/other_user}`,
    gists_url: `${base}/gists{/gist_id}`,
    starred_url: `${base}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/subscriptions`,
    organizations_url: `${base}/orgs`,
    repos_url: `${base}/repos`,
    events_url: `${base}/events{/privacy}`,
    received_events_url: `${base}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false
  };
}

export const BOT = user('github-actions[bot]', 'Bot', 41898282);

/** @param {{ port?: number, token?: string, perPageMax?: number }} [options] */
export async function startGitHub(options = {}) {
  const token = options.token ?? GITHUB_TOKEN;
  /** @type {GitHubRequest[]} */
  const requests = [];
  /** @type {Map<string, StoredComment[]>} issue key → its comments, oldest first */
  const issues = new Map();
  /** @type {Fault[]} */
  let faults = [];
  let readOnly = false;
  let nextId = 1_000_000_001;
  let base = '';

  /** @param {string} repo @param {number} number */
  const issueKey = (repo, number) => `${repo}#${number}`;

  /** @param {StoredComment} c */
  function shown(c) {
    const [repo, number] = c.issue.split('#');
    return {
      id: c.id,
      node_id: `IC_kwDO${c.id}`,
      url: `${base}/repos/${repo}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repo}/pull/${number}#issuecomment-${c.id}`,
      body: c.body,
      user: c.user,
      created_at: c.created,
      updated_at: c.updated,
      issue_url: `${base}/repos/${repo}/issues/${number}`,
      author_association: c.association,
      performed_via_github_app: null
    };
  }

  /** @param {http.ServerResponse} res @param {number} status @param {unknown} body @param {Record<string, string>} [headers] */
  function send(res, status, body, headers = {}) {
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      'X-GitHub-Api-Version-Selected': '2022-11-28',
      'X-RateLimit-Limit': '5000',
      'X-RateLimit-Remaining': '4999',
      'X-RateLimit-Resource': 'core',
      ...headers
    });
    res.end(text);
  }

  /** @param {number} status @param {string} message @param {string} doc */
  const error = (status, message, doc) => ({ message, documentation_url: `${DOCS}#${doc}`, status: String(status) });

  /** @param {http.IncomingMessage} req @param {http.ServerResponse} res @param {string} text */
  function handle(req, res, text) {
    const url = new URL(req.url ?? '/', base);
    const method = req.method ?? 'GET';
    const fault = faults.findIndex((f) => f.method === undefined || f.method === method);
    if (fault !== -1) {
      const [f] = faults.splice(fault, 1);
      if (f) return send(res, f.status, f.body ?? error(f.status, 'Server Error', ''), f.headers ?? {});
    }
    const auth = req.headers.authorization ?? '';
    if (auth !== `Bearer ${token}` && auth !== `token ${token}`) {
      return send(res, 401, {
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401'
      });
    }
    const list = /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const one = /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (list && method === 'GET') {
      const comments = issues.get(issueKey(list[1] ?? '', Number(list[2])));
      if (comments === undefined) return send(res, 404, error(404, 'Not Found', 'list-issue-comments'));
      const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30) || 30, options.perPageMax ?? 100);
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
      const last = Math.max(1, Math.ceil(comments.length / perPage));
      /** @param {number} p @param {string} rel */
      const link = (p, rel) => {
        const target = new URL(url);
        target.searchParams.set('per_page', String(perPage));
        target.searchParams.set('page', String(p));
        return `<${target.href}>; rel="${rel}"`;
      };
      const links = [];
      if (page > 1) links.push(link(page - 1, 'prev'));
      if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
      if (page > 1) links.push(link(1, 'first'));
      const items = comments.slice((page - 1) * perPage, page * perPage).map(shown);
      return send(res, 200, items, links.length ? { Link: links.join(', ') } : {});
    }
    if (list && method === 'POST') {
      const key = issueKey(list[1] ?? '', Number(list[2]));
      const comments = issues.get(key);
      if (comments === undefined) return send(res, 404, error(404, 'Not Found', 'create-an-issue-comment'));
      if (readOnly)
        return send(res, 403, error(403, 'Resource not accessible by integration', 'create-an-issue-comment'));
      const body = bodyOf(text);
      if (body === undefined || body.length > BODY_LIMIT) return send(res, 422, tooLong('create-an-issue-comment'));
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      /** @type {StoredComment} */
      const comment = { id: nextId++, issue: key, body, user: BOT, association: 'NONE', created: now, updated: now };
      comments.push(comment);
      return send(res, 201, shown(comment), { Location: `${base}/repos/${list[1]}/issues/comments/${comment.id}` });
    }
    if (one && method === 'PATCH') {
      const id = Number(one[2]);
      const comment = [...issues.values()].flat().find((c) => c.id === id && c.issue.startsWith(`${one[1]}#`));
      if (comment === undefined) return send(res, 404, error(404, 'Not Found', 'update-an-issue-comment'));
      if (readOnly)
        return send(res, 403, error(403, 'Resource not accessible by integration', 'update-an-issue-comment'));
      const body = bodyOf(text);
      if (body === undefined || body.length > BODY_LIMIT) return send(res, 422, tooLong('update-an-issue-comment'));
      comment.body = body;
      comment.updated = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      return send(res, 200, shown(comment));
    }
    return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' });
  }

  /** @param {string} doc */
  function tooLong(doc) {
    return {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)'
        }
      ],
      // Live GitHub adds "status": "422", which its OpenAPI description's validation-error lacks.
      documentation_url: `${DOCS}#${doc}`
    };
  }

  const server = http.createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', base);
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: { ...req.headers },
        body: text
      });
      handle(req, res, text);
    });
  });
  await new Promise((done) => server.listen(options.port ?? 0, '127.0.0.1', () => done(undefined)));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    token,
    requests,
    /** A pull request with no comments yet (or the ones given). */
    openPullRequest(/** @type {string} */ repo, /** @type {number} */ number) {
      if (!issues.has(issueKey(repo, number))) issues.set(issueKey(repo, number), []);
    },
    /** Someone else's comment, or an earlier one of the gate's. */
    addComment(
      /** @type {string} */ repo,
      /** @type {number} */ number,
      /** @type {string} */ body,
      /** @type {{ login?: string, type?: 'Bot' | 'User', association?: string }} */ by = {}
    ) {
      const key = issueKey(repo, number);
      if (!issues.has(key)) issues.set(key, []);
      const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const author = by.login === undefined ? BOT : user(by.login, by.type ?? 'User', 1000 + nextId);
      /** @type {StoredComment} */
      const comment = {
        id: nextId++,
        issue: key,
        body,
        user: author,
        association: by.association ?? 'NONE',
        created: now,
        updated: now
      };
      issues.get(key)?.push(comment);
      return comment.id;
    },
    comments(/** @type {string} */ repo, /** @type {number} */ number) {
      return (issues.get(issueKey(repo, number)) ?? []).map(shown);
    },
    /** Answers the next matching request with this fault instead. @param {Fault} f */
    fault(f) {
      faults.push(f);
    },
    /** A fork's token: reading works, writing is refused with 403. @param {boolean} value */
    setReadOnly(value) {
      readOnly = value;
    },
    close() {
      return new Promise((done) => {
        server.close(() => done(undefined));
        server.closeAllConnections();
      });
    }
  };
}

/** @param {string} text */
function bodyOf(text) {
  try {
    const parsed = JSON.parse(text);
    return typeof parsed?.body === 'string' ? parsed.body : undefined;
  } catch {
    return undefined;
  }
}

/** GitHub's answer to too many requests at once, with the wait it asks for. @param {number} seconds */
export function secondaryRateLimit(seconds) {
  return {
    status: 403,
    headers: { 'Retry-After': String(seconds), 'X-RateLimit-Remaining': '4990' },
    body: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID 0000:0000:0000000:0000000:00000000.',
      documentation_url:
        'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '403'
    }
  };
}

if (invokedDirectly(import.meta.url)) {
  const gh = await startGitHub({ port: Number(process.env.PORT ?? 3002) });
  gh.openPullRequest('octo-org/voice-agents', 7);
  console.log(
    `GitHub example server listening on ${gh.url} (token: ${gh.token}, pull request octo-org/voice-agents#7)`
  );
}
