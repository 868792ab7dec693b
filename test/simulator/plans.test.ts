import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, pathsOf, SrmCaller } from "./https-client.js";

interface PlanBody {
  id: string;
  name: string;
  status: string;
  protected_vc_guid: string;
  recovery_vc_guid: string;
  protected_site_name: string;
  recovery_site_name: string;
  is_running: boolean;
}

describe("simulator: recovery plans and reprotect", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  let paths: ReturnType<typeof pathsOf>;
  beforeEach(async () => {
    sim = await startSimulator();
    caller = await new SrmCaller(sim).login();
    paths = pathsOf(sim);
  });
  afterEach(async () => {
    await sim.close();
  });

  it("lists the default plans with their statuses", async () => {
    const answer = await caller.get<{ list: PlanBody[]; _meta: { total: number } }>(paths.plans);
    expect(answer.status).to.equal(200);
    const byName = Object.fromEntries(answer.json.list.map((p) => [p.name, p.status]));
    expect(byName).to.deep.equal({
      "Tier1-Apps": "READY_STATE",
      "Tier2-DB": "READY_STATE",
      Finance: "RECOVERY_COMPLETE",
      Legacy: "TEST_COMPLETE",
    });
    expect(answer.json._meta.total).to.equal(4);
  });

  it("gets one plan and answers 404 for an unknown plan or pairing", async () => {
    const one = await caller.get<PlanBody>(paths.plan("Tier1-Apps"));
    expect(one.json).to.include({ id: sim.ids.plans["Tier1-Apps"], protected_vc_guid: sim.ids.localVcGuid });
    expect((await caller.get(`${paths.plans}/plan-9999`)).status).to.equal(404);
    expect(
      (
        await caller.get(
          `/pairings/${sim.ids.selfPairingId}/recovery-management/plans/${sim.ids.plans.Finance}`,
        )
      ).status,
    ).to.equal(404);
    expect(
      (await caller.get("/pairings/00000000-0000-4000-8000-000000000000/recovery-management/plans")).status,
    ).to.equal(404);
  });

  it("refuses reprotect without a remote session (403 REMOTE_SITE_NOT_AUTHENTICATED)", async () => {
    const answer = await caller.request("POST", paths.reprotect("Finance"), { body: {} });
    expect(answer.status).to.equal(403);
    expect((answer.json as { error_code: string }).error_code).to.equal("REMOTE_SITE_NOT_AUTHENTICATED");
    expect(sim.model.plans.get(sim.ids.plans.Finance)?.status).to.equal("RECOVERY_COMPLETE");
  });

  it("refuses reprotect of a plan that is not recovered, naming its status", async () => {
    await caller.remoteLogin();
    for (const name of ["Legacy", "Tier1-Apps"]) {
      const answer = await caller.request("POST", paths.reprotect(name), { body: { forced: false } });
      expect(answer.status).to.equal(400);
      const body = answer.json as { error_code: string; message: string };
      expect(body.error_code).to.equal("INVALID_PLAN_STATE");
      expect(body.message).to.contain(name === "Legacy" ? "TEST_COMPLETE" : "READY_STATE");
    }
  });

  it("reprotects a recovered plan: REPROTECT_IN_PROGRESS, then READY_STATE with the sites swapped", async () => {
    await caller.remoteLogin();
    // Long enough that the reads below see the run in progress even on a busy machine.
    sim.faults.set({ taskDurationMs: 1_500 });
    const before = (await caller.get<PlanBody>(paths.plan("Finance"))).json;
    const started = await caller.request("POST", paths.reprotect("Finance"), { body: { forced: false } });
    expect(started.status).to.equal(202);
    const task = started.json as { id: string; entity: string; entity_name: string };
    expect(task.entity).to.equal(sim.ids.plans.Finance);
    expect(task.entity_name).to.equal("Finance");
    const during = (await caller.get<PlanBody>(paths.plan("Finance"))).json;
    expect(during.status).to.equal("REPROTECT_IN_PROGRESS");
    expect(during.is_running).to.equal(true);
    const again = await caller.request("POST", paths.reprotect("Finance"), { body: {} });
    expect(again.status).to.equal(400);
    expect((await caller.waitTask(task.id)).status).to.equal("SUCCESS");
    const after = (await caller.get<PlanBody>(paths.plan("Finance"))).json;
    expect(after.status).to.equal("READY_STATE");
    expect(after.protected_vc_guid).to.equal(before.recovery_vc_guid);
    expect(after.recovery_site_name).to.equal(before.protected_site_name);
  });

  it("accepts a reprotect with no body", async () => {
    await caller.remoteLogin();
    const started = await caller.request("POST", paths.reprotect("Finance"));
    expect(started.status).to.equal(202);
  });

  it("leaves the plan INCOMPLETE_REPROTECT when the task fails, and allows a retry", async () => {
    await caller.remoteLogin();
    sim.faults.failNextTasks(1, "Storage array unreachable");
    const failed = await caller.runTask("POST", paths.reprotect("Finance"), { forced: false });
    expect(failed.status).to.equal("ERROR");
    expect(failed.error?.message).to.equal("Storage array unreachable");
    expect(sim.model.plans.get(sim.ids.plans.Finance)?.status).to.equal("INCOMPLETE_REPROTECT");
    const retried = await caller.runTask("POST", paths.reprotect("Finance"), { forced: true });
    expect(retried.status).to.equal("SUCCESS");
    expect(sim.model.plans.get(sim.ids.plans.Finance)?.status).to.equal("READY_STATE");
  });

  it("leaves the plan REPROTECT_INTERRUPTED when the task is cancelled", async () => {
    await caller.remoteLogin();
    sim.faults.set({ taskDurationMs: 60_000 });
    const started = await caller.request("POST", paths.reprotect("Finance"), { body: {} });
    const id = (started.json as { id: string }).id;
    expect(sim.model.cancelTask(id)).to.equal(true);
    expect((await caller.waitTask(id)).status).to.equal("CANCELLED");
    expect(sim.model.plans.get(sim.ids.plans.Finance)?.status).to.equal("REPROTECT_INTERRUPTED");
  });

  it("rejects unknown fields in ReprotectPlanSpec with a 400 naming them", async () => {
    await caller.remoteLogin();
    const answer = await caller.request("POST", paths.reprotect("Finance"), { body: { force: true } });
    expect(answer.status).to.equal(400);
    expect((answer.json as { message: string }).message).to.contain("force");
  });
});
