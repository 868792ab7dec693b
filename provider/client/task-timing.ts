// What the task waiter knows about an SRM server's tasks: how long each kind of operation took lately (from
// SRM's own timestamps, so polling delays do not leak into it), the offset between SRM's clock and ours, and
// the round trip. From these it predicts when a task will finish, so a poll can arrive just after that.
import type { Task } from "../api/index.js";

/** Finished tasks remembered per operation. */
export const TIMING_SAMPLES = 16;
/**
 * A prediction is trusted for a single poll when its window is at most this share of the expected duration
 * (and at least {@link MIN_WINDOW_MS}); a wider one is narrowed first by polling at its early end.
 */
export const WINDOW_SHARE = 0.03;
export const MIN_WINDOW_MS = 8;
/** Aim this far past the predicted end, for timer and clock granularity. */
export const AIM_PAST_END_MS = 2;

/** When a task will become terminal, in this process's clock: no earlier than `earliest`, by `latest`. */
export interface FinishWindow {
  earliest: number;
  latest: number;
}

/** Server-side duration of a finished task (queued to complete), or undefined when SRM did not say. */
export function serverDurationMs(task: Task): number | undefined {
  if (task.queued_time == null || task.complete_time == null) return undefined;
  const d = task.complete_time - task.queued_time;
  return d >= 0 ? d : undefined;
}

/** The operation a task performs, as SRM names it; tasks of one operation take similar times. */
export function operationOf(task: Task): string {
  return task.description_id ?? task.description ?? "task";
}

/** Learned task timings of one SRM server. */
export class TaskTimings {
  private readonly durations = new Map<string, number[]>();
  /** SRM clock minus ours, ms; undefined until a task answer gave a reference point. */
  private offset?: number;
  /** Half the round trip of a poll, ms (moving average). */
  private oneWay = 0;

  /** Records the answer that started a task (received at `receivedAt`): it fixes the clock offset. */
  noteStarted(task: Task, receivedAt: number): void {
    if (task.queued_time == null) return;
    // SRM stamped queued_time while handling the request, half a round trip before the answer arrived.
    this.offset = task.queued_time - (receivedAt - this.oneWay);
  }

  /** Records one poll's round trip. */
  notePoll(sentAt: number, receivedAt: number): void {
    const half = Math.max(0, receivedAt - sentAt) / 2;
    this.oneWay = this.oneWay === 0 ? half : this.oneWay * 0.8 + half * 0.2;
  }

  /** Learns a finished task's duration. */
  noteFinished(task: Task): void {
    const d = serverDurationMs(task);
    if (d === undefined) return;
    const key = operationOf(task);
    const list = this.durations.get(key) ?? [];
    list.push(d);
    if (list.length > TIMING_SAMPLES) list.shift();
    this.durations.set(key, list);
  }

  /** Half the round trip: how long before the aimed moment a poll must be sent. */
  get leadMs(): number {
    return this.oneWay;
  }

  /**
   * When `task` (as last seen, at `seenAt` in our clock) will finish. From its progress when SRM reports it
   * (linear extrapolation from start_time, bounded by the 1 % resolution), else from the durations of the same
   * operation seen before. Undefined when neither is known.
   */
  predict(task: Task, seenAt: number): FinishWindow | undefined {
    if (this.offset === undefined) return undefined;
    const toLocal = (serverMs: number) => serverMs - this.offset!;
    const p = task.progress ?? 0;
    if (task.status === "RUNNING" && task.start_time != null && p >= 1 && p <= 99) {
      // progress = floor(100 * elapsed / span) at the moment SRM answered (half a round trip before seenAt).
      const elapsed = seenAt - this.oneWay - toLocal(task.start_time);
      if (elapsed > 0) {
        const start = toLocal(task.start_time);
        return { earliest: start + (elapsed * 100) / (p + 1), latest: start + (elapsed * 100) / p };
      }
    }
    const history = this.durations.get(operationOf(task));
    if (!history || history.length === 0 || task.queued_time == null) return undefined;
    const queued = toLocal(task.queued_time);
    return { earliest: queued + Math.min(...history), latest: queued + Math.max(...history) };
  }

  /** How wide a window may be to aim a single poll at its end. */
  tolerance(window: FinishWindow, startedAt: number): number {
    return Math.max(MIN_WINDOW_MS, (window.latest - startedAt) * WINDOW_SHARE);
  }
}
