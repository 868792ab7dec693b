// What goes wrong between the provider and SRM while protection is built, through the real pulumi CLI: a user
// edits a VM's recovery settings in the SRM UI between the provider's read and its write (the write is refused
// on change_version and retried on freshly read settings, never forced), and a protection group whose create
// task outlives its wait (the next up follows that task and takes the group it made: one group, no refusal).
import { expect } from "chai";
import { ProtectionGroup, RecoveryPlan, VmRecoverySettings } from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

const UPDATE_ROUTE =
  "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/vms/{vm_id}/recovery-settings/actions/update";

describe("cli: protection races and interrupted creates", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("a settings edit in SRM between read and write: refused on change_version, retried on fresh data", async () => {
    let groupTimeout = 600;
    const stack = await suite.stack({
      program: () => {
        const pairingId = suite.sim.ids.pairingId;
        const group = new ProtectionGroup("apps", {
          pairingId,
          name: "Apps",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          vms: ["vm-1100", "vm-1101"],
          taskTimeoutSeconds: groupTimeout,
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
          priority: 2,
          shutdownTimeoutSeconds: 240,
        });
        return { planId: plan.planId };
      },
    });
    suite.sim.faults.set({ concurrentEdits: { [UPDATE_ROUTE]: 1 } });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    const planId = up.outputs.planId!.value as string;
    const writes = suite.sim.requests.filter((r) => r.route === UPDATE_ROUTE);
    expect(
      writes.map((w) => w.status),
      "refused once, then accepted",
    ).to.deep.equal([400, 202]);
    const sent = writes.map((w) => (w.body as { change_version: number }).change_version);
    expect(sent[1], "the retry carries the version read after the edit").to.equal(sent[0]! + 1);
    const s = suite.sim.model.protection.settingsOf(planId, "vm-1100")!;
    expect([s.priority, s.shutdownTimeoutSeconds], "the program's settings").to.deep.equal(["P2", 240]);
    expect(stack.log.text).to.include("the settings changed in SRM meanwhile");
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 4 });

    // The group's create task outlives its wait: the up fails, SRM makes the group anyway.
    await stack.destroy();
    groupTimeout = 1;
    suite.sim.faults.set({ taskDurationMs: 4_000 });
    const failed = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(failed)).to.include("did not finish within 1 s");
    while (suite.sim.model.protection.groups.size === 0) await new Promise((r) => setTimeout(r, 200));
    suite.sim.faults.reset();
    groupTimeout = 600;
    const next = await stack.up();
    expect(next.summary.result).to.equal("succeeded");
    expect(stepOps(stack.events)).to.include({ apps: "create", tier0: "create", "app-01": "create" });
    expect(stack.log.text).to.include("made by an earlier create of this resource");
    const groups = [...suite.sim.model.protection.groups.values()];
    expect(
      groups.map((g) => g.name),
      "one group",
    ).to.deep.equal(["Apps"]);
    expect(stack.resources("ProtectionGroup")[0]!.id).to.equal(groups[0]!.id);
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 4 });
    await stack.destroy();
    expect(suite.sim.model.protection.groups.size).to.equal(0);
  });
});
