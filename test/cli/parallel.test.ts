// Default parallelism: the engine sends independent creates at once and in any order. Ten callouts in one
// plan, a Reprotect of another plan and callouts of the reprotected plan converge in one `up`: every
// mutation of a plan takes the plan's lock, so a callout never reaches SRM while its plan is reprotecting.
// Options a dynamic provider never sees (customTimeouts, replaceOnChanges) are warned about.
import { expect } from "chai";
import { RecoveryStepCallout, Reprotect } from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli } from "./harness.js";

describe("cli: default parallelism, one lock per plan", function () {
  this.timeout(10 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    // Tasks long enough that the reprotect is still running when the callouts arrive.
    sim = await startSimulator({ taskDurationMs: 500 });
  });
  after(async () => {
    stack?.dispose();
    await sim?.close();
  });

  const calloutNames = (plan: string, mode: "test" | "recovery") =>
    sim.model
      .stepsOf(sim.ids.plans[plan]!, mode)
      .filter((s) => s.callout)
      .map((s) => s.callout!.name)
      .sort();

  it("ten callouts in one plan, a reprotect and callouts of the reprotected plan, in one up", async () => {
    const tier1 = Array.from({ length: 10 }, (_, i) => `Tier1 check ${String(i).padStart(2, "0")}`);
    const finance = ["Finance notify 1", "Finance notify 2", "Finance notify 3"];
    stack = await CliStack.create({
      sim,
      program: () => {
        tier1.forEach(
          (name, i) =>
            new RecoveryStepCallout(
              `t1-${i}`,
              {
                pairingId: sim.ids.pairingId,
                planId: sim.ids.plans["Tier1-Apps"]!,
                anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
                index: i,
                name,
                content: `Confirm ${name}`,
                calloutType: "PROMPT",
              },
              i === 0
                ? { customTimeouts: { create: "1m" } }
                : i === 1
                  ? { replaceOnChanges: ["content"] }
                  : {},
            ),
        );
        finance.forEach(
          (name, i) =>
            new RecoveryStepCallout(`fin-${i}`, {
              pairingId: sim.ids.pairingId,
              planId: sim.ids.plans.Finance!,
              anchor: "AT_END",
              index: i,
              name,
              content: `/opt/dr/notify.sh ${i}`,
              calloutType: "RUN_ON_SRM_SERVER",
            }),
        );
        // Registered after the callouts of its plan, so it reaches the host while they are being created.
        new Reprotect("finance-reprotect", { pairingId: sim.ids.pairingId, planId: sim.ids.plans.Finance! });
      },
    });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.equal({ create: 15 });
    expect(calloutNames("Tier1-Apps", "test")).to.deep.equal(tier1);
    expect(calloutNames("Finance", "recovery")).to.deep.equal(finance);
    expect(sim.model.plans.get(sim.ids.plans.Finance!)!.status).to.equal("READY_STATE");
    expect(stack.log.text).to.include('srm:RecoveryStepCallout "t1-0": customTimeouts has no effect');
    expect(stack.log.text).to.include('srm:RecoveryStepCallout "t1-1": replaceOnChanges has no effect');

    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 15 });
    await stack.destroy();
    expect(calloutNames("Tier1-Apps", "test")).to.deep.equal([]);
    expect(calloutNames("Finance", "recovery")).to.deep.equal([]);
  });
});
