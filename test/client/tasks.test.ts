import type { Task } from "../../provider/api/index.js";
import {
  clearSrmClients,
  FIRST_POLL_MS,
  MAX_POLL_MS,
  nextPollDelay,
  pollDelays,
  TaskTimings,
  waitForTask,
  type SrmClient,
} from "../../provider/client/index.js";
import { expect, expectSrmError, freshClient, requestsTo, startSim, type Simulator } from "./helpers.js";

describe("client: waitForTask", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let client: SrmClient;
  const spec = {
    name: "wait",
    content: "",
    callout_type: "PROMPT" as const,
    timeout_seconds: 0,
    position: 0,
  };
  const start = () => client.createCallout(sim.ids.pairingId, sim.ids.plans["Tier1-Apps"], "recovery", spec);

  beforeEach(async () => {
    sim = await startSim();
    client = freshClient(sim);
  });
  afterEach(async () => {
    clearSrmClients();
    await sim.close();
  });

  it("resolves on SUCCESS and reports each status change", async () => {
    const seen: string[] = [];
    const task = await start();
    const done = await client.waitForTask(task, { onProgress: (t) => seen.push(t.status) });
    expect(done.status).to.equal("SUCCESS");
    expect(seen[0]).to.equal("QUEUED");
    expect(seen[seen.length - 1]).to.equal("SUCCESS");
    // A progress change within one status is reported too; the statuses themselves never go back.
    const statuses = seen.filter((s, i) => s !== seen[i - 1]);
    expect(new Set(statuses).size).to.equal(statuses.length);
  });

  it("turns ERROR into TASK_FAILED with the task's message, details and id", async () => {
    sim.faults.failNextTasks(1, "Callout could not be added: datastore busy");
    const task = await start();
    const err = await expectSrmError(
      sim,
      client.waitForTask(task, { what: 'creating callout "wait"' }),
      "TASK_FAILED",
    );
    expect(err.taskId).to.equal(task.id);
    expect(err.message)
      .to.include("datastore busy")
      .and.include(task.id)
      .and.include('Creating callout "wait"');
    expect(err.details).to.be.a("string");
  });

  it("turns CANCELLED into TASK_CANCELLED", async () => {
    sim.faults.set({ taskDurationMs: 60_000 });
    const task = await start();
    const state = sim.model.tasks.get(task.id)!;
    // Cancel once RUNNING, so the simulator's QUEUED -> RUNNING step does not overwrite it.
    while (state.status !== "RUNNING") await new Promise((r) => setTimeout(r, 5));
    state.status = "CANCELLED";
    state.completeTime = Date.now();
    state.error = { message: "Cancelled by administrator", details: null };
    const err = await expectSrmError(sim, client.waitForTask(task), "TASK_CANCELLED");
    expect(err.taskId).to.equal(task.id);
    expect(err.message).to.include("Cancelled by administrator");
  });

  it("stops at the deadline with TASK_TIMEOUT naming the task, its status and progress", async () => {
    sim.faults.set({ taskDurationMs: 60_000 });
    const task = await start();
    const err = await expectSrmError(sim, client.waitForTask(task, { timeoutMs: 300 }), "TASK_TIMEOUT");
    expect(err.taskId).to.equal(task.id);
    expect(err.message)
      .to.include(task.id)
      .and.match(/last status (QUEUED|RUNNING)/);
    expect(err.details).to.match(/^(QUEUED|RUNNING)/);
  });

  it("a poll that fails keeps the server's error facts and names the task", async () => {
    const task = await start();
    sim.faults.set({ routes: { "GET /tasks/{taskId}": { status: 500, errorCode: "TASK_STORE_DOWN" } } });
    const err = await expectSrmError(sim, client.waitForTask(task), "SERVER_ERROR");
    expect(err).to.include({ status: 500, errorCode: "TASK_STORE_DOWN", taskId: task.id });
    expect(err.opId).to.be.a("string");
    expect(err.message).to.include(task.id).and.include("may still be running");
  });

  it("a poll that hangs does not outlast the deadline", async () => {
    sim.faults.set({ taskDurationMs: 60_000 });
    const task = await start();
    sim.faults.set({ latencyMs: 3_000 });
    const started = Date.now();
    const err = await expectSrmError(sim, client.waitForTask(task, { timeoutMs: 300 }), "TASK_TIMEOUT");
    expect(Date.now() - started).to.be.lessThan(1_500);
    expect(err.taskId).to.equal(task.id);
    expect(err.message).to.include(task.id).and.include("last status QUEUED");
    sim.faults.reset();
  });

  it("polls fast first and backs off to a few seconds", () => {
    const delays = pollDelays();
    const first = Array.from({ length: 30 }, () => delays.next().value);
    expect(first[0]).to.equal(FIRST_POLL_MS).and.be.lessThan(25);
    for (let i = 1; i < first.length; i++) expect(first[i]).to.be.at.least(first[i - 1]);
    expect(first[first.length - 1]).to.equal(MAX_POLL_MS);
    expect(MAX_POLL_MS).to.be.within(1_000, 5_000);
  });

  it("notices a finished task with few polls", async () => {
    const task = await start();
    await client.waitForTask(task);
    // Queued 5 ms + running 20 ms: the fast first polls see SUCCESS within a handful of requests.
    expect(requestsTo(sim, "GET", `/tasks/${task.id}`).length).to.be.within(1, 10);
  });

  it("aims at the end of a task whose operation it has seen before: one poll", async () => {
    // Long enough that the unaimed wait polls many times (about 10) even when a busy machine delays its timers;
    // at 300 ms a stalled event loop once left it 2 polls, fewer than an aimed wait that had to look again.
    sim.faults.set({ taskQueuedMs: 0, taskDurationMs: 1_000 });
    // The first wait has no history: the fast-first backoff alone.
    const first = await start();
    await client.waitForTask(first);
    const task = await start();
    await client.waitForTask(task);
    // Compared with the same run's unaimed wait, so a loaded machine's slower timers cannot fail it.
    const unaimed = requestsTo(sim, "GET", `/tasks/${first.id}`).length;
    const aimed = requestsTo(sim, "GET", `/tasks/${task.id}`).length;
    expect(aimed).to.be.at.least(1).and.be.lessThan(unaimed);
    sim.faults.reset();
  });

  it("looks again within a few ms when the poll aimed at the end found the task still running", () => {
    const timings = new TaskTimings();
    const op = { id: "task-1", description_id: "recoveryplan.callout.create", status: "SUCCESS" } as const;
    timings.notePoll(0, 10); // a round trip of 10 ms
    timings.noteFinished({ ...op, queued_time: 0, complete_time: 200 } as Task);
    // A new task of the same operation, queued at 1000 on SRM's clock, its answer received at local 1005.
    const running = { ...op, id: "task-2", status: "RUNNING", queued_time: 1000 } as Task;
    timings.noteStarted(running, 1005);
    const aimedAt = 1000 + 200; // its predicted end, in this clock (no offset between the clocks here)
    const backoff = pollDelays();
    const delay = nextPollDelay(
      timings,
      running,
      aimedAt + 10,
      1000,
      aimedAt + 10,
      () => backoff.next().value,
    );
    expect(delay).to.be.at.least(1).and.lessThan(FIRST_POLL_MS);
    // Long past the predicted end the usual backoff bounds it again.
    const later = nextPollDelay(timings, running, aimedAt + 5_000, 1000, aimedAt + 5_000, () => 800);
    expect(later).to.equal(800);
  });

  it("extrapolates a running task's progress to poll near its end", async () => {
    sim.faults.set({ taskQueuedMs: 0, taskDurationMs: 1_500 });
    const task = await start();
    const done = await client.waitForTask(task);
    expect(done.status).to.equal("SUCCESS");
    // Backing off from 15 ms by 1.5x takes 10 polls to reach 1.5 s.
    expect(requestsTo(sim, "GET", `/tasks/${task.id}`).length).to.be.within(1, 6);
    sim.faults.reset();
  });

  it("prints progress of a long task through the log sink", async () => {
    const lines: string[] = [];
    let n = 0;
    const started = Date.now();
    // A task source that runs for ~1 s, with a 200 ms log interval instead of the default 5 s.
    const getTask = async (id: string): Promise<Task> => {
      n++;
      const done = Date.now() - started > 1_000;
      return { id, status: done ? "SUCCESS" : "RUNNING", progress: done ? 100 : Math.min(99, n) };
    };
    const done = await waitForTask(
      getTask,
      "task-7",
      { what: 'reprotecting plan "Finance"', logIntervalMs: 200 },
      (l) => lines.push(l),
    );
    expect(done.status).to.equal("SUCCESS");
    expect(lines.length).to.be.at.least(1);
    expect(lines[0]).to.include("task-7").and.include("RUNNING").and.include('Reprotecting plan "Finance"');
  });
});
