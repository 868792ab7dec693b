// How fast a finished SRM task is noticed and what polling costs: the provider's waiter next to a fixed 500 ms
// loop (VMware's samples), over tasks of 0.2 s, 1 s and 5 s whose running times spread ±50 %, SRM `rttMs`
// away. Tasks run several at once (as in a stack spread over plans); each round after the first finds what
// the waiter learned from the previous ones, as later tasks of a run do.
import type { Task } from "../provider/api/index.js";
import { clearSrmClients, getSrmClient, type SrmClient } from "../provider/client/index.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { median, percentile } from "./stats.js";

const sleep = (t: number) => new Promise<void>((resolve) => setTimeout(resolve, t));

/** Lag and polls of one waiter over one task length. */
export interface WaitFigures {
  task_s: number;
  waiter: string;
  tasks: number;
  lag_median_ms: number;
  lag_p95_ms: number;
  polls_median: number;
}

async function fixedIntervalWait(client: SrmClient, taskId: string, intervalMs: number): Promise<Task> {
  for (;;) {
    await sleep(intervalMs);
    const task = await client.getTask(taskId);
    if (task.status !== "QUEUED" && task.status !== "RUNNING") return task;
  }
}

async function measure(
  sim: Simulator,
  client: SrmClient,
  wait: (task: Task) => Promise<unknown>,
  concurrent: number,
): Promise<{ lagMs: number; polls: number }[]> {
  const { pairingId, plans } = sim.ids;
  const planId = plans["Tier1-Apps"]!;
  return Promise.all(
    Array.from({ length: concurrent }, async (_, i) => {
      const task = await client.createCallout(pairingId, planId, "recovery", {
        name: `bench-${Date.now()}-${i}`,
        content: "benchmark",
        callout_type: "PROMPT",
        timeout_seconds: 0,
        position: 0,
      });
      await wait(task);
      const noticedAt = Date.now();
      const state = sim.model.tasks.get(task.id)!;
      // A poll is a read of this task alone or a combined read whose id filter names it.
      const polls = sim.requests.filter(
        (r) =>
          r.method === "GET" &&
          (r.path.endsWith(`/tasks/${task.id}`) ||
            (r.path.endsWith("/tasks") && ([] as unknown[]).concat(r.query.filter ?? []).includes(task.id))),
      ).length;
      return { lagMs: noticedAt - (state.completeTime ?? noticedAt), polls };
    }),
  );
}

/** Runs the task-wait benchmark; returns one row per task length and waiter. */
export async function runTaskWaitBench(rttMs: number, rounds = 3, concurrent = 10): Promise<WaitFigures[]> {
  const rows: WaitFigures[] = [];
  for (const seconds of [0.2, 1, 5]) {
    const sim = await startSimulator({ taskQueuedMs: 0, taskDurationMs: seconds * 1000, taskJitter: 0.5 });
    sim.faults.set({ latencyMs: rttMs });
    try {
      clearSrmClients();
      const client = getSrmClient({
        url: sim.url,
        username: sim.credentials.username,
        password: sim.credentials.password,
        tls: { thumbprint: sim.thumbprintSha256 },
        log: () => undefined,
      });
      await client.login();
      const variants: [string, (task: Task) => Promise<unknown>][] = [
        ["provider waiter", (task) => client.waitForTask(task)],
        ["fixed 500 ms poll", (task) => fixedIntervalWait(client, task.id, 500)],
      ];
      for (const [name, wait] of variants) {
        const samples: { lagMs: number; polls: number }[] = [];
        for (let r = 0; r < rounds; r++) samples.push(...(await measure(sim, client, wait, concurrent)));
        rows.push({
          task_s: seconds,
          waiter: name,
          tasks: samples.length,
          lag_median_ms: median(samples.map((s) => s.lagMs)),
          lag_p95_ms: percentile(
            samples.map((s) => s.lagMs),
            95,
          ),
          polls_median: median(samples.map((s) => s.polls)),
        });
      }
    } finally {
      clearSrmClients();
      await sim.close();
    }
  }
  return rows;
}
