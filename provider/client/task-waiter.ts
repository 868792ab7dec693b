// Waits for an SRM task: polls fast first (short tasks finish within tens of milliseconds) and backs off
// to a few seconds, so long tasks cost few requests. Reports progress and stops cleanly at a deadline.
import { TERMINAL_TASK_STATUSES, type Task } from "../api/index.js";
import { clause, isSrmError, serverText, SrmError } from "./errors.js";

/** Options of {@link waitForTask}. */
export interface WaitOptions {
  /** Deadline; default 10 minutes. */
  timeoutMs?: number;
  /** Called whenever status or progress changes. */
  onProgress?: (task: Task) => void;
  /** What the task does, for messages, e.g. `creating callout "Notify"`. */
  what?: string;
  /** A running task prints a progress line through the log at most this often; default 5 s. */
  logIntervalMs?: number;
}

export const DEFAULT_TASK_TIMEOUT_MS = 10 * 60_000;
/** First poll delay; multiplied by {@link POLL_GROWTH} up to {@link MAX_POLL_MS}. */
export const FIRST_POLL_MS = 15;
export const POLL_GROWTH = 1.5;
export const MAX_POLL_MS = 3_000;
/** A long task prints a progress line at most this often. */
export const PROGRESS_LOG_INTERVAL_MS = 5_000;

/** The delays between polls: {@link FIRST_POLL_MS}, growing by {@link POLL_GROWTH}, capped at {@link MAX_POLL_MS}. */
export function* pollDelays(): Generator<number, never> {
  let delay = FIRST_POLL_MS;
  for (;;) {
    yield Math.round(delay);
    delay = Math.min(delay * POLL_GROWTH, MAX_POLL_MS);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function describe(task: Task): string {
  return `${task.status}${task.progress != null ? ` ${task.progress}%` : ""}`;
}

/**
 * Polls `getTask` until the task is SUCCESS (resolves with it), ERROR or CANCELLED (SrmError TASK_FAILED /
 * TASK_CANCELLED with the task's message and details) or the deadline passes (TASK_TIMEOUT naming the task,
 * its last status and progress).
 */
export async function waitForTask(
  getTask: (taskId: string) => Promise<Task>,
  task: Task | string,
  opts: WaitOptions = {},
  log: (line: string) => void = () => undefined,
): Promise<Task> {
  const started = Date.now();
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TASK_TIMEOUT_MS;
  const deadline = started + timeoutMs;
  const taskId = typeof task === "string" ? task : task.id;
  const described = (t: Task) => (t.description ? serverText(t.description, 200) : undefined);
  let what =
    opts.what ?? (typeof task === "string" ? `task ${taskId}` : (described(task) ?? `task ${taskId}`));
  what = what.charAt(0).toUpperCase() + what.slice(1);
  const timedOut = (seen: string) =>
    new SrmError(
      "TASK_TIMEOUT",
      `${what}: task ${taskId} did not finish within ${Math.round(timeoutMs / 1000)} s (last status ${seen}). ` +
        `The task may still be running in SRM; check it there, then raise the task timeout and run again.`,
      { taskId, details: seen },
    );
  // One poll, bounded by the deadline: a request that hangs (or retries) past it must not hold the wait
  // open, and a failed poll keeps its own facts but names the task, which may well still be running.
  const poll = async (seen: string): Promise<Task> => {
    let timer: NodeJS.Timeout | undefined;
    const request = getTask(taskId);
    const expired = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(deadline - Date.now(), 0));
    });
    try {
      const answer = await Promise.race([request, expired]);
      if (answer === undefined) {
        request.catch(() => undefined);
        throw timedOut(seen);
      }
      return answer;
    } catch (e) {
      if (isSrmError(e) && e.taskId === undefined) {
        e.taskId = taskId;
        e.message =
          `${e.message} ${what}: waiting for task ${taskId} stopped; the task may still be running in SRM, ` +
          `so check it there before running again.`;
      }
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };
  let current = typeof task === "string" ? await poll("unknown") : task;
  const description = described(current);
  if (typeof task === "string" && opts.what === undefined && description) {
    what = description.charAt(0).toUpperCase() + description.slice(1);
  }
  let lastSeen = "";
  let lastLog = started;
  const delays = pollDelays();
  for (;;) {
    const seen = describe(current);
    if (seen !== lastSeen) {
      lastSeen = seen;
      opts.onProgress?.(current);
    }
    if (TERMINAL_TASK_STATUSES.includes(current.status)) break;
    const now = Date.now();
    if (now - lastLog >= (opts.logIntervalMs ?? PROGRESS_LOG_INTERVAL_MS)) {
      lastLog = now;
      log(`${what}: task ${taskId} ${seen} after ${Math.round((now - started) / 1000)} s`);
    }
    if (now >= deadline) throw timedOut(seen);
    await sleep(Math.min(delays.next().value, Math.max(deadline - now, 1)));
    current = await poll(seen);
  }
  if (current.status === "SUCCESS") return current;
  // Server text is shown to the user: bounded and without control characters.
  const message = current.error?.message ? serverText(current.error.message) : undefined;
  const details = current.error?.details ? serverText(current.error.details) : undefined;
  if (current.status === "CANCELLED") {
    throw new SrmError(
      "TASK_CANCELLED",
      `${what}: task ${taskId} was cancelled${message ? `: ${clause(message)}` : ""}. Check in SRM who cancelled it and why, then run again.`,
      { taskId, details },
    );
  }
  throw new SrmError(
    "TASK_FAILED",
    `${what}: task ${taskId} failed${message ? `: ${clause(message)}` : ""}${details ? ` (${clause(details)})` : ""}. ` +
      `Correct the cause reported by SRM and run again.`,
    { taskId, details: details ?? message },
  );
}
