// Protection groups, a plan built from them and VM recovery settings through the real pulumi CLI: up, a
// group whose membership changes and a VM moved between priorities (updates in place, not replacements),
// refresh and preview after a reprotect swapped the sites (no drift), folders for the group and the plan (one
// renamed in place), destroy (the engine empties a folder before deleting it).
import { expect } from "chai";
import {
  ProtectionGroup,
  ProtectionGroupFolder,
  RecoveryPlan,
  RecoveryPlanFolder,
  VmRecoverySettings,
} from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

describe("cli: ProtectionGroup, RecoveryPlan, VmRecoverySettings", function () {
  this.timeout(5 * 60_000);
  const suite = useCliSuite();

  it("updates membership and priority in place and reads no drift after a reprotect", async () => {
    let vms = ["vm-1100", "vm-1101"];
    let priority = 1;
    let planFolderName = "Tier0";
    const stack = await suite.stack({
      program: () => {
        const pairingId = suite.sim.ids.pairingId;
        const groupFolder = new ProtectionGroupFolder("apps-folder", { pairingId, name: "Apps" });
        const planFolder = new RecoveryPlanFolder("tier0-folder", { pairingId, name: planFolderName });
        const group = new ProtectionGroup("apps", {
          pairingId,
          name: "Apps",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          vms,
          folder: groupFolder.id,
        });
        const plan = new RecoveryPlan("tier0", {
          pairingId,
          name: "Tier0",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          protectionGroupIds: [group.id],
          folder: planFolder.id,
        });
        new VmRecoverySettings("app-01", {
          pairingId: suite.sim.ids.pairingId,
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
    expect(suite.sim.model.protection.settingsOf(planId, "vm-1100")?.priority).to.equal("P1");
    const folderOf = (id: string | undefined) =>
      id ? suite.sim.model.folders.folders.get(id)?.name : "root";
    expect(folderOf(suite.sim.model.plans.get(planId)?.folderId), "the plan's folder").to.equal("Tier0");
    const groupId = up.outputs.groupId.value as string;
    expect(folderOf(suite.sim.model.protection.groups.get(groupId)?.folderId), "the group's folder").to.equal(
      "Apps",
    );

    vms = ["vm-1100", "vm-1102"];
    priority = 4;
    planFolderName = "Tier0-Apps";
    const preview = await stack.preview();
    expect(preview.changeSummary).to.deep.include({ update: 3 });
    expect(preview.changeSummary).to.not.have.property("replace");
    await stack.up();
    expect(stepOps(stack.events)).to.deep.include({
      apps: "update",
      "app-01": "update",
      "tier0-folder": "update",
    });
    expect(folderOf(suite.sim.model.plans.get(planId)?.folderId), "renamed in place").to.equal("Tier0-Apps");
    const plan = suite.sim.model.plans.get(planId)!;
    expect(suite.sim.model.planVmIds(plan)).to.deep.equal(["vm-1100", "vm-1102"]);
    expect(suite.sim.model.protection.settingsOf(planId, "vm-1100")?.priority).to.equal("P4");

    // A failover and reprotect swapped the sites: refresh and preview show no change.
    suite.sim.model.swapDirection(plan);
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).to.not.have.property("update");
    const after = await stack.preview();
    expect(after.changeSummary).to.deep.equal({ same: 6 });

    await stack.destroy();
    expect(suite.sim.model.plans.has(planId)).to.equal(false);
    expect(suite.sim.model.protection.groups.size).to.equal(0);
    expect(suite.sim.model.folders.folders.size).to.equal(0);
  });
});
