// Protection groups and plans that already exist in SRM when `pulumi up` creates them, through the real pulumi
// CLI: a plan whose create task outlived its wait (the next up follows that task and takes the plan it made: one
// plan, no refusal), and a group and a plan made outside the stack (an error naming them and `adopt` until the
// program sets `adopt: true`; then taken over, set to the program, and deleted by destroy).
import { expect } from "chai";
import { ProtectionGroup, RecoveryPlan } from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli, stepOps } from "./harness.js";

describe("cli: protection groups and plans that exist already", function () {
  this.timeout(10 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    sim = await startSimulator();
  });
  afterEach(() => {
    stack?.dispose();
    stack = undefined;
  });
  after(async () => {
    await sim?.close();
  });

  const plansNamed = (name: string) => [...sim.model.plans.values()].filter((p) => p.name === name);

  it("a plan whose create task outlives its wait: the next up follows the task and ends with one plan", async () => {
    let planTimeout = 1;
    stack = await CliStack.create({
      sim,
      program: () => {
        const pairingId = sim.ids.pairingId;
        const group = new ProtectionGroup("apps", {
          pairingId,
          name: "Apps",
          protectedVcGuid: sim.ids.localVcGuid,
          vms: ["vm-1100"],
        });
        new RecoveryPlan("tier0", {
          pairingId,
          name: "Tier0",
          protectedVcGuid: sim.ids.localVcGuid,
          protectionGroupIds: [group.id],
          vmsToSuspend: ["vm-2103"],
          taskTimeoutSeconds: planTimeout,
        });
      },
    });
    sim.faults.set({ taskDurationMs: 3_000 });
    const failed = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(failed)).to.include("did not finish within 1 s");
    while (plansNamed("Tier0").length === 0) await new Promise((r) => setTimeout(r, 200));
    sim.faults.reset();
    planTimeout = 600;
    const next = await stack.up();
    expect(next.summary.result).to.equal("succeeded");
    expect(stepOps(stack.events)).to.include({ tier0: "create" });
    expect(stack.log.text).to.include("made by an earlier create of this resource");
    const made = plansNamed("Tier0");
    expect(made, "one plan").to.have.length(1);
    expect(made[0]!.vmsToSuspend, "the settings the create spec lacks are set after").to.deep.equal([
      "vm-2103",
    ]);
    expect(stack.resources("RecoveryPlan")[0]!.id).to.equal(made[0]!.id);
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 3 });
    await stack.destroy();
    expect(plansNamed("Tier0")).to.have.length(0);
  });

  it("a group and a plan made outside the stack: refused without adopt, taken over with it, deleted by destroy", async () => {
    const group = sim.model.protection.addGroup({
      pairingId: sim.ids.pairingId,
      name: "Legacy",
      description: "made in the UI",
      replicationType: "HBR",
      protectedVcGuid: sim.ids.localVcGuid,
      recoveryVcGuid: sim.ids.remoteVcGuid,
      protectedSiteName: "Site-A",
      recoverySiteName: "Site-B",
      vms: ["vm-1101"],
      arrayPair: null,
      datastores: [],
    });
    const plan = sim.model.addPlan({
      pairingId: sim.ids.pairingId,
      name: "Legacy-Plan",
      description: null,
      protectedVcGuid: sim.ids.localVcGuid,
      recoveryVcGuid: sim.ids.remoteVcGuid,
      protectedSiteName: "Site-A",
      recoverySiteName: "Site-B",
      groupIds: [group.id],
      testNetworks: [],
      vmsToSuspend: [],
    });
    let adopt = false;
    stack = await CliStack.create({
      sim,
      program: () => {
        const pairingId = sim.ids.pairingId;
        const g = new ProtectionGroup("legacy", {
          pairingId,
          name: "Legacy",
          protectedVcGuid: sim.ids.localVcGuid,
          vms: ["vm-1101", "vm-1102"],
          adopt,
        });
        new RecoveryPlan("legacy-plan", {
          pairingId,
          name: "Legacy-Plan",
          description: "managed",
          protectedVcGuid: sim.ids.localVcGuid,
          protectionGroupIds: [g.id],
          adopt,
        });
      },
    });
    const refused = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(String(refused)).to.include(`"Legacy" already exists (${group.id})`).and.include("adopt: true");
    expect(sim.model.protection.groups.get(group.id)?.vms, "untouched").to.deep.equal(["vm-1101"]);

    adopt = true;
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(stack.resources("ProtectionGroup")[0]!.id).to.equal(group.id);
    expect(stack.resources("RecoveryPlan")[0]!.id).to.equal(plan.id);
    expect(sim.model.protection.groups.get(group.id)?.vms, "set to the program").to.deep.equal([
      "vm-1101",
      "vm-1102",
    ]);
    expect(sim.model.plans.get(plan.id)?.description).to.equal("managed");
    expect(plansNamed("Legacy-Plan"), "no second plan").to.have.length(1);
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 3 });

    await stack.destroy();
    expect(sim.model.plans.has(plan.id)).to.equal(false);
    expect(sim.model.protection.groups.has(group.id)).to.equal(false);
  });
});
