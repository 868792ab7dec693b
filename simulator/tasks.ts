import type { TaskState } from "./model.js";

/** Thrown by a task's work to end the task in ERROR with this message (as SRM reports it). */
export class TaskFailure extends Error {
  constructor(
    message: string,
    readonly details: string | null = null,
  ) {
    super(message);
  }
}

/** What a task does. `run` applies the side effects when the task succeeds and returns its `result`. */
export interface TaskWork {
  /** Called when the task leaves QUEUED (e.g. a plan goes REPROTECT_IN_PROGRESS). */
  onStart?(): void;
  /**
   * Applies the effect; throw {@link TaskFailure} to fail the task. The result is usually an object, but
   * some operations document a list (placeholder datastores, suitable datastores).
   */
  run(): Record<string, unknown> | unknown[] | null | void;
  /**
   * Called when the task ends in ERROR (injected or thrown) or is cancelled, e.g. to mark a plan
   * INCOMPLETE_REPROTECT (or REPROTECT_INTERRUPTED when cancelled).
   */
  onError?(message: string, cancelled: boolean): void;
}

export interface TaskTiming {
  queuedMs(): number;
  durationMs(): number;
}

const DEFAULT_INJECTED_MESSAGE = "A general system error occurred: injected task failure";

/**
 * Moves tasks QUEUED -> RUNNING -> SUCCESS | ERROR on timers. Side effects happen at completion, so a
 * client that does not wait for the task does not see them yet, as with SRM.
 */
export class TaskRunner {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly injected: string[] = [];

  constructor(
    private readonly timing: TaskTiming,
    private readonly log: (line: string) => void,
  ) {}

  /** The next `n` tasks (and reconciliation jobs) fail with `message`. */
  failNextTasks(n: number, message = DEFAULT_INJECTED_MESSAGE): void {
    for (let i = 0; i < n; i++) this.injected.push(message);
  }

  clearInjected(): void {
    this.injected.length = 0;
  }

  /** Takes one injected failure, if any is pending. */
  takeInjectedFailure(): string | undefined {
    return this.injected.shift();
  }

  /** Schedules `fn` after `ms`, cancelled by {@link close}. */
  after(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  start(task: TaskState, work: TaskWork): TaskState {
    const injected = this.takeInjectedFailure();
    task.onCancel = (message) => work.onError?.(message, true);
    this.log(`task ${task.id} QUEUED: ${task.description}`);
    this.after(this.timing.queuedMs(), () => {
      if (task.status !== "QUEUED") return; // cancelled meanwhile (tests do that through the model)
      const duration = this.timing.durationMs();
      task.status = "RUNNING";
      task.startTime = Date.now();
      task.plannedCompleteTime = task.startTime + duration;
      work.onStart?.();
      this.log(`task ${task.id} RUNNING`);
      this.after(duration, () => this.finish(task, work, injected));
    });
    return task;
  }

  private finish(task: TaskState, work: TaskWork, injected: string | undefined): void {
    if (task.status !== "RUNNING") return; // cancelled meanwhile: no side effects
    try {
      if (injected !== undefined)
        throw new TaskFailure(injected, "Failure injected by the simulator's fault controls.");
      const result = work.run();
      task.result = result ?? null;
      task.status = "SUCCESS";
    } catch (err) {
      const failure =
        err instanceof TaskFailure ? err : new TaskFailure(`A general system error occurred: ${String(err)}`);
      task.status = "ERROR";
      task.error = { message: failure.message, details: failure.details };
      work.onError?.(failure.message, false);
    }
    task.completeTime = Date.now();
    this.log(`task ${task.id} ${task.status}${task.error ? `: ${task.error.message}` : ""}`);
  }

  /** Stops every pending timer; tasks in flight stay where they are. */
  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Timers still pending (0 once every task and job has finished). */
  get pendingTimers(): number {
    return this.timers.size;
  }
}
