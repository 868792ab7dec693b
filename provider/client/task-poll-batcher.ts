// Polls of several tasks that fall due together go out as one `GET /tasks?filter_property=id&filter=...`
// (SRM's `getRecentTasksInfo` filters any list by a field, several values meaning any of them), so a stack
// waiting on many plans' tasks at once pays one request per round instead of one per task. A lone poll stays
// `GET /tasks/{id}`. A task the filtered answer leaves out (a server that ignores the filter and answers its
// most recent tasks) is polled alone; a server that refuses the filter (400) is never asked for it again.
import type { Task } from "../api/index.js";
import { isSrmError } from "./errors.js";
import type { TaskTimings } from "./task-timing.js";

/** Most ids one filtered request carries: SRM's default page size is 100, and URLs must stay short. */
export const MAX_TASKS_PER_POLL = 50;
/**
 * Polls without a prediction are sent on this grid of the process clock (ms), so waiters that started apart
 * fall due in the same moment and share a request.
 */
export const UNPREDICTED_POLL_GRID_MS = 10;

/** How the batcher reaches SRM. */
export interface TaskPollRequests {
  /** `GET /tasks/{id}`. */
  one(taskId: string): Promise<Task>;
  /** `GET /tasks?filter_property=id&filter=<id>...&limit=<n>`: the answer's tasks, whichever they are. */
  many(taskIds: string[]): Promise<Task[]>;
}

interface DuePoll {
  taskId: string;
  resolve: (task: Task) => void;
  reject: (error: unknown) => void;
}

/** Coalesces the task polls of one SRM server that fall due in the same turn of the event loop. */
export class TaskPollBatcher {
  private due: DuePoll[] = [];
  private flushing = false;
  /** False once the server refused the filtered form. */
  private filterWorks = true;

  constructor(
    private readonly requests: TaskPollRequests,
    private readonly timings: TaskTimings,
  ) {}

  /** Whether polls are still combined (false after the server refused the filter). */
  get batching(): boolean {
    return this.filterWorks;
  }

  /** The task as SRM shows it now; each request's round trip is noted in the timings. */
  poll(taskId: string): Promise<Task> {
    return new Promise<Task>((resolve, reject) => {
      this.due.push({ taskId, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Timers that expire in the same millisecond all run before the check phase: their polls meet here.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const due = this.due;
    this.due = [];
    this.flushing = false;
    const byId = new Map<string, DuePoll[]>();
    for (const p of due) byId.set(p.taskId, [...(byId.get(p.taskId) ?? []), p]);
    const ids = [...byId.keys()];
    if (ids.length === 1 || !this.filterWorks) {
      for (const id of ids) void this.alone(id, byId.get(id)!);
      return;
    }
    for (let i = 0; i < ids.length; i += MAX_TASKS_PER_POLL) {
      const chunk = ids.slice(i, i + MAX_TASKS_PER_POLL);
      void this.together(chunk.map((id) => [id, byId.get(id)!] as const));
    }
  }

  private async alone(taskId: string, waiting: DuePoll[]): Promise<void> {
    const sentAt = Date.now();
    try {
      const task = await this.requests.one(taskId);
      this.timings.notePoll(sentAt, Date.now());
      for (const p of waiting) p.resolve(task);
    } catch (e) {
      for (const p of waiting) p.reject(e);
    }
  }

  private async together(chunk: (readonly [string, DuePoll[]])[]): Promise<void> {
    const sentAt = Date.now();
    let answer: Task[];
    try {
      answer = await this.requests.many(chunk.map(([id]) => id));
      this.timings.notePoll(sentAt, Date.now());
    } catch (e) {
      // The filter is part of SRM's spec; a server that calls it malformed will not learn it later.
      if (isSrmError(e) && e.status === 400) this.filterWorks = false;
      // Any failure of the combined form: each task is asked alone, whose error (if any) names that task.
      answer = [];
    }
    const found = new Map(answer.map((t) => [t.id, t]));
    for (const [id, waiting] of chunk) {
      const task = found.get(id);
      if (task) for (const p of waiting) p.resolve(task);
      else void this.alone(id, waiting);
    }
  }
}

/** The moment `delay` ms from `now`, moved later onto the {@link UNPREDICTED_POLL_GRID_MS} grid: the delay to it. */
export function onPollGrid(now: number, delay: number): number {
  const at = Math.ceil((now + delay) / UNPREDICTED_POLL_GRID_MS) * UNPREDICTED_POLL_GRID_MS;
  return Math.max(at - now, 1);
}
