// What users write by hand today, in the style of VMware's SRM REST samples: for each callout, log in, create
// it, poll its task at a fixed interval, log out; one callout after another, a new connection per request.
// Run against the same simulator settings as the provider, for comparison.
import * as https from "node:https";
import { startSimulator } from "pulumi-srm-simulator";

/** What the baseline measured. */
export interface BaselineFigures {
  resources: number;
  poll_ms: number;
  up_ms: number;
  floor_ms: number;
  requests: number;
  requests_per_create: number;
}

function call(
  url: string,
  ca: string,
  method: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      url,
      {
        method,
        ca,
        agent: false,
        headers: { ...headers, ...(data ? { "content-type": "application/json" } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (d: Buffer) => (text += d.toString()));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, json: text ? JSON.parse(text) : undefined }),
        );
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Creates `resources` callouts in one plan the samples' way and measures it. */
export async function runSamplesBaseline(
  resources: number,
  taskMs: number,
  rttMs: number,
  pollMs = 500,
): Promise<BaselineFigures> {
  const sim = await startSimulator({ taskQueuedMs: 0, taskDurationMs: taskMs });
  sim.faults.set({ latencyMs: rttMs });
  try {
    const planId = sim.ids.plans["Tier1-Apps"]!;
    const basic = Buffer.from(`${sim.credentials.username}:${sim.credentials.password}`).toString("base64");
    const stepsUrl = `${sim.url}/pairings/${sim.ids.pairingId}/recovery-management/plans/${planId}/recovery-steps/recovery`;
    const started = Date.now();
    const start = performance.now();
    for (let i = 0; i < resources; i++) {
      const login = await call(`${sim.url}/session`, sim.caCert, "POST", { authorization: `Basic ${basic}` });
      const session = { "x-dr-session": (login.json as { session_id: string }).session_id };
      let task = (
        await call(stepsUrl, sim.caCert, "POST", session, {
          name: `Step ${i}`,
          content: `Check service ${i} before the next priority group.`,
          callout_type: "PROMPT",
          timeout_seconds: 0,
          position: 0,
        })
      ).json as { id: string; status: string };
      while (task.status === "QUEUED" || task.status === "RUNNING") {
        await sleep(pollMs);
        task = (await call(`${sim.url}/tasks/${task.id}`, sim.caCert, "GET", session)).json as typeof task;
      }
      if (task.status !== "SUCCESS") throw new Error(`baseline task ${task.id} ended ${task.status}`);
      await call(`${sim.url}/session`, sim.caCert, "DELETE", session);
    }
    const upMs = performance.now() - start;
    let floor = 0;
    for (const t of sim.model.tasks.values()) {
      if (t.queuedTime >= started && t.completeTime !== null) floor += t.completeTime - t.queuedTime;
    }
    const requests = sim.requests.length;
    return {
      resources,
      poll_ms: pollMs,
      up_ms: upMs,
      floor_ms: floor,
      requests,
      requests_per_create: requests / resources,
    };
  } finally {
    await sim.close();
  }
}
