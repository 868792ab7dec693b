/** One injected answer for a route. */
export interface RouteFault {
  /** HTTP status to answer with (e.g. 503, 429, 500). */
  status: number;
  /** How many requests get it; default: every request until reset. */
  count?: number;
  /** Probability (0..1) that a matching request gets it; default 1. */
  rate?: number;
  /** Adds a `Retry-After` header (seconds). */
  retryAfterSeconds?: number;
  /** `error_code` of the ResponseError body (default INJECTED_FAULT). */
  errorCode?: string;
}

/**
 * Faults applied per run. Route keys are "METHOD /path" with the spec's path parameter names, relative
 * to the SRM base (e.g. "GET /pairings", "GET /tasks/{taskId}",
 * "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}");
 * appliance routes use their absolute path ("POST /api/session").
 */
export interface Faults {
  /**
   * Added network round trip per request, ms: half of it passes before the request is handled, half before
   * the answer leaves, as on a link where SRM is that far away.
   */
  latencyMs: number;
  routes: Record<string, RouteFault>;
  /** Route -> how many requests get their socket destroyed without an answer. */
  dropConnections: Record<string, number>;
  /**
   * Route -> how many requests are carried out (a mutation is accepted, its task starts) and then lose their
   * answer: the socket is destroyed instead of sending it, as when the network fails after the server acted.
   */
  dropAnswers: Record<string, number>;
  /**
   * Route -> how many requests find the object edited by someone else just before they arrive (a user in the
   * SRM UI between the client's read and its write). Served by the VM recovery settings update: the VM's
   * settings change and their `change_version` moves on, so a write carrying the version read is refused.
   */
  concurrentEdits?: Record<string, number>;
  /**
   * List routes answer as a server that does not know `filter_property`/`filter`: every item, unfiltered (a
   * malformed pair is still refused).
   */
  ignoreFilters?: boolean;
  /** Overrides the task RUNNING time, ms. */
  taskDurationMs?: number;
  /** Overrides the task QUEUED time, ms. */
  taskQueuedMs?: number;
  /** Overrides the task RUNNING time jitter (0..1): each task runs `taskDurationMs` times 1 ± up to this. */
  taskJitter?: number;
}

/** Fault controls exposed as `sim.faults`. */
export interface FaultControls {
  /** Merges `f` into the current faults (`routes`, `dropConnections` and `dropAnswers` entries are merged per key). */
  set(f: Partial<Faults>): void;
  /** Back to no faults (also forgets pending task failures). */
  reset(): void;
  /** Every SRM session (and its remote logins) ends now; the next call with it gets 401. */
  expireAllSessions(): void;
  /** The next `n` tasks end in ERROR with `message`. */
  failNextTasks(n: number, message?: string): void;
  /** The current faults (a live object). */
  readonly current: Faults;
}

export function noFaults(): Faults {
  return { latencyMs: 0, routes: {}, dropConnections: {}, dropAnswers: {} };
}

/** Decides, per request, which fault applies. Keeps the counters. */
export class FaultState {
  current: Faults = noFaults();

  set(f: Partial<Faults>): void {
    const { routes, dropConnections, dropAnswers, concurrentEdits, ...rest } = f;
    Object.assign(this.current, rest);
    if (routes) for (const [k, v] of Object.entries(routes)) this.current.routes[k] = { ...v };
    if (dropConnections) Object.assign(this.current.dropConnections, dropConnections);
    if (dropAnswers) Object.assign(this.current.dropAnswers, dropAnswers);
    if (concurrentEdits)
      this.current.concurrentEdits = { ...this.current.concurrentEdits, ...concurrentEdits };
  }

  /** True when someone else edits the object this request is about, just before it is handled (consumes one). */
  takeConcurrentEdit(route: string): boolean {
    const left = this.current.concurrentEdits?.[route];
    if (!left || left <= 0) return false;
    this.current.concurrentEdits![route] = left - 1;
    return true;
  }

  /** True when this request's answer must be lost after it was carried out (consumes one). */
  takeDropAnswer(route: string): boolean {
    const left = this.current.dropAnswers[route];
    if (!left || left <= 0) return false;
    this.current.dropAnswers[route] = left - 1;
    return true;
  }

  reset(): void {
    this.current = noFaults();
  }

  /** True when this request's connection must be dropped (consumes one). */
  takeDrop(route: string): boolean {
    const left = this.current.dropConnections[route];
    if (!left || left <= 0) return false;
    this.current.dropConnections[route] = left - 1;
    return true;
  }

  /** The injected answer for this request, if any (consumes one of `count`). */
  takeRouteFault(route: string): RouteFault | undefined {
    const fault = this.current.routes[route];
    if (!fault) return undefined;
    if (fault.count !== undefined && fault.count <= 0) return undefined;
    if (fault.rate !== undefined && Math.random() >= fault.rate) return undefined;
    if (fault.count !== undefined) fault.count--;
    return fault;
  }
}
