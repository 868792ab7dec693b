// Task waits with a per-resource timeout (customTimeouts never reach a dynamic provider) and progress lines
// for long tasks, which the engine shows to the user.
import type { Task } from "../api/index.js";
import { isSrmError, SrmError } from "../client/errors.js";

/** A task that has run this long counts as long: its status changes are reported. */
export const LONG_TASK_MS = 2_000;

/** What {@link waitWithProgress} needs from the client. */
export interface TaskWaiter {
  waitForTask(
    task: Task | string,
    opts?: { timeoutMs?: number; onProgress?: (t: Task) => void; what?: string },
  ): Promise<Task>;
}

/** Options of {@link waitWithProgress}. */
export interface ProgressOptions {
  /** The object, e.g. `Reprotect "finance"`; starts every line and message. */
  label: string;
  /** The resource's task timeout input. */
  timeoutSeconds: number;
  /** Name of that input, for the timeout advice. */
  timeoutInput: string;
  /** Line sink; default stderr. */
  log?: (line: string) => void;
}

/** Writes one line on stderr. */
export function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** One progress line: `srm: Reprotect "x": task <id> RUNNING 40%`. */
export function progressLine(label: string, task: Task): string {
  const progress = task.progress != null && task.status === "RUNNING" ? ` ${task.progress}%` : "";
  return `srm: ${label}: task ${task.id} ${task.status}${progress}`;
}

/**
 * Reports status changes of a long-running operation: nothing during its first {@link LONG_TASK_MS} (short tasks
 * stay quiet), then one line per status change. Returns the reporter and whether it has printed.
 */
export function statusReporter(log: (line: string) => void): {
  report: (status: string, line: string) => void;
  lastStatus: () => string;
  reported: () => boolean;
} {
  const started = Date.now();
  let last = "";
  let printed = false;
  return {
    report(status, line) {
      const changed = status !== last;
      last = status;
      if (Date.now() - started < LONG_TASK_MS) return;
      if (changed || !printed) {
        printed = true;
        log(line);
      }
    },
    lastStatus: () => last,
    reported: () => printed,
  };
}

/** A client message starts with the `what` it was given; the caller's context already names the object. */
function withoutPrefix(message: string, label: string): string {
  return message.startsWith(`${label}: `) ? message.slice(label.length + 2) : message;
}

/**
 * Waits for a task. Once it has run for {@link LONG_TASK_MS}, every status change is reported (the client adds
 * a line every few seconds while nothing changes). On timeout the error names the task and what to do.
 */
export async function waitWithProgress(client: TaskWaiter, task: Task, opts: ProgressOptions): Promise<Task> {
  const reporter = statusReporter(opts.log ?? stderrLine);
  try {
    const done = await client.waitForTask(task, {
      timeoutMs: opts.timeoutSeconds * 1000,
      onProgress: (t) => reporter.report(t.status, progressLine(opts.label, t)),
      what: opts.label,
    });
    if (reporter.reported() && reporter.lastStatus() !== done.status) {
      (opts.log ?? stderrLine)(progressLine(opts.label, done));
    }
    return done;
  } catch (e) {
    if (!isSrmError(e)) throw e;
    const taskId = e.taskId ?? task.id;
    if (e.code === "TASK_TIMEOUT") {
      throw new SrmError(
        "TASK_TIMEOUT",
        `task ${taskId} did not finish within ${opts.timeoutSeconds} s ` +
          `(${opts.timeoutInput}; last status ${e.details ?? "unknown"}). The task may still be running in SRM: ` +
          `watch task ${taskId} in the SRM UI (Recent Tasks); when it has finished run \`pulumi refresh\` and ` +
          `\`pulumi up\` again, or raise ${opts.timeoutInput}.`,
        { taskId, details: e.details },
      );
    }
    throw new SrmError(e.code, withoutPrefix(e.message, opts.label), {
      status: e.status,
      method: e.method,
      path: e.path,
      errorCode: e.errorCode,
      opId: e.opId,
      taskId,
      details: e.details,
    });
  }
}
