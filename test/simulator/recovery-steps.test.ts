import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, pathsOf, SrmCaller } from "./https-client.js";

interface StepBody {
  id: number;
  title: string;
  step_number: string;
  depth: number;
  status: string;
  plan_callout_position_spec?: { position_spec_index: number; position_spec_position: string } | null;
}
interface CalloutBody {
  id: string;
  name: string;
  content: string;
  callout_type: string;
  timeout_seconds: number;
  step_type: string;
}

describe("simulator: recovery steps and callouts", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  let steps: string;
  const spec = (position: number, name = "Notify") => ({
    name,
    content: "/opt/scripts/notify.sh",
    callout_type: "RUN_ON_SRM_SERVER",
    timeout_seconds: 300,
    position,
  });
  const list = async () => (await caller.get<{ list: StepBody[] }>(steps)).json.list;

  beforeEach(async () => {
    sim = await startSimulator();
    caller = await new SrmCaller(sim).login();
    steps = pathsOf(sim).steps("Tier1-Apps", "recovery");
  });
  afterEach(async () => {
    await sim.close();
  });

  it("lists built-in steps per view mode with SRM-like titles", async () => {
    for (const mode of ["test", "recovery", "cleanup", "reprotect"]) {
      const answer = await caller.get<{ list: StepBody[] }>(pathsOf(sim).steps("Tier1-Apps", mode));
      expect(answer.status).to.equal(200);
      expect(answer.json.list.length).to.be.greaterThan(3);
      expect(answer.json.list[0]).to.include({ step_number: "1", depth: 0, status: "INACTIVE" });
      expect(answer.json.list.every((s) => Number.isInteger(s.id))).to.equal(true);
    }
    const titles = (await list()).map((s) => s.title);
    expect(titles).to.include.members(["Synchronize storage", "Power on priority 1 VMs"]);
  });

  it("answers 400 INVALID_VIEW_MODE for an unknown view mode", async () => {
    const answer = await caller.get(pathsOf(sim).steps("Tier1-Apps", "failover"));
    expect(answer.status).to.equal(400);
    expect((answer.json as { error_code: string }).error_code).to.equal("INVALID_VIEW_MODE");
  });

  it("inserts callouts at zero-based positions, at the start, middle and end, with new ids in task.result", async () => {
    const before = await list();
    const atEnd = await caller.runTask("POST", steps, spec(before.length, "Last"));
    const atStart = await caller.runTask("POST", steps, spec(0, "First"));
    const inMiddle = await caller.runTask("POST", steps, spec(3, "Middle"));
    for (const t of [atEnd, atStart, inMiddle]) expect(t.status).to.equal("SUCCESS");
    const after = await list();
    expect(after).to.have.length(before.length + 3);
    expect(after[0]).to.include({ title: "First", id: atStart.result?.recovery_step_id });
    expect(after[3]).to.include({ title: "Middle", id: inMiddle.result?.recovery_step_id });
    expect(after[after.length - 1]).to.include({ title: "Last", id: atEnd.result?.recovery_step_id });
    expect(after[after.length - 1].plan_callout_position_spec?.position_spec_position).to.equal("AT_END");
    expect(after.map((s) => s.step_number)).to.deep.equal(after.map((_, i) => String(i + 1)));
    const ids = after.map((s) => s.id);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it("answers 400 INVALID_POSITION beyond the list length", async () => {
    const length = (await list()).length;
    const answer = await caller.request("POST", steps, { body: spec(length + 1) });
    expect(answer.status).to.equal(400);
    expect((answer.json as { error_code: string; message: string }).error_code).to.equal("INVALID_POSITION");
    expect((answer.json as { message: string }).message).to.contain("position");
  });

  it("takes a PROMPT with timeout 0 and refuses one with a timeout (400 naming timeout_seconds)", async () => {
    const prompt = { ...spec(0, "Confirm"), callout_type: "PROMPT", timeout_seconds: 0 };
    expect((await caller.runTask("POST", steps, prompt)).status).to.equal("SUCCESS");
    const answer = await caller.request("POST", steps, { body: { ...prompt, timeout_seconds: 30 } });
    expect(answer.status).to.equal(400);
    expect((answer.json as { error_code: string; message: string }).error_code).to.equal("INVALID_TIMEOUT");
    expect((answer.json as { message: string }).message).to.contain("timeout_seconds");
  });

  it("validates CalloutCreateSpec strictly", async () => {
    const bad = await caller.request("POST", steps, { body: { ...spec(0), callout_type: "RUN_ON_HOST" } });
    expect(bad.status).to.equal(400);
    expect((bad.json as { message: string }).message).to.contain("callout_type");
    const extra = await caller.request("POST", steps, { body: { ...spec(0), step_type: "RECOVERY_STEP" } });
    expect(extra.status).to.equal(400);
  });

  it("omits the step id from task.result when calloutTaskResult is false", async () => {
    const quiet = await startSimulator({ calloutTaskResult: false });
    try {
      const other = await new SrmCaller(quiet).login();
      const task = await other.runTask("POST", pathsOf(quiet).steps("Tier1-Apps", "test"), spec(0));
      expect(task.status).to.equal("SUCCESS");
      expect(task.result).to.equal(null);
    } finally {
      await quiet.close();
    }
  });

  it("serves callout data, edits it and deletes the step", async () => {
    const created = await caller.runTask("POST", steps, spec(2));
    const id = created.result?.recovery_step_id as number;
    const data = await caller.get<CalloutBody>(`${steps}/${id}/callout-data`);
    expect(data.json).to.include({
      name: "Notify",
      callout_type: "RUN_ON_SRM_SERVER",
      timeout_seconds: 300,
      step_type: "RECOVERY_STEP",
    });
    expect(data.json.id).to.be.a("string").and.not.equal("");
    const step = await caller.get<StepBody>(`${steps}/${id}`);
    expect(step.json).to.include({ id, title: "Notify", step_number: "3" });
    const edit = { name: "Notify ops", content: "echo hi", callout_type: "RUN_ON_VM", timeout_seconds: 60 };
    expect((await caller.runTask("POST", `${steps}/${id}/callout-data/actions/edit`, edit)).status).to.equal(
      "SUCCESS",
    );
    const edited = await caller.get<CalloutBody>(`${steps}/${id}/callout-data`);
    expect(edited.json).to.include(edit);
    expect(edited.json.id).to.equal(data.json.id);
    expect((await caller.runTask("DELETE", `${steps}/${id}`)).status).to.equal("SUCCESS");
    expect((await caller.get(`${steps}/${id}`)).status).to.equal(404);
    expect((await caller.get(`${steps}/${id}/callout-data`)).status).to.equal(404);
    expect((await caller.request("DELETE", `${steps}/${id}`)).status).to.equal(404);
  });

  it("keeps built-in steps: delete is 400, callout data and edit are 404", async () => {
    const builtIn = (await list())[0];
    const del = await caller.request("DELETE", `${steps}/${builtIn.id}`);
    expect(del.status).to.equal(400);
    expect((del.json as { error_code: string }).error_code).to.equal("CANNOT_DELETE_BUILT_IN_STEP");
    expect((await caller.get(`${steps}/${builtIn.id}/callout-data`)).status).to.equal(404);
    const edit = { name: "x", content: "y", callout_type: "PROMPT", timeout_seconds: 0 };
    expect(
      (await caller.request("POST", `${steps}/${builtIn.id}/callout-data/actions/edit`, { body: edit }))
        .status,
    ).to.equal(404);
  });

  it("never reuses step ids after a delete", async () => {
    const first = await caller.runTask("POST", steps, spec(0, "A"));
    await caller.runTask("DELETE", `${steps}/${first.result?.recovery_step_id}`);
    const second = await caller.runTask("POST", steps, spec(0, "B"));
    expect(second.result?.recovery_step_id).to.be.greaterThan(first.result?.recovery_step_id as number);
  });

  it("shows drift made through the model (edit, move and delete outside the API)", async () => {
    const created = await caller.runTask("POST", steps, spec(1, "Drifty"));
    const id = created.result?.recovery_step_id as number;
    const planId = sim.ids.plans["Tier1-Apps"];
    expect(sim.model.editCallout(planId, "recovery", id, { content: "changed by hand" })).to.equal(true);
    expect((await caller.get<CalloutBody>(`${steps}/${id}/callout-data`)).json.content).to.equal(
      "changed by hand",
    );
    expect(sim.model.moveStep(planId, "recovery", id, 4)).to.equal(true);
    expect((await list())[4].id).to.equal(id);
    expect(sim.model.deleteStep(planId, "recovery", id)).to.equal(true);
    expect((await caller.get(`${steps}/${id}`)).status).to.equal(404);
  });

  it("fails a create task whose position no longer exists when it runs", async () => {
    const length = (await list()).length;
    await caller.runTask("POST", steps, spec(0, "Temp"));
    const started = await caller.request("POST", steps, { body: spec(length + 1, "Late") });
    expect(started.status).to.equal(202);
    const tempId = (await list())[0].id;
    sim.model.deleteStep(sim.ids.plans["Tier1-Apps"], "recovery", tempId);
    const task = await caller.waitTask((started.json as { id: string }).id);
    expect(task.status).to.equal("ERROR");
    expect(task.error?.message).to.match(/Position/);
  });

  it("refuses step changes while the plan runs", async () => {
    sim.model.setPlanStatus(sim.ids.plans["Tier1-Apps"], "TEST_IN_PROGRESS");
    const answer = await caller.request("POST", steps, { body: spec(0) });
    expect(answer.status).to.equal(400);
    expect((answer.json as { error_code: string }).error_code).to.equal("INVALID_PLAN_STATE");
  });
});
