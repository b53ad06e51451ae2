/** Types for emulator/github.mjs, the example GitHub REST API for the pull-request comment. */

export interface GitHubRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** An answer given instead of the next request's (of `method`, when set). */
export interface Fault {
  readonly method?: 'GET' | 'POST' | 'PATCH';
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
}

export interface StoredComment {
  id: number;
  issue: string;
  body: string;
  user: Record<string, unknown>;
  association: string;
  created: string;
  updated: string;
}

/** A comment as the API shows it (GitHub's issue-comment). */
export interface ShownComment {
  id: number;
  body: string;
  user: Record<string, unknown>;
  author_association: string;
  [field: string]: unknown;
}

export interface GitHub {
  readonly url: string;
  readonly token: string;
  readonly requests: GitHubRequest[];
  openPullRequest(repo: string, number: number): void;
  addComment(
    repo: string,
    number: number,
    body: string,
    by?: { login?: string; type?: 'Bot' | 'User'; association?: string }
  ): number;
  comments(repo: string, number: number): ShownComment[];
  fault(f: Fault): void;
  setReadOnly(value: boolean): void;
  close(): Promise<void>;
}

export declare const GITHUB_TOKEN: string;
export declare const BODY_LIMIT: number;
export declare const BOT: Record<string, unknown>;
export declare function startGitHub(options?: { port?: number; token?: string; perPageMax?: number }): Promise<GitHub>;
export declare function secondaryRateLimit(seconds: number): Required<Pick<Fault, 'status' | 'headers' | 'body'>>;
