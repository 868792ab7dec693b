// How fast a finished SRM task is noticed, and what polling costs, with the adaptive waiter next to a
// fixed-interval loop (what hand-written PowerCLI scripts do), side by side in one run against the simulator.
import type { Task } from "../provider/api/index.js";
import { clearSrmClients, getSrmClient, type SrmClient } from "../provider/client/index.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { median, ms, printTable } from "./stats.js";

const sleep = (t: number) => new Promise<void>((resolve) => setTimeout(resolve, t));

async function fixedIntervalWait(client: SrmClient, taskId: string, intervalMs: number): Promise<Task> {
  for (;;) {
    const task = await client.getTask(taskId);
    if (task.status !== "QUEUED" && task.status !== "RUNNING") return task;
    await sleep(intervalMs);
  }
}

interface Sample {
  lagMs: number;
  polls: number;
}

async function measure(
  sim: Simulator,
  client: SrmClient,
  wait: (taskId: string) => Promise<unknown>,
  runs: number,
): Promise<Sample[]> {
  const { pairingId, plans } = sim.ids;
  const planId = plans["Tier1-Apps"]!;
  const samples: Sample[] = [];
  for (let i = 0; i < runs; i++) {
    const task = await client.createCallout(pairingId, planId, "test", {
      name: `bench-${Date.now()}-${i}`,
      content: "benchmark",
      callout_type: "PROMPT",
      timeout_seconds: 0,
      position: 0,
    });
    const before = sim.requests.length;
    await wait(task.id);
    const noticedAt = Date.now();
    const done = await client.getTask(task.id);
    // The last GET is the one above that reads complete_time, not part of the wait.
    const polls =
      sim.requests.slice(before).filter((r) => r.method === "GET" && r.path.includes("/tasks/")).length - 1;
    samples.push({ lagMs: noticedAt - (done.complete_time ?? noticedAt), polls });
  }
  return samples;
}

/** Runs the task-wait benchmark and prints its figures. */
export async function runTaskWaitBench(runs = 15): Promise<void> {
  const rows: string[][] = [];
  for (const durationMs of [200, 2500]) {
    const sim = await startSimulator({ taskQueuedMs: 10, taskDurationMs: durationMs });
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
      const n = durationMs > 1000 ? Math.max(3, Math.floor(runs / 3)) : runs;
      const variants: [string, (id: string) => Promise<unknown>][] = [
        ["adaptive (waitForTask)", (id) => client.waitForTask(id)],
        ["fixed 1000 ms poll", (id) => fixedIntervalWait(client, id, 1000)],
        ["fixed 100 ms poll", (id) => fixedIntervalWait(client, id, 100)],
      ];
      const results = new Map<string, Sample[]>();
      // Interleave variants so machine noise hits all of them alike.
      for (let i = 0; i < n; i++) {
        for (const [name, wait] of variants) {
          const s = await measure(sim, client, wait, 1);
          results.set(name, [...(results.get(name) ?? []), ...s]);
        }
      }
      const base = median(results.get(variants[0]![0])!.map((s) => s.lagMs));
      for (const [name] of variants) {
        const s = results.get(name)!;
        const lag = median(s.map((x) => x.lagMs));
        rows.push([
          `${durationMs} ms`,
          name,
          String(s.length),
          ms(lag),
          base > 0 ? `${(lag / base).toFixed(1)}x` : "-",
          String(median(s.map((x) => x.polls))),
        ]);
      }
    } finally {
      clearSrmClients();
      await sim.close();
    }
  }
  printTable(
    "Task completion noticed (median lag after the task finished) and GET /tasks polls per task",
    ["task length", "waiter", "runs", "median lag", "vs adaptive", "median polls"],
    rows,
  );
}
