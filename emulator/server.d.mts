/** Types for emulator/server.mjs, the Unpod-compatible example server. */

/** Run states the real server uses; the emulator sends whatever string a scenario holds. */
export type RunStatus =
  | 'pending'
  | 'scheduled'
  | 'in_progress'
  | 'processing'
  | 'hold'
  | 'completed'
  | 'failed'
  | 'partially_completed'
  | 'running';

/** A change applied to a run once its agent's endpoint has answered `afterRequests` times successfully. */
export interface TimelineEntry {
  afterRequests: number;
  status?: RunStatus | (string & {});
  total_tasks?: number | string | null;
  completed_tasks?: number | string | null;
  created?: string;
  [field: string]: unknown;
}

/**
 * One execution as stored in a scenario and sent by the API (minus `timeline`). Fields are sent
 * exactly as held, so odd values (string counts, null, missing fields, extra fields) are allowed.
 */
export interface Run {
  run_id: string;
  status?: RunStatus | (string & {});
  total_tasks?: number | string | null;
  completed_tasks?: number | string | null;
  /** ISO 8601; no offset means UTC, as on the real server. */
  created?: string;
  /** Emulator-only: never sent in responses. */
  timeline?: TimelineEntry[];
  /** Emulator-only: true leaves the run out of the list (and its count) until a timeline step sets false. */
  hidden?: boolean;
  /**
   * Emulator-only: the run's tasks as the tasks endpoint lists them (each given this run's
   * run_id when it has none). Without it, tasks are generated from the counts: completed_tasks
   * `completed`, the rest `failed` (or `pending`/`in_progress` while the run is unfinished).
   */
  tasks?: Record<string, unknown>[];
  /** Emulator-only: of a finished run's not-completed tasks, this many are still unfinished (the early-`completed` quirk). */
  pendingTasks?: number;
  [field: string]: unknown;
}

export interface Scenario {
  /** The 40-hex token accepted as `Token <token>` or `Bearer <token>`. */
  token: string;
  /** The organisation handle expected in the `Org-Handle` header. */
  orgHandle: string;
  /** The space that POST …/spaces/{space_token}/tasks/create/ starts runs in; none when absent. */
  spaceToken?: string;
  /** Agent handle → its runs, in any order (the API sorts newest first). */
  agents: Record<string, Run[]>;
  /** When the runs' dates were written for: they are served moved by (now − datedAt), whole minutes. */
  datedAt?: string;
}

export interface EmulatorOptions {
  /** Default 0: a free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** A scenario object (copied, never mutated) or a JSON file path; default emulator/scenario.json. */
  scenario?: Scenario | string;
  /** Overrides the scenario's token. */
  token?: string;
  /** Overrides the scenario's organisation handle. */
  orgHandle?: string;
  /** Serve HTTPS with this key and certificate chain (PEM) instead of plain HTTP. */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Called with one line per finished request (the CLI prints them to stderr). */
  log?: (line: string) => void;
  /** The moment the scenario's `datedAt` is served as, epoch ms; default: when the server starts. */
  now?: number;
}

interface FaultTarget {
  /** Only requests for this (decoded) agent handle; default: every request. */
  agent?: string;
  /** Only requests to this endpoint; default: both. */
  endpoint?: 'executions' | 'tasks';
  /** How many matching requests this fault answers; default 1, Infinity allowed. */
  times?: number;
}

export type SimpleFaultKind =
  | 'hang'
  | 'stall-body'
  | 'close'
  | 'reset'
  | 'html'
  | 'empty'
  | 'truncated'
  | 'wrong-types'
  | 'duplicates'
  | 'ignore-page'
  | 'reverse'
  | 'echo-token';

export type FaultSpec =
  | (FaultTarget & { kind: SimpleFaultKind })
  | (FaultTarget & { kind: 'latency'; ms: number })
  | (FaultTarget & {
      kind: 'status';
      /** 200–599. */
      status: number;
      /** Sent as the Retry-After header when given. */
      retryAfter?: string | number;
      /** Replaces the default body (the real server's shape for that status); '' sends an empty body. */
      body?: string;
      /** Default: application/json when `body` parses as JSON, else text/plain. */
      contentType?: string;
    })
  | (FaultTarget & {
      kind: 'huge';
      /** Roughly how many body bytes to stream. */
      bytes: number;
      /** Send an exact Content-Length instead of chunked transfer encoding; default false. */
      contentLength?: boolean;
    });

export type FaultKind = FaultSpec['kind'];

export interface RequestLog {
  method: string;
  /** The full pathname, prefix included, still URL-encoded. */
  path: string;
  /** Query parameters; the last value wins for a repeated name (as in Django). */
  query: Record<string, string>;
  /** As received, lower-cased names. */
  headers: Record<string, string | string[] | undefined>;
  /** The decoded agent handle when the path is the executions or tasks route. Bodies (contacts) are never logged. */
  agent: string | undefined;
  /** Which route the path is, if either. */
  endpoint: 'executions' | 'tasks' | undefined;
  /** The status sent; 0 while none has been, or if the connection ended first. */
  status: number;
  fault: FaultKind | undefined;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:40123, http://[::1]:40123 or (with `tls`) https://127.0.0.1:40123, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** Every request in arrival order; entries are updated as answers go out. */
  readonly requests: RequestLog[];
  readonly inFlight: number;
  /** The most requests handled at the same time since start. */
  readonly maxInFlight: number;
  /** TCP connections accepted, including those whose TLS handshake failed and so sent no request. */
  readonly connections: number;
  readonly token: string;
  readonly orgHandle: string;
  /** The live scenario (a private copy): timelines, setRun and addRun change it. */
  readonly scenario: Scenario;
  /** Queues a fault; each matching request uses the first matching queued fault. Throws on a bad spec. */
  fault(spec: FaultSpec): void;
  clearFaults(): void;
  /** Patches a run in place; throws if the agent has no run with that id. */
  setRun(agent: string, runId: string, patch: Partial<Run>): void;
  /** Adds a run (copied), creating the agent if needed. */
  addRun(agent: string, run: Run): void;
  /** Every task the tasks endpoint lists for the agent now, newest first, personal fields included (a copy). */
  tasks(agent: string): Record<string, unknown>[];
  /** Stops listening and destroys every open socket, hanging ones included. Idempotent. */
  close(): Promise<void>;
}

export function startEmulator(options?: EmulatorOptions): Promise<Emulator>;

/** `created` moved by whole minutes, in the same written form. */
export function shiftCreated(created: string, minutes: number): string;
