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
  /** Delay before every answer, ms. */
  latencyMs: number;
  routes: Record<string, RouteFault>;
  /** Route -> how many requests get their socket destroyed without an answer. */
  dropConnections: Record<string, number>;
  /**
   * Route -> how many requests are carried out (the task starts, the change happens) but get their socket
   * destroyed instead of the answer: a response lost on the way back, the case where a client cannot know
   * whether SRM acted.
   */
  loseAnswers: Record<string, number>;
  /** Overrides the task RUNNING time, ms. */
  taskDurationMs?: number;
  /** Overrides the task QUEUED time, ms. */
  taskQueuedMs?: number;
}

/** Fault controls exposed as `sim.faults`. */
export interface FaultControls {
  /** Merges `f` into the current faults (`routes`, `dropConnections`, `loseAnswers` entries merged per key). */
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
  return { latencyMs: 0, routes: {}, dropConnections: {}, loseAnswers: {} };
}

/** Decides, per request, which fault applies. Keeps the counters. */
export class FaultState {
  current: Faults = noFaults();

  set(f: Partial<Faults>): void {
    const { routes, dropConnections, loseAnswers, ...rest } = f;
    Object.assign(this.current, rest);
    if (routes) for (const [k, v] of Object.entries(routes)) this.current.routes[k] = { ...v };
    if (dropConnections) Object.assign(this.current.dropConnections, dropConnections);
    if (loseAnswers) Object.assign(this.current.loseAnswers, loseAnswers);
  }

  /** True when this request's answer must be lost after it was carried out (consumes one). */
  takeLostAnswer(route: string): boolean {
    const left = this.current.loseAnswers[route];
    if (!left || left <= 0) return false;
    this.current.loseAnswers[route] = left - 1;
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
