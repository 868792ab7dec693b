import { reprotectImplementation as impl } from "../../provider/resources/reprotect.js";
import { UNKNOWN } from "../../provider/dynamic/unknowns.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, errorText, expect, expectNoPasswords, passwordsOf, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

describe("resources: Reprotect", () => {
  let sim: Simulator;
  const inputsOf = (patch: Props = {}): Props => ({
    resourceName: "finance-back",
    pairingId: sim?.ids.pairingId ?? "pairing-1",
    planId: sim?.ids.plans.Finance ?? "plan-1",
    ...patch,
  });

  async function checked(news: Props): Promise<Props> {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  }

  describe("check and diff (no server)", () => {
    it("applies defaults: forced false, taskTimeoutSeconds 3600", async () => {
      expect(await checked(inputsOf())).to.include({ forced: false, taskTimeoutSeconds: 3600 });
    });

    const bad: [string, Props, string][] = [
      ["a missing pairingId", { pairingId: undefined }, "pairingId"],
      ["an empty planId", { planId: "" }, "planId"],
      ["a non-boolean forced", { forced: "yes" }, "forced"],
      ["triggers that are not a list", { triggers: "v1" }, "triggers"],
      ["a negative taskTimeoutSeconds", { taskTimeoutSeconds: -5 }, "taskTimeoutSeconds"],
    ];
    for (const [what, patch, field] of bad) {
      it(`fails on ${what}, naming ${field}`, async () => {
        const result = await impl.check({}, inputsOf(patch));
        expect(result.failures?.map((f) => f.property)).to.deep.equal([field]);
      });
    }

    it("accepts unknown values, also inside triggers", async () => {
      const result = await impl.check({}, inputsOf({ planId: UNKNOWN, triggers: ["a", UNKNOWN] }));
      expect(result.failures ?? []).to.deep.equal([]);
      expect(result.inputs?.triggers).to.deep.equal(["a", UNKNOWN]);
    });

    const olds = () => ({
      ...inputsOf(),
      forced: false,
      triggers: ["v1"],
      taskTimeoutSeconds: 3600,
      taskId: "t-1",
    });
    it("reports no change for the same inputs", async () => {
      expect((await impl.diff("t-1", olds(), inputsOf({ triggers: ["v1"] }))).changes).to.equal(false);
    });
    for (const [field, value] of [
      ["triggers", ["v2"]],
      ["forced", true],
      ["planId", "plan-9"],
      ["pairingId", "pairing-9"],
    ] as const) {
      it(`runs again (replace) when ${field} changes`, async () => {
        const d = await impl.diff("t-1", olds(), inputsOf({ triggers: ["v1"], [field]: value }));
        expect(d.replaces).to.deep.equal([field]);
        expect(d.changes).to.equal(true);
      });
    }
    it("runs again when a trigger is unknown", async () => {
      const d = await impl.diff("t-1", olds(), inputsOf({ triggers: [UNKNOWN] }));
      expect(d.replaces).to.deep.equal(["triggers"]);
    });
    it("updates in place when only taskTimeoutSeconds changes", async () => {
      const d = await impl.diff("t-1", olds(), inputsOf({ triggers: ["v1"], taskTimeoutSeconds: 60 }));
      expect(d).to.deep.include({ changes: true, replaces: [] });
    });
  });

  describe("against the simulator", () => {
    beforeEach(async () => {
      sim = await startSimulator();
    });
    afterEach(async () => {
      await sim.close();
    });

    it("reprotects a recovered plan and reports the task, statuses and times", async () => {
      const result = await impl.create(contextOf(sim), await checked(inputsOf({ triggers: ["v1"] })));
      const outs = result.outs as Props;
      expect(outs).to.include({
        taskId: result.id,
        taskStatus: "SUCCESS",
        planName: "Finance",
        planStatusBefore: "RECOVERY_COMPLETE",
        planStatus: "READY_STATE",
        forced: false,
        schemaVersion: 1,
      });
      expect(outs.triggers).to.deep.equal(["v1"]);
      expect(new Date(outs.startTime as string).toISOString()).to.equal(outs.startTime);
      expect(Date.parse(outs.completeTime as string)).to.be.at.least(Date.parse(outs.startTime as string));
      const post = sim.requests.find((r) => r.route.endsWith("/actions/reprotect"));
      expect(post?.body).to.deep.equal({ forced: false });
      expectNoPasswords(outs, passwordsOf(sim));
    });

    it("keeps the record of a finished reprotect when reading the plan afterwards fails", async () => {
      // Once SRM has reprotected the plan it is no longer reprotectable: losing the record here would make
      // every later `pulumi up` refuse to create the resource again.
      sim.faults.set({ taskDurationMs: 400 });
      const ctx = contextOf(sim);
      const running = impl.create(ctx, await checked(inputsOf()));
      while (!sim.requests.some((r) => r.route.endsWith("/actions/reprotect"))) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      sim.faults.set({
        routes: {
          "GET /pairings/{pairing_id}/recovery-management/plans/{plan_id}": { status: 500, count: 50 },
        },
      });
      const result = await running;
      expect(result.outs).to.include({
        taskId: result.id,
        taskStatus: "SUCCESS",
        planStatusBefore: "RECOVERY_COMPLETE",
      });
      expect((result.outs as Props).planStatus).to.equal(undefined);
      expect(ctx.lines.join("\n")).to.include(result.id).and.include("pulumi refresh");
      expect(sim.model.plans.get(sim.ids.plans.Finance)?.status).to.equal("READY_STATE");
    });

    it("refuses early, naming the plan's status and the allowed ones, without calling reprotect", async () => {
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ planId: sim.ids.plans.Legacy }))),
      );
      expect(e.message).to.include("TEST_COMPLETE").and.include("RECOVERY_COMPLETE");
      expect(e.message).to.include("INCOMPLETE_REPROTECT").and.include("REPROTECT_INTERRUPTED");
      expect(e.message).to.include(`Reprotect "finance-back"`).and.include('"Legacy"');
      expect(sim.requests.some((r) => r.route.endsWith("/actions/reprotect"))).to.equal(false);
    });

    it("names the plans that exist when the plan id is wrong", async () => {
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ planId: "plan-missing" }))),
      );
      expect(e.message).to.include("plan-missing").and.include('"Finance"').and.include('"Tier1-Apps"');
    });

    it("names the remote credential settings when they are missing", async () => {
      const ctx = contextOf(sim, { "srm:remoteUsername": undefined, "srm:remotePassword": undefined });
      const e = await rejectionOf(impl.create(ctx, await checked(inputsOf())));
      expect(e.message).to.include("srm:remoteUsername").and.include("SRM_REMOTE_USERNAME");
    });

    it("reports a failed reprotect task with its id and the SRM message, without passwords", async () => {
      sim.faults.failNextTasks(1, "Storage replication is not ready");
      const e = await rejectionOf(impl.create(contextOf(sim), await checked(inputsOf())));
      const taskId = (e as unknown as { taskId?: string }).taskId;
      expect(taskId).to.be.a("string");
      expect(e.message).to.include(`task ${taskId}`).and.include("Storage replication is not ready");
      expectNoPasswords(errorText(e), passwordsOf(sim));
    });

    it("reads the plan's current status and keeps the record when the plan is gone", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      sim.model.setPlanStatus(sim.ids.plans.Finance, "RECOVERY_COMPLETE");
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.props).to.include({ planStatus: "RECOVERY_COMPLETE", taskId: created.id });
      expect(read.inputs).to.equal(undefined);
      sim.model.plans.delete(sim.ids.plans.Finance);
      const gone = await impl.read(ctx, created.id, read.props as Props);
      expect(gone.id).to.equal(created.id);
      expect(gone.props).to.include({ planStatus: "RECOVERY_COMPLETE" });
    });

    it("updates only the timeout in place, without running again", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const updated = await impl.update(
        ctx,
        created.id,
        created.outs as Props,
        await checked(inputsOf({ taskTimeoutSeconds: 60 })),
      );
      expect(updated.outs).to.include({ taskTimeoutSeconds: 60, taskId: created.id });
      expect(sim.requests.filter((r) => r.route.endsWith("/actions/reprotect"))).to.have.length(1);
    });

    it("deletes as a no-op (nothing is sent to SRM)", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const before = sim.requests.length;
      await impl.delete(ctx, created.id, created.outs as Props);
      expect(sim.requests.length).to.equal(before);
    });

    it("stops waiting at taskTimeoutSeconds, naming the task id", async () => {
      sim.faults.set({ taskDurationMs: 60_000 });
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ taskTimeoutSeconds: 1 }))),
      );
      const taskId = (e as unknown as { taskId?: string }).taskId;
      expect(e.message).to.include(`task ${taskId}`).and.include("may still be running in SRM");
    });
  });
});
