// Per-VM commands (VmRecoverySettings) next to a plan's runbook (RecoveryPlanCallouts) through the real pulumi
// CLI. SRM lists the per-VM commands as children of the VM's step under its priority group once someone expanded
// those steps; the runbook must neither see them as its own steps (no drift) nor count them when it turns an
// anchor into a flat position (steps land at the declared anchors).
import { expect } from "chai";
import {
  ProtectionGroup,
  RecoveryPlan,
  RecoveryPlanCallouts,
  VmRecoverySettings,
  type PlanCalloutLists,
} from "pulumi-srm";
import { useCliSuite } from "./harness.js";

const command = (name: string) => ({
  name,
  content: `/opt/dr/${name.toLowerCase().replace(/\W+/g, "-")}.sh`,
  calloutType: "RUN_ON_SRM_SERVER" as const,
  timeoutSeconds: 60,
});
const vmCommand = (name: string) => ({
  name,
  content: `/opt/dr/${name}.sh`,
  kind: "RUN_ON_SRM_SERVER" as const,
});

describe("cli: per-VM commands next to a runbook", function () {
  this.timeout(5 * 60_000);
  const suite = useCliSuite();

  it("shows no drift and places runbook steps at their anchors while per-VM steps are listed", async () => {
    let runbook: PlanCalloutLists = {
      BEFORE_RECOVER_PRIORITY_1_VMS: [command("Check replication")],
      BEFORE_RECOVER_PRIORITY_2_VMS: [command("Open firewall")],
      AT_END: [command("Rebuild indexes")],
    };
    const stack = await suite.stack({
      program: () => {
        const pairingId = suite.sim.ids.pairingId;
        const group = new ProtectionGroup("apps", {
          pairingId,
          name: "Apps",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          vms: ["vm-1100", "vm-1101"],
        });
        const plan = new RecoveryPlan("tier0", {
          pairingId,
          name: "Tier0",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          protectionGroupIds: [group.id],
        });
        new VmRecoverySettings("app-01", {
          pairingId,
          planId: plan.id,
          vmId: "vm-1100",
          priority: 1,
          prePowerOnCommands: [vmCommand("mount"), vmCommand("unlock")],
          postPowerOnCommands: [vmCommand("smoke")],
        });
        new VmRecoverySettings("app-02", {
          pairingId,
          planId: plan.id,
          vmId: "vm-1101",
          priority: 1,
          postPowerOnCommands: [vmCommand("warm-cache")],
        });
        new RecoveryPlanCallouts("runbook", { pairingId, planId: plan.id, callouts: runbook });
        return { planId: plan.planId };
      },
    });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    const planId = up.outputs.planId.value as string;

    // An operator expanded the priority group and both VMs in the UI: every later listing shows their steps.
    for (const view of ["test", "recovery"] as const) {
      const open = suite.sim.model.expandedIn(planId, view);
      for (const row of suite.sim.model.stepRows(planId, view, "all"))
        if (row.view.child_count > 0) open.add(row.view.id);
      const perVm = suite.sim.model
        .stepRows(planId, view, open)
        .filter((r) => r.view.vm_callout_position_spec);
      expect(
        perVm.map((r) => r.view.title),
        `${view}: per-VM steps listed`,
      ).to.have.members(["mount", "unlock", "smoke", "warm-cache"]);
    }

    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges, "refresh").to.not.have.property("update");
    const preview = await stack.preview();
    expect(preview.changeSummary, "preview after refresh").to.deep.equal({ same: 6 });

    runbook = {
      BEFORE_RECOVER_PRIORITY_1_VMS: [command("Check replication"), command("Stop batch jobs")],
      BEFORE_RECOVER_PRIORITY_2_VMS: [command("Drain queues"), command("Open firewall")],
      AT_END: [command("Rebuild indexes"), command("Notify owners")],
    };
    await stack.up();
    const anchors = Object.fromEntries(
      Object.entries(suite.sim.model.customSteps(planId)).map(([a, list]) => [
        a,
        list!.map((s) => s.callout!.name),
      ]),
    );
    expect(anchors, "runbook steps at their declared anchors").to.deep.equal(
      Object.fromEntries(
        Object.entries(runbook).map(([a, list]) => [a, (list as { name: string }[]).map((c) => c.name)]),
      ),
    );
    const settings = suite.sim.model.protection.settingsOf(planId, "vm-1100")!;
    expect(settings.prePowerOnSteps.map((c) => c.name)).to.deep.equal(["mount", "unlock"]);
    expect((await stack.preview()).changeSummary, "preview after the edit").to.deep.equal({ same: 6 });

    await stack.destroy();
    expect(suite.sim.model.plans.has(planId)).to.equal(false);
  });
});
