import type { Task } from "../../provider/api/index.js";
import { clearSrmClients, isSrmError, type SrmClient } from "../../provider/client/index.js";
import { expect, freshClient, requestsTo, startSim, type Simulator } from "./helpers.js";

describe("client: concurrent task waits share their polls", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let client: SrmClient;

  beforeEach(async () => {
    // Long enough that every wait polls several times with the fast-first backoff.
    sim = await startSim({ taskQueuedMs: 0, taskDurationMs: 200 });
    client = freshClient(sim);
  });
  afterEach(async () => {
    clearSrmClients();
    await sim.close();
  });

  const start = (n: number): Promise<Task[]> =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        client.createCallout(sim.ids.pairingId, sim.ids.plans["Tier1-Apps"]!, "recovery", {
          name: `batch-${i}`,
          content: "",
          callout_type: "PROMPT",
          timeout_seconds: 0,
          position: 0,
        }),
      ),
    );
  /** The combined polls: `GET /tasks` with the id filter. */
  const batched = () => requestsTo(sim, "GET", "/tasks").filter((r) => r.query.filter_property === "id");
  const filterValues = (query: Record<string, unknown>) => ([] as unknown[]).concat(query.filter ?? []);
  const singlePolls = () => sim.requests.filter((r) => r.method === "GET" && /\/tasks\/[^/?]+$/.test(r.path));

  it("20 waits poll with a few filtered GET /tasks, each resolving with its own task", async () => {
    const tasks = await start(20);
    const done = await Promise.all(tasks.map((t) => client.waitForTask(t)));
    done.forEach((d, i) => {
      expect(d.id).to.equal(tasks[i]!.id);
      expect(d.status).to.equal("SUCCESS");
    });
    // One at a time, each wait polls about six times over 200 ms (15, 22, 34, 50, 75 ms ...): 100+ requests.
    const combined = batched();
    const polls = combined.length + singlePolls().length;
    expect(polls, `poll requests for 20 waits`).to.be.below(40);
    expect(combined, "the filtered route is used").to.have.length.above(0);
    console.log(
      "DBG",
      polls,
      combined.length,
      singlePolls()
        .map((r) => r.path.split("/").pop())
        .join(","),
      combined.map((r) => filterValues(r.query).length).join(","),
    );
    // Waits started on either side of a poll-grid boundary fall due apart, so a task may be polled alone; the
    // rounds of the rest still go out together.
    expect(
      Math.max(...combined.map((r) => filterValues(r.query).length)),
      "tasks in the largest batch",
    ).to.be.at.least(10);
    const single = new Set(singlePolls().map((r) => r.path.split("/").pop()));
    for (const t of tasks) {
      expect(
        combined.some((r) => filterValues(r.query).includes(t.id)) || single.has(t.id),
        `task ${t.id} polled`,
      ).to.equal(true);
    }
  });

  it("a failed task in a batch rejects only its own wait, with TASK_FAILED and its id", async () => {
    sim.faults.failNextTasks(1, "Callout could not be added: datastore busy");
    const tasks = await start(6);
    const failed = tasks.find((t) => sim.model.tasks.get(t.id)!.error !== undefined) ?? tasks[0]!;
    const outcomes = await Promise.allSettled(tasks.map((t) => client.waitForTask(t)));
    expect(batched(), "the filtered route is used").to.have.length.above(0);
    outcomes.forEach((o, i) => {
      const id = tasks[i]!.id;
      if (o.status === "fulfilled") {
        expect(o.value.id).to.equal(id);
        expect(o.value.status).to.equal("SUCCESS");
        return;
      }
      expect(id, "only the failed task's wait rejects").to.equal(failed.id);
      expect(isSrmError(o.reason) && o.reason.code).to.equal("TASK_FAILED");
      expect(isSrmError(o.reason) && o.reason.taskId).to.equal(id);
      expect(String((o.reason as Error).message))
        .to.include("datastore busy")
        .and.include(id);
    });
    expect(outcomes.filter((o) => o.status === "rejected")).to.have.length(1);
  });

  it("polls alone a task the answer left out (a server that ignores the filter)", async () => {
    sim.faults.set({ ignoreFilters: true });
    const tasks = await start(5);
    // Newer tasks fill the unfiltered page, so the waited ones are never in it.
    await start(10);
    const done = await Promise.all(tasks.map((t) => client.waitForTask(t)));
    done.forEach((d, i) => {
      expect(d.id).to.equal(tasks[i]!.id);
      expect(d.status).to.equal("SUCCESS");
    });
    expect(batched(), "the filtered form was tried").to.have.length.above(0);
    for (const t of tasks) {
      expect(
        singlePolls().some((r) => r.path.endsWith(`/tasks/${t.id}`)),
        `task ${t.id} polled alone`,
      ).to.equal(true);
    }
  });

  it("stops combining polls for good after the server refuses the filter with 400", async () => {
    sim.faults.set({ routes: { "GET /tasks": { status: 400, errorCode: "INVALID_QUERY" } } });
    const first = await start(5);
    const done = await Promise.all(first.map((t) => client.waitForTask(t)));
    done.forEach((d, i) => expect(d.id).to.equal(first[i]!.id));
    expect(batched(), "one refused filtered request").to.have.length(1);
    expect(batched()[0]!.status).to.equal(400);
    expect(client.taskPolls.batching).to.equal(false);
    const second = await start(5);
    await Promise.all(second.map((t) => client.waitForTask(t)));
    expect(batched(), "no filtered request after the refusal").to.have.length(1);
    for (const t of second)
      expect(singlePolls().some((r) => r.path.endsWith(`/tasks/${t.id}`))).to.equal(true);
  });

  it("retries a combined poll SRM answers 503, and keeps combining", async () => {
    sim.faults.set({ routes: { "GET /tasks": { status: 503, count: 1, retryAfterSeconds: 0 } } });
    const tasks = await start(5);
    const done = await Promise.all(tasks.map((t) => client.waitForTask(t)));
    done.forEach((d, i) => expect(d.id).to.equal(tasks[i]!.id));
    expect(batched()[0]!.status).to.equal(503);
    expect(batched()[1]!.status, "combined polls go on").to.equal(200);
    expect(client.taskPolls.batching).to.equal(true);
  });

  it("a lone wait polls GET /tasks/{id} only", async () => {
    const [task] = await start(1);
    await client.waitForTask(task!);
    expect(batched()).to.have.lengthOf(0);
    expect(singlePolls().length).to.be.greaterThan(0);
  });
});
