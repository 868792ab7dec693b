// Protection groups, a plan built from them and VM recovery settings through the real pulumi CLI: up, a
// group whose membership changes and a VM moved between priorities (updates in place, not replacements),
// refresh and preview after a reprotect swapped the sites (no drift), destroy.
import { expect } from "chai";
import { ProtectionGroup, RecoveryPlan, VmRecoverySettings } from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli, stepOps } from "./harness.js";

describe("cli: ProtectionGroup, RecoveryPlan, VmRecoverySettings", function () {
  this.timeout(5 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    sim = await startSimulator();
  });
  after(async () => {
    stack?.dispose();
    await sim?.close();
  });

  it("updates membership and priority in place and reads no drift after a reprotect", async () => {
    let vms = ["vm-1100", "vm-1101"];
    let priority = 1;
    stack = await CliStack.create({
      sim,
      program: () => {
        const group = new ProtectionGroup("apps", {
          pairingId: sim.ids.pairingId,
          name: "Apps",
          protectedVcGuid: sim.ids.localVcGuid,
          vms,
        });
        const plan = new RecoveryPlan("tier0", {
          pairingId: sim.ids.pairingId,
          name: "Tier0",
          protectedVcGuid: sim.ids.localVcGuid,
          protectionGroupIds: [group.id],
        });
        new VmRecoverySettings("app-01", {
          pairingId: sim.ids.pairingId,
          planId: plan.id,
          vmId: "vm-1100",
          priority,
        });
        return { planId: plan.planId, groupId: group.groupId };
      },
    });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    const planId = up.outputs.planId.value as string;
    expect(sim.model.protection.settingsOf(planId, "vm-1100")?.priority).to.equal("P1");

    vms = ["vm-1100", "vm-1102"];
    priority = 4;
    const preview = await stack.preview();
    expect(preview.changeSummary).to.deep.include({ update: 2 });
    expect(preview.changeSummary).to.not.have.property("replace");
    await stack.up();
    expect(stepOps(stack.events)).to.deep.include({ apps: "update", "app-01": "update" });
    const plan = sim.model.plans.get(planId)!;
    expect(sim.model.planVmIds(plan)).to.deep.equal(["vm-1100", "vm-1102"]);
    expect(sim.model.protection.settingsOf(planId, "vm-1100")?.priority).to.equal("P4");

    // A failover and reprotect swapped the sites: refresh and preview show no change.
    sim.model.swapDirection(plan);
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).to.not.have.property("update");
    const after = await stack.preview();
    expect(after.changeSummary).to.deep.equal({ same: 4 });

    await stack.destroy();
    expect(sim.model.plans.has(planId)).to.equal(false);
    expect(sim.model.protection.groups.size).to.equal(0);
  });
});
