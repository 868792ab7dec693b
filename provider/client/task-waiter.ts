// Waits for an SRM task. With what the server's timings tell (the task's progress, how long the same
// operation took before) each poll is aimed at the moment the task should finish, so a finished task is
// noticed within milliseconds at a few requests per task; without them it polls fast first and backs off
// to a few seconds. Reports progress and stops cleanly at a deadline.
import { TERMINAL_TASK_STATUSES, type Task } from "../api/index.js";
import { clause, isSrmError, serverText, SrmError } from "./errors.js";
import { onPollGrid } from "./task-poll-batcher.js";
import { AIM_PAST_END_MS, TaskTimings } from "./task-timing.js";

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
/** Longest single wait aimed by a prediction: a task whose progress is not linear is still looked at. */
export const MAX_PREDICTED_WAIT_MS = 10_000;
/** Without a prediction, a wait is at most this share of the time waited so far (bounds the lag relative to it). */
export const FALLBACK_SHARE = 0.25;
/** Shortest wait after a poll that found a task still running past its predicted end. */
export const OVERRUN_FIRST_MS = 2;

/** The delays between polls: {@link FIRST_POLL_MS}, growing by {@link POLL_GROWTH}, capped at {@link MAX_POLL_MS}. */
export function* pollDelays(): Generator<number, never> {
  let delay = FIRST_POLL_MS;
  for (;;) {
    yield Math.round(delay);
    delay = Math.min(delay * POLL_GROWTH, MAX_POLL_MS);
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The wait before the next poll. A narrow predicted window is aimed at its end (one poll sees the task done);
 * a wide one at its beginning, where the answer's progress narrows it; inside a wide window it steps by the
 * tolerance. A prediction that has just passed (the task is ending) looks again soon; without one, or once it
 * proved wrong, the fast-first backoff applies, moved by `align` when given (a poll led by a prediction is never
 * moved: it is aimed at the task's end).
 */
export function nextPollDelay(
  timings: TaskTimings,
  task: Task,
  seenAt: number,
  startedAt: number,
  now: number,
  fallback: () => number,
  align: (now: number, delay: number) => number = (_, delay) => delay,
): number {
  const window = timings.predict(task, seenAt);
  const lead = timings.leadMs;
  if (window && window.latest + AIM_PAST_END_MS - lead > now) {
    const tolerance = timings.tolerance(window, startedAt);
    let at: number;
    if (window.latest - window.earliest <= tolerance) at = window.latest + AIM_PAST_END_MS;
    else if (window.earliest - lead > now) at = window.earliest;
    else at = Math.min(window.latest + AIM_PAST_END_MS, now + lead + tolerance);
    return Math.min(Math.max(at - lead - now, 1), MAX_PREDICTED_WAIT_MS);
  }
  if (window) {
    // The poll aimed at the end came a moment too early: the task is ending now, so the next look comes after a
    // share of the overrun, not after the backoff's first step; a task that keeps running backs off as usual.
    const overrun = now - (window.latest + AIM_PAST_END_MS - lead);
    return Math.max(1, Math.min(fallback(), Math.max(OVERRUN_FIRST_MS, overrun * FALLBACK_SHARE)));
  }
  return align(
    now,
    Math.max(1, Math.min(fallback(), Math.max(FIRST_POLL_MS, (now - startedAt) * FALLBACK_SHARE))),
  );
}

/**
 * A source of task answers that notes each request's round trip in the timings itself, as
 * {@link TaskPollBatcher} does for the polls it combines. Its unpredicted polls are put on a shared grid so
 * concurrent waits fall due together.
 */
export interface TaskPoller {
  /** The task as SRM shows it now. */
  poll(taskId: string): Promise<Task>;
}

function describe(task: Task): string {
  return `${task.status}${task.progress != null ? ` ${task.progress}%` : ""}`;
}

/**
 * Polls `getTask` (a function, or a {@link TaskPoller}) until the task is SUCCESS (resolves with it), ERROR or CANCELLED (SrmError TASK_FAILED /
 * TASK_CANCELLED with the task's message and details) or the deadline passes (TASK_TIMEOUT naming the task,
 * its last status and progress).
 */
export async function waitForTask(
  getTask: ((taskId: string) => Promise<Task>) | TaskPoller,
  task: Task | string,
  opts: WaitOptions = {},
  log: (line: string) => void = () => undefined,
  timings: TaskTimings = new TaskTimings(),
): Promise<Task> {
  const started = Date.now();
  if (typeof task !== "string") timings.noteStarted(task, started);
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
    const sentAt = Date.now();
    const request =
      typeof getTask === "function"
        ? getTask(taskId).then((answer) => {
            timings.notePoll(sentAt, Date.now());
            return answer;
          })
        : getTask.poll(taskId);
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
  let seenAt = Date.now();
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
    const delay = nextPollDelay(
      timings,
      current,
      seenAt,
      started,
      now,
      () => delays.next().value,
      typeof getTask === "function" ? undefined : onPollGrid,
    );
    await sleep(Math.min(delay, Math.max(deadline - now, 1)));
    current = await poll(seen);
    seenAt = Date.now();
  }
  timings.noteFinished(current);
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
