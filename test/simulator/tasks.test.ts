import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, pathsOf, SrmCaller, type TaskBody } from "./https-client.js";

describe("simulator: tasks", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  let steps: string;
  const spec = { name: "t", content: "c", callout_type: "RUN_ON_VM", timeout_seconds: 5, position: 0 };
  beforeEach(async () => {
    sim = await startSimulator({ taskQueuedMs: 10, taskDurationMs: 40 });
    caller = await new SrmCaller(sim).login();
    steps = pathsOf(sim).steps("Tier2-DB", "recovery");
  });
  afterEach(async () => {
    await sim.close();
  });

  it("moves QUEUED -> RUNNING -> SUCCESS with epoch-ms times and progress 0..100", async () => {
    sim.faults.set({ taskQueuedMs: 30, taskDurationMs: 150 });
    const started = await caller.request("POST", steps, { body: spec });
    const queued = started.json as TaskBody;
    expect(queued.status).to.equal("QUEUED");
    expect(queued.progress).to.equal(0);
    expect(queued.queued_time).to.be.a("number").and.greaterThan(1.6e12);
    expect(queued.start_time).to.equal(null);
    const seen = new Set<string>();
    let last: TaskBody = queued;
    while (!["SUCCESS", "ERROR"].includes(last.status)) {
      last = (await caller.get<TaskBody>(`/tasks/${queued.id}`)).json;
      seen.add(last.status);
      expect(last.progress).to.be.within(0, 100);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect([...seen]).to.include.members(["RUNNING", "SUCCESS"]);
    expect(last.progress).to.equal(100);
    expect(last.start_time).to.be.at.least(last.queued_time as number);
    expect(last.complete_time).to.be.at.least(last.start_time as number);
    expect(last).not.to.have.property("error");
  });

  it("spreads running times by taskJitter around taskDurationMs", async () => {
    sim.faults.set({ taskQueuedMs: 0, taskDurationMs: 100, taskJitter: 0.5 });
    for (let i = 0; i < 12; i++) {
      expect((await caller.request("POST", steps, { body: { ...spec, name: `t${i}` } })).status).to.equal(
        202,
      );
    }
    await new Promise((r) => setTimeout(r, 400));
    const planned = [...sim.model.tasks.values()].map(
      (t) => (t.plannedCompleteTime ?? 0) - (t.startTime ?? 0),
    );
    expect(planned).to.have.length(12);
    for (const d of planned) expect(d).to.be.within(50, 150);
    expect(new Set(planned).size, "running times differ").to.be.greaterThan(1);
  });

  it("applies side effects only when the task succeeds", async () => {
    sim.faults.set({ taskDurationMs: 200 });
    const before = sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery").length;
    const started = await caller.request("POST", steps, { body: spec });
    expect(sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery")).to.have.length(before);
    await caller.waitTask((started.json as TaskBody).id);
    expect(sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery")).to.have.length(before + 1);
  });

  it("fails the next N tasks with the given message and no side effect", async () => {
    sim.faults.failNextTasks(2, "Datastore busy");
    const before = sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery").length;
    const a = await caller.runTask("POST", steps, spec);
    const b = await caller.runTask("POST", steps, spec);
    const c = await caller.runTask("POST", steps, spec);
    expect([a.status, b.status, c.status]).to.deep.equal(["ERROR", "ERROR", "SUCCESS"]);
    expect(a.error?.message).to.equal("Datastore busy");
    expect(a.error?.details).to.be.a("string");
    expect(sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery")).to.have.length(before + 1);
  });

  it("answers 404 for an unknown task and lists recent tasks newest first, paged", async () => {
    expect((await caller.get("/tasks/task-999")).status).to.equal(404);
    const first = await caller.runTask("POST", steps, spec);
    const second = await caller.runTask("POST", steps, spec);
    const answer = await caller.get<{ list: TaskBody[]; _meta: { total: number } }>("/tasks?limit=1");
    expect(answer.json._meta.total).to.equal(2);
    expect(answer.json.list.map((t) => t.id)).to.deep.equal([second.id]);
    const rest = await caller.get<{ list: TaskBody[] }>("/tasks?offset=1");
    expect(rest.json.list.map((t) => t.id)).to.deep.equal([first.id]);
  });

  it("ends a cancelled task as CANCELLED without its side effect", async () => {
    sim.faults.set({ taskDurationMs: 60_000 });
    const before = sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery").length;
    const started = (await caller.request("POST", steps, { body: spec })).json as TaskBody;
    expect(sim.model.cancelTask(started.id, "Cancelled by administrator")).to.equal(true);
    const done = await caller.waitTask(started.id);
    expect(done.status).to.equal("CANCELLED");
    expect(done.error?.message).to.equal("Cancelled by administrator");
    expect(sim.model.cancelTask(started.id)).to.equal(false);
    expect(sim.model.stepsOf(sim.ids.plans["Tier2-DB"], "recovery")).to.have.length(before);
  });
});
