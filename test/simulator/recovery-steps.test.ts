import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, pathsOf, SrmCaller } from "./https-client.js";

interface StepBody {
  id: number;
  title: string;
  step_number: string;
  depth: number;
  status: string;
  child_count: number;
  expanded?: boolean;
  plan_callout_position_spec?: { position_spec_index: number; position_spec_position: string } | null;
  vm_callout_position_spec?: { vm_id: string; pre_power_on: boolean; index: number } | null;
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
      expect(answer.json.list.length).to.be.greaterThan(2);
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
      const task = await other.runTask("POST", pathsOf(quiet).steps("Tier1-Apps", "recovery"), spec(0));
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
    expect(task.error?.message).to.match(/position/);
  });

  it("lists a custom step in every view whose workflow has its anchor, as one step", async () => {
    const test = pathsOf(sim).steps("Tier1-Apps", "test");
    const testList = async () => (await caller.get<{ list: StepBody[] }>(test)).json.list;
    const p1 = (await testList()).findIndex((s) => s.title === "Power on priority 1 VMs");
    const created = await caller.runTask("POST", test, spec(p1, "Check isolation"));
    const id = created.result?.recovery_step_id as number;
    const where = { position_spec_position: "BEFORE_RECOVER_PRIORITY_1_VMS", position_spec_index: 0 };
    const inTest = (await testList()).find((s) => s.id === id);
    const inRecovery = (await list()).find((s) => s.id === id);
    expect(inTest?.plan_callout_position_spec).to.deep.equal(where);
    expect(inRecovery?.plan_callout_position_spec).to.deep.equal(where);
    const recoveryTitles = (await list()).map((s) => s.title);
    expect(recoveryTitles.indexOf("Check isolation")).to.equal(
      recoveryTitles.indexOf("Power on priority 1 VMs") - 1,
    );
    // Neither cleanup nor reprotect runs BEFORE_RECOVER_PRIORITY_1_VMS.
    for (const mode of ["cleanup", "reprotect"]) {
      const other = await caller.get<{ list: StepBody[] }>(pathsOf(sim).steps("Tier1-Apps", mode));
      expect(other.json.list.some((s) => s.id === id)).to.equal(false);
    }
    const edit = {
      name: "Check isolation",
      content: "edited via recovery",
      callout_type: "PROMPT",
      timeout_seconds: 0,
    };
    await caller.runTask("POST", `${steps}/${id}/callout-data/actions/edit`, edit);
    expect((await caller.get<CalloutBody>(`${test}/${id}/callout-data`)).json.content).to.equal(
      "edited via recovery",
    );
    expect((await caller.runTask("DELETE", `${test}/${id}`)).status).to.equal("SUCCESS");
    expect((await caller.get(`${steps}/${id}`)).status).to.equal(404);
  });

  it("keeps a failover-only anchor out of the test view, and AT_END out of cleanup", async () => {
    const titles = (await list()).map((s) => s.title);
    const beforeSync = titles.indexOf("Synchronize storage");
    const created = await caller.runTask("POST", steps, spec(beforeSync, "Quiesce database"));
    const id = created.result?.recovery_step_id as number;
    expect((await caller.get<StepBody>(`${steps}/${id}`)).json.plan_callout_position_spec).to.deep.equal({
      position_spec_position: "BEFORE_SYNC_STORAGE",
      position_spec_index: 0,
    });
    const test = await caller.get<{ list: StepBody[] }>(pathsOf(sim).steps("Tier1-Apps", "test"));
    expect(test.json.list.some((s) => s.id === id)).to.equal(false);
    const cleanup = pathsOf(sim).steps("Tier1-Apps", "cleanup");
    const length = (await caller.get<{ list: StepBody[] }>(cleanup)).json.list.length;
    const atEnd = await caller.request("POST", cleanup, { body: spec(length) });
    expect(atEnd.status).to.equal(400);
    expect((atEnd.json as { error_code: string }).error_code).to.equal("INVALID_POSITION");
  });

  it("refuses commands and prompts before 'Configure test networks' in the test view (400 naming the step)", async () => {
    const test = pathsOf(sim).steps("Tier1-Apps", "test");
    const titles = (await caller.get<{ list: StepBody[] }>(test)).json.list.map((s) => s.title);
    const networks = titles.indexOf("Configure test networks");
    expect(networks).to.be.greaterThan(0);
    for (const position of [0, networks]) {
      const answer = await caller.request("POST", test, { body: spec(position) });
      expect(answer.status).to.equal(400);
      const body = answer.json as { error_code: string; message: string; op_id: string };
      expect(body.error_code).to.equal("INVALID_POSITION");
      expect(body.message).to.contain("Configure test networks");
      expect(body.op_id).to.be.a("string");
    }
    expect((await caller.request("POST", test, { body: spec(networks + 1) })).status).to.equal(202);
  });

  it("maps a flat position to the next built-in step's anchor and the index among the callouts before it", async () => {
    const titles = (await list()).map((s) => s.title);
    const p2 = titles.indexOf("Power on priority 2 VMs");
    await caller.runTask("POST", steps, spec(p2, "B"));
    await caller.runTask("POST", steps, spec(p2, "C"));
    await caller.runTask("POST", steps, spec(p2, "A"));
    const at = (await list()).filter(
      (s) => s.plan_callout_position_spec?.position_spec_position === "BEFORE_RECOVER_PRIORITY_2_VMS",
    );
    expect(at.map((s) => [s.title, s.plan_callout_position_spec?.position_spec_index])).to.deep.equal([
      ["A", 0],
      ["C", 1],
      ["B", 2],
    ]);
  });

  it("keeps custom steps through a reprotect", async () => {
    const finance = pathsOf(sim).steps("Finance", "recovery");
    const created = await caller.runTask("POST", finance, spec(0, "Announce failover"));
    const id = created.result?.recovery_step_id as number;
    await caller.remoteLogin();
    const started = await caller.request("POST", pathsOf(sim).reprotect("Finance"), { body: {} });
    expect((await caller.waitTask((started.json as { id: string }).id)).status).to.equal("SUCCESS");
    const after = await caller.get<StepBody>(`${finance}/${id}`);
    expect(after.status).to.equal(200);
    expect(after.json.plan_callout_position_spec?.position_spec_position).to.equal("BEFORE_PRESYNC_STORAGE");
  });

  it("refuses step changes while the plan runs", async () => {
    sim.model.setPlanStatus(sim.ids.plans["Tier1-Apps"], "TEST_IN_PROGRESS");
    const answer = await caller.request("POST", steps, { body: spec(0) });
    expect(answer.status).to.equal(400);
    expect((answer.json as { error_code: string }).error_code).to.equal("INVALID_PLAN_STATE");
  });

  describe("per-VM steps", () => {
    const vmCallout = (name: string, stepType: "PRE_POWER_ON" | "POST_POWER_ON") => ({
      id: `vm-callout-${name}`,
      name,
      content: `/opt/dr/${name}.sh`,
      callout_type: "RUN_ON_SRM_SERVER" as const,
      timeout_seconds: 60,
      step_type: stepType,
    });
    /** Puts vm-1100 and vm-1101 in Tier1-Apps; vm-1100 at priority 1 with two commands before and one after power-on. */
    const withVms = () => {
      const planId = sim.ids.plans["Tier1-Apps"]!;
      const group = sim.model.protection.addGroup({
        pairingId: sim.ids.pairingId,
        name: "Steps",
        description: null,
        replicationType: "HBR",
        protectedVcGuid: sim.ids.localVcGuid,
        recoveryVcGuid: sim.ids.remoteVcGuid,
        protectedSiteName: "Site-A",
        recoverySiteName: "Site-B",
        vms: ["vm-1100", "vm-1101"],
        arrayPair: null,
        datastores: [],
      });
      sim.model.plans.get(planId)!.groupIds.push(group.id);
      sim.model.syncPlansOfGroup(group.id);
      const s = sim.model.protection.settingsOf(planId, "vm-1100")!;
      s.priority = "P1";
      s.prePowerOnSteps = [vmCallout("mount", "PRE_POWER_ON"), vmCallout("unlock", "PRE_POWER_ON")];
      s.postPowerOnSteps = [vmCallout("smoke", "POST_POWER_ON")];
    };

    it("nests each VM under its priority's power-on step and its commands under the VM, with vm_callout_position_spec", async () => {
      withVms();
      const top = await list();
      const p1 = top.find((s) => s.title === "Power on priority 1 VMs")!;
      const p3 = top.find((s) => s.title === "Power on priority 3 VMs")!;
      expect(p1).to.include({ child_count: 1, expanded: false });
      expect(p3).to.include({ child_count: 1 });
      expect(
        top.every((s) => s.depth === 0),
        "collapsed until expanded",
      ).to.equal(true);

      const one = await caller.get<{ list: StepBody[] }>(`${steps}?expanded_step_ids=${p1.id}`);
      const vmStep = one.json.list[one.json.list.indexOf(one.json.list.find((s) => s.id === p1.id)!) + 1];
      expect(vmStep).to.include({ title: "app-a-01", depth: 1, child_count: 4, expanded: false });
      const both = await caller.get<{ list: StepBody[] }>(`${steps}?expanded_step_ids=${vmStep.id}`);
      const at = both.json.list.findIndex((s) => s.id === vmStep.id);
      const children = both.json.list.slice(at + 1, at + 5);
      expect(children.map((s) => [s.title, s.depth, s.vm_callout_position_spec ?? null])).to.deep.equal([
        ["mount", 2, { vm_id: "vm-1100", pre_power_on: true, index: 0 }],
        ["unlock", 2, { vm_id: "vm-1100", pre_power_on: true, index: 1 }],
        ["Power on", 2, null],
        ["smoke", 2, { vm_id: "vm-1100", pre_power_on: false, index: 0 }],
      ]);
      expect(children.map((s) => s.step_number)).to.deep.equal(
        [1, 2, 3, 4].map((k) => `${vmStep.step_number}.${k}`),
      );
      // SRM keeps what was expanded: a plain listing shows the children again, and the flat positions of
      // top-level steps are unchanged (a create still counts only top-level steps).
      const again = await list();
      expect(again.filter((s) => s.depth === 0).map((s) => s.id)).to.deep.equal(top.map((s) => s.id));
      expect(again.length).to.equal(top.length + 5);

      const mount = children[0];
      const data = await caller.get<CalloutBody>(`${steps}/${mount.id}/callout-data`);
      expect(data.json).to.include({ name: "mount", step_type: "PRE_POWER_ON", id: "vm-callout-mount" });
      expect((await caller.get<StepBody>(`${steps}/${mount.id}`)).json).to.include({
        id: mount.id,
        depth: 2,
      });
      const del = await caller.request("DELETE", `${steps}/${mount.id}`);
      expect(del.status).to.equal(400);
      expect((del.json as { message: string }).message).to.contain("recovery settings");
      expect(
        sim.model.protection.settingsOf(sim.ids.plans["Tier1-Apps"]!, "vm-1100")!.prePowerOnSteps,
      ).to.have.length(2);
    });
  });
});
