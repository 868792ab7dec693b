import type { Inventory } from "./inventory.js";

/** Options of {@link startSimulator}. Every field is optional; defaults keep test runs fast. */
export interface SimulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to listen on; default "127.0.0.1". */
  host?: string;
  /** The sites, pairings and plans to serve; default {@link defaultInventory}. */
  inventory?: Inventory;
  /** Time a task spends in QUEUED, ms (default 10). */
  taskQueuedMs?: number;
  /** Time a task spends in RUNNING, ms (default 40). Also the reconciliation job's running time. */
  taskDurationMs?: number;
  /**
   * Spread of task RUNNING times, 0..1 (default 0): each task runs `taskDurationMs` times a uniform factor in
   * [1 - jitter, 1 + jitter], as real tasks of one kind do not all take equally long.
   */
  taskJitter?: number;
  /** Idle session expiry, ms (default 30 minutes). */
  sessionTtlMs?: number;
  /** Whether a create-callout task's `result` carries `{recovery_step_id}` (default true). */
  calloutTaskResult?: boolean;
  /** Overrides `inventory.appliance.api`: "rest-only" makes every `/api/...` appliance path 404 (vCenter 6.7). */
  applianceApi?: "both" | "rest-only";
  /** Page size of list answers when the request has no `limit` (default 100, as the spec's `limit` says). */
  pageLimit?: number;
  /**
   * Most items one list answer gives even when `limit` asks for more (default: no cap; the spec names none).
   * The answer's `_meta.limit` says the page size used, so a client pages on with it.
   */
  maxPageLimit?: number;
  /** Serve this certificate and key instead of generating a fresh self-signed pair. */
  certificate?: { cert: string; key: string };
  /**
   * Also serve the SRM server of the default pairing's remote site on a port of its own, with its own
   * certificate (`sim.remote`): both servers share the pairing, and each lists it with itself as the local
   * side. Default false.
   */
  serveRemoteSite?: boolean;
  /** Receives one line per request and per task transition; default: silent. */
  log?: (line: string) => void;
}

/** Options with defaults applied. */
export interface ResolvedOptions {
  port: number;
  host: string;
  taskQueuedMs: number;
  taskDurationMs: number;
  taskJitter: number;
  sessionTtlMs: number;
  calloutTaskResult: boolean;
  pageLimit: number;
  maxPageLimit: number;
  log: (line: string) => void;
}

export function resolveOptions(options: SimulatorOptions): ResolvedOptions {
  return {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    taskQueuedMs: options.taskQueuedMs ?? 10,
    taskDurationMs: options.taskDurationMs ?? 40,
    taskJitter: Math.min(1, Math.max(0, options.taskJitter ?? 0)),
    sessionTtlMs: options.sessionTtlMs ?? 30 * 60 * 1000,
    calloutTaskResult: options.calloutTaskResult ?? true,
    pageLimit: options.pageLimit ?? 100,
    maxPageLimit: options.maxPageLimit ?? Number.MAX_SAFE_INTEGER,
    log: options.log ?? (() => undefined),
  };
}
