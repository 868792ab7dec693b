// VmRecoverySettings writes whose end no engine saw, through the real pulumi CLI: the answer to the first write
// is lost, and a later write's task outlives its wait. Each failed up records the settings (so a destroy would
// restore SRM's defaults), and the next up follows the earlier task, reads the settings again and writes with
// the version it read: the program's settings, no refused or blind write.
import { expect } from "chai";
import { ProtectionGroup, RecoveryPlan, VmRecoverySettings } from "pulumi-srm";
import { useCliSuite } from "./harness.js";

const UPDATE_ROUTE =
  "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/vms/{vm_id}/recovery-settings/actions/update";

describe("cli: VmRecoverySettings writes whose end was not seen", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("a lost answer and a timed-out task are recorded; the next up converges on fresh settings", async () => {
    let priority = 2;
    let timeout = 600;
    const stack = await suite.stack({
      program: () => {
        const pairingId = suite.sim.ids.pairingId;
        const group = new ProtectionGroup("apps", {
          pairingId,
          name: "Apps",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          vms: ["vm-1100"],
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
          priority,
          taskTimeoutSeconds: timeout,
        });
        return { planId: plan.planId };
      },
    });
    const settings = () => {
      const planId = [...suite.sim.model.plans.values()].find((p) => p.name === "Tier0")!.id;
      return suite.sim.model.protection.settingsOf(planId, "vm-1100")!;
    };
    const recorded = () => stack!.resources("VmRecoverySettings")[0]?.outputs;

    // The create's write is carried out, but its answer is lost.
    suite.sim.faults.set({ dropAnswers: { [UPDATE_ROUTE]: 1 } });
    const lost = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(lost, "the up fails").to.not.equal(undefined);
    expect(recorded(), "the settings are in the stack").to.include({ priority: 2, vmId: "vm-1100" });
    while (settings().priority !== "P2") await new Promise((r) => setTimeout(r, 100));
    suite.sim.faults.reset();
    const marker = suite.sim.requests.length;
    const next = await stack.up();
    expect(next.summary.result).to.equal("succeeded");
    const writes = suite.sim.requests.slice(marker).filter((r) => r.route === UPDATE_ROUTE);
    expect(
      writes.map((w) => [w.status, (w.body as { change_version: number }).change_version]),
      "one write, with the version after the lost one",
    ).to.deep.equal([[202, settings().changeVersion - 1]]);
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 4 });

    // An update whose task outlives its wait.
    priority = 4;
    timeout = 1;
    suite.sim.faults.set({ taskDurationMs: 3_000 });
    const slow = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(slow)).to.include("did not finish within 1 s");
    expect(recorded(), "the new settings and the task to follow are recorded").to.include({ priority: 4 });
    expect(recorded()?.pendingTaskId).to.be.a("string");
    suite.sim.faults.reset();
    timeout = 600;
    const resumed = await stack.up();
    expect(resumed.summary.result).to.equal("succeeded");
    expect(stack.log.text).to.include("of an earlier write before writing again");
    expect(settings().priority).to.equal("P4");
    const failedTasks = [...suite.sim.model.tasks.values()].filter(
      (t) => t.descriptionId === "com.vmware.dr.recoveryplan.vmsettings.update" && t.status !== "SUCCESS",
    );
    expect(failedTasks, "no write was refused on change_version").to.deep.equal([]);
    expect(recorded()).to.not.have.property("pendingTaskId");
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 4 });
    await stack.destroy();
  });
});
