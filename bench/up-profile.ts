// Where the time of `up` goes above its floor, from the simulator's own records: the SRM requests of the run by
// route, and per plan the idle time SRM saw between one step task's end and the next one's arrival (the time
// the provider and the engine spent between tasks), plus the lead-in before the first task and the tail after
// the last one.
import type { Simulator } from "pulumi-srm-simulator";
import { median, percentile } from "./stats.js";

/** What {@link upProfile} found. */
export interface UpProfile {
  /** SRM requests of the run per route ("GET /tasks/{task_id}"), most frequent first. */
  requests_by_route: Record<string, number>;
  /** Idle time of a plan between a task's completion and the next task's arrival, ms: median and p95. */
  gap_median_ms: number;
  gap_p95_ms: number;
  /** Sum of those gaps of the plan with the most tasks, ms. */
  gap_total_ms: number;
  /**
   * The median gap in three parts, ms: from the task's completion to the poll that saw it (`detect`), from that
   * poll to the plan's last step listing that arrived before the next insert (`list`, 0 without one), from there
   * to the next task's arrival (`post`).
   */
  gap_parts_median_ms: { detect: number; list: number; post: number };
  /** From the first SRM request to the first task's arrival, ms. */
  lead_in_ms: number;
  /** From the last task's completion to the end of the run, ms. */
  tail_ms: number;
}

/** Profiles the requests from index `mark` on and the tasks queued since `since` (epoch ms), run ended at `end`. */
export function upProfile(sim: Simulator, mark: number, since: number, end: number): UpProfile {
  const requests = sim.requests.slice(mark);
  const routes: Record<string, number> = {};
  for (const r of requests) routes[r.route] = (routes[r.route] ?? 0) + 1;
  const perPlan = new Map<string, { id: string; queued: number; complete: number }[]>();
  for (const t of sim.model.tasks.values()) {
    if (t.queuedTime < since || t.completeTime === null || !t.entity) continue;
    const list = perPlan.get(t.entity) ?? [];
    list.push({ id: t.id, queued: t.queuedTime, complete: t.completeTime });
    perPlan.set(t.entity, list);
  }
  const parts = { detect: [] as number[], list: [] as number[], post: [] as number[] };
  for (const [planId, list] of perPlan) {
    list.sort((a, b) => a.queued - b.queued);
    list.slice(1).forEach((next, i) => {
      const t = list[i]!;
      const seen = requests.find(
        (r) => r.method === "GET" && r.path.endsWith(`/tasks/${t.id}`) && r.time >= t.complete,
      );
      if (!seen) return;
      // The insert that queued the next task: the last one into the plan to arrive before it was queued.
      const inserted = requests.filter(
        (r) =>
          r.method === "POST" && r.time <= next.queued && r.path.includes(`/plans/${planId}/recovery-steps/`),
      );
      const postedAt = inserted[inserted.length - 1]?.time ?? next.queued;
      // A listing of the plan that arrived before that insert (an insert that needs one waits for it; one that
      // confirms the previous step is sent beside the insert and may arrive first).
      const listed = requests.find(
        (r) =>
          r.method === "GET" &&
          r.time >= seen.time &&
          r.time < postedAt &&
          r.path.includes(`/plans/${planId}/recovery-steps/`) &&
          !r.path.includes("/callout-data"),
      );
      parts.detect.push(seen.time - t.complete);
      parts.list.push(listed ? listed.time - seen.time : 0);
      parts.post.push(next.queued - (listed ?? seen).time);
    });
  }
  const gaps: number[] = [];
  let busiest: number[] = [];
  let firstQueued = Infinity;
  let lastComplete = 0;
  for (const list of perPlan.values()) {
    list.sort((a, b) => a.queued - b.queued);
    const planGaps = list.slice(1).map((t, i) => t.queued - list[i]!.complete);
    gaps.push(...planGaps);
    if (planGaps.length > busiest.length) busiest = planGaps;
    firstQueued = Math.min(firstQueued, list[0]!.queued);
    lastComplete = Math.max(lastComplete, list[list.length - 1]!.complete);
  }
  const first = requests[0]?.time ?? since;
  return {
    requests_by_route: Object.fromEntries(Object.entries(routes).sort((a, b) => b[1] - a[1])),
    gap_median_ms: gaps.length ? median(gaps) : 0,
    gap_p95_ms: gaps.length ? percentile(gaps, 95) : 0,
    gap_total_ms: busiest.reduce((a, b) => a + b, 0),
    gap_parts_median_ms: {
      detect: parts.detect.length ? median(parts.detect) : 0,
      list: parts.list.length ? median(parts.list) : 0,
      post: parts.post.length ? median(parts.post) : 0,
    },
    lead_in_ms: Number.isFinite(firstQueued) ? firstQueued - first : 0,
    tail_ms: lastComplete > 0 ? end - lastComplete : 0,
  };
}
