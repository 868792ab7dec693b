// ProtectionGroup, RecoveryPlan and VmRecoverySettings called directly against the simulator: each
// lifecycle, a group whose membership changes under a plan, a VM moved between priorities, a concurrent
// edit retried on fresh data, SRM's refusals, and a plan after reprotect without false drift.
import { protectionGroupImplementation as groups } from "../../provider/resources/protection-group.js";
import { recoveryPlanImplementation as plans } from "../../provider/resources/recovery-plan.js";
import { vmRecoverySettingsImplementation as vmSettings } from "../../provider/resources/vm-recovery-settings.js";
import type { ResourceImplementation } from "../../provider/dynamic/resource-implementation.js";
import { lookupPlanVm, lookupProtectionGroup } from "../../provider/lookups/protection.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, errorText, expect, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

async function checked(impl: ResourceImplementation, news: Props): Promise<Props> {
  const result = await impl.check({}, news);
  expect(result.failures ?? []).to.deep.equal([]);
  return result.inputs as Props;
}

describe("resources: ProtectionGroup, RecoveryPlan, VmRecoverySettings", function () {
  this.timeout(60_000);
  let sim: Simulator;
  const vm = { app1: "vm-1100", app2: "vm-1101", db: "vm-1102", jump: "vm-1103" };

  before(async () => {
    sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
  });
  after(async () => {
    await sim?.close();
  });

  const groupInputs = (patch: Props = {}) => ({
    resourceName: "apps",
    pairingId: sim.ids.pairingId,
    name: "Apps",
    protectedVcGuid: sim.ids.localVcGuid,
    vms: [vm.app1, vm.app2],
    ...patch,
  });

  it("check names the bad field of each resource", async () => {
    const g = await groups.check({}, groupInputs({ vms: undefined }));
    expect(g.failures?.map((f) => f.property)).to.deep.equal(["vms"]);
    const p = await plans.check({}, { pairingId: "p", name: "x", protectedVcGuid: "g", testNetworks: [{}] });
    expect(p.failures?.[0].property).to.match(/^testNetworks\[0\]/);
    const s = await vmSettings.check({}, { pairingId: "p", planId: "x", vmId: "v", priority: 6 });
    expect(s.failures?.map((f) => f.property)).to.deep.equal(["priority"]);
    const self = await vmSettings.check({}, { pairingId: "p", planId: "x", vmId: "v", dependsOnVms: ["v"] });
    expect(self.failures?.map((f) => f.property)).to.deep.equal(["dependsOnVms"]);
  });

  it("builds a group, a plan and VM settings; membership change, priority move, refusals, defaults on delete", async () => {
    const ctx = contextOf(sim);
    const gIn = await checked(groups, groupInputs());
    const g = await groups.create(ctx, gIn);
    expect(sim.model.protection.groups.get(g.id)?.vms).to.deep.equal([vm.app1, vm.app2]);
    expect(g.outs).to.include({ groupId: g.id, currentProtectedVcGuid: sim.ids.localVcGuid, totalVms: 2 });

    const pIn = await checked(plans, {
      resourceName: "tier0",
      pairingId: sim.ids.pairingId,
      name: "Tier0",
      protectedVcGuid: sim.ids.localVcGuid,
      protectionGroupIds: [g.id],
      testNetworks: [{ recoveryNetwork: "dvportgroup-2021", testNetwork: "dvportgroup-2023" }],
      vmsToSuspend: ["vm-2103"],
    });
    const p = await plans.create(ctx, pIn);
    const planState = sim.model.plans.get(p.id)!;
    expect(planState.status).to.equal("READY_STATE");
    expect(planState.vmsToSuspend).to.deep.equal(["vm-2103"]);
    expect(sim.model.planVmIds(planState)).to.deep.equal([vm.app1, vm.app2]);

    // VM settings: app1 first, app2 depends on nothing; then app1 moves to priority 2.
    const sIn = await checked(vmSettings, {
      resourceName: "app1",
      pairingId: sim.ids.pairingId,
      planId: p.id,
      vmId: vm.app1,
      priority: 1,
      postPowerOnCommands: [{ name: "smoke", content: "/bin/check", kind: "RUN_ON_SRM_SERVER" }],
      ipCustomization: "MANUAL",
      nics: [{ deviceId: 0, ipAddress: "10.2.0.10", subnetMask: "255.255.255.0", gateway: "10.2.0.1" }],
    });
    const s = await vmSettings.create(ctx, sIn);
    expect(sim.model.protection.settingsOf(p.id, vm.app1)).to.include({
      priority: "P1",
      ipCustomizationType: "MANUAL",
    });
    const moved = { ...sIn, priority: 2 };
    const d = await vmSettings.diff(s.id, s.outs!, moved);
    expect(d).to.include({ changes: true });
    expect(d.replaces).to.deep.equal([]);
    await vmSettings.update(ctx, s.id, s.outs!, moved);
    expect(sim.model.protection.settingsOf(p.id, vm.app1)?.priority).to.equal("P2");

    // Refresh shows an edit made in the UI, and a refresh without edits shows none.
    const clean = await vmSettings.read(ctx, s.id, { ...s.outs!, priority: 2 });
    expect((await vmSettings.diff(s.id, clean.props!, moved)).changes).to.equal(false);
    sim.model.protection.settingsOf(p.id, vm.app1)!.priority = "P5";
    const drifted = await vmSettings.read(ctx, s.id, clean.props!);
    expect(drifted.props).to.include({ priority: 5 });
    expect((await vmSettings.diff(s.id, drifted.props!, moved)).changes).to.equal(true);

    // An edit made in SRM since the last read bumps change_version; the write uses the current one.
    const stale = sim.model.protection.settingsOf(p.id, vm.app1)!.changeVersion;
    sim.model.protection.settingsOf(p.id, vm.app1)!.changeVersion = stale + 7;
    await vmSettings.update(ctx, s.id, drifted.props!, moved);
    expect(sim.model.protection.settingsOf(p.id, vm.app1)).to.include({
      priority: "P2",
      changeVersion: stale + 8,
    });

    // Membership: app2 leaves, db joins; the plan follows and app2's settings go.
    const gNew = { ...gIn, vms: [vm.app1, vm.db] };
    expect((await groups.diff(g.id, g.outs!, gNew)).replaces).to.deep.equal([]);
    await groups.update(ctx, g.id, g.outs!, gNew);
    expect(sim.model.planVmIds(planState)).to.deep.equal([vm.app1, vm.db]);
    expect(sim.model.protection.settingsOf(p.id, vm.app2)).to.equal(undefined);

    // A VM that is not replicated is refused, naming it.
    const notReplicated = await rejectionOf(groups.update(ctx, g.id, g.outs!, { ...gIn, vms: [vm.jump] }));
    expect(errorText(notReplicated)).to.include("NOT_REPLICATED").and.include("jump-a-01");

    // SRM refuses to delete a group a plan holds.
    const inUse = await rejectionOf(groups.delete(ctx, g.id, g.outs!));
    expect(errorText(inUse)).to.include("PROTECTION_GROUP_IN_USE").and.include("Tier0");

    // Deleting the settings restores SRM's defaults.
    await vmSettings.delete(ctx, s.id, s.outs!);
    expect(sim.model.protection.settingsOf(p.id, vm.app1)).to.include({
      priority: "P3",
      ipCustomizationType: "AUTO",
      startupAction: "POWER_ON",
    });
    expect(sim.model.protection.settingsOf(p.id, vm.app1)?.postPowerOnSteps).to.deep.equal([]);

    // A running plan cannot be deleted.
    sim.model.setPlanStatus(p.id, "TEST_IN_PROGRESS");
    const running = await rejectionOf(plans.delete(ctx, p.id, p.outs!));
    expect(errorText(running)).to.include("INVALID_PLAN_STATE").and.include("Tier0");
    sim.model.setPlanStatus(p.id, "READY_STATE");

    await plans.delete(ctx, p.id, p.outs!);
    await groups.delete(ctx, g.id, g.outs!);
    expect(sim.model.plans.has(p.id)).to.equal(false);
    expect(sim.model.protection.groups.has(g.id)).to.equal(false);
  });

  it("an existing group or plan of the same name is an error naming it and adopt; with adopt it is taken over and set", async () => {
    const ctx = contextOf(sim);
    const made = await groups.create(
      ctx,
      await checked(groups, groupInputs({ name: "Legacy", vms: [vm.app1] })),
    );
    const plan = await plans.create(
      ctx,
      await checked(plans, {
        resourceName: "legacy",
        pairingId: sim.ids.pairingId,
        name: "Legacy-Plan",
        protectedVcGuid: sim.ids.localVcGuid,
        protectionGroupIds: [made.id],
      }),
    );
    const gIn = await checked(
      groups,
      groupInputs({ resourceName: "other", name: "Legacy", vms: [vm.app1, vm.db] }),
    );
    const refusal = errorText(await rejectionOf(groups.create(ctx, gIn)));
    expect(refusal).to.include(`"Legacy" already exists (${made.id})`).and.include("adopt: true");
    const pIn = await checked(plans, {
      resourceName: "other-plan",
      pairingId: sim.ids.pairingId,
      name: "Legacy-Plan",
      protectedVcGuid: sim.ids.localVcGuid,
      protectionGroupIds: [made.id],
      vmsToSuspend: ["vm-2103"],
      description: "adopted",
    });
    expect(errorText(await rejectionOf(plans.create(ctx, pIn))))
      .to.include(`"Legacy-Plan" already exists (${plan.id})`)
      .and.include("adopt: true");
    expect(sim.model.protection.groups.size, "nothing made").to.equal(1);

    // A fixed property that differs cannot be adopted: the error names it.
    const wrongSite = await checked(groups, { ...gIn, adopt: true, protectedVcGuid: sim.ids.remoteVcGuid });
    expect(errorText(await rejectionOf(groups.create(ctx, wrongSite)))).to.include("protectedVcGuid is");

    const g = await groups.create(ctx, { ...gIn, adopt: true });
    expect(g.id).to.equal(made.id);
    expect(sim.model.protection.groups.get(made.id)?.vms, "declared members set").to.deep.equal([
      vm.app1,
      vm.db,
    ]);
    const p = await plans.create(ctx, { ...pIn, adopt: true });
    expect(p.id).to.equal(plan.id);
    expect(sim.model.plans.get(plan.id)).to.include({ description: "adopted" });
    expect(sim.model.plans.get(plan.id)?.vmsToSuspend).to.deep.equal(["vm-2103"]);
    expect(p.outs).to.include({ adopt: true, planId: plan.id });

    // Adopted objects are the resource's: delete deletes them.
    await plans.delete(ctx, p.id, p.outs);
    await groups.delete(ctx, g.id, g.outs);
    expect(sim.model.plans.has(plan.id)).to.equal(false);
    expect(sim.model.protection.groups.has(made.id)).to.equal(false);
  });

  it("reads a plan and its group after a reprotect without drift, reporting the new direction", async () => {
    const ctx = contextOf(sim);
    const gIn = await checked(groups, groupInputs({ name: "Rp", vms: [vm.app1] }));
    const g = await groups.create(ctx, gIn);
    const pIn = await checked(plans, {
      pairingId: sim.ids.pairingId,
      name: "Rp-plan",
      protectedVcGuid: sim.ids.localVcGuid,
      protectionGroupIds: [g.id],
    });
    const p = await plans.create(ctx, pIn);
    sim.model.swapDirection(sim.model.plans.get(p.id)!);
    const pr = await plans.read(ctx, p.id, p.outs!);
    const gr = await groups.read(ctx, g.id, g.outs!);
    expect(pr.props).to.include({
      currentProtectedVcGuid: sim.ids.remoteVcGuid,
      protectedVcGuid: sim.ids.localVcGuid,
    });
    expect(gr.props).to.include({ currentProtectedVcGuid: sim.ids.remoteVcGuid });
    expect((await plans.diff(p.id, pr.props!, pIn)).changes).to.equal(false);
    expect((await groups.diff(g.id, gr.props!, gIn)).changes).to.equal(false);
  });
});

describe("resources: getProtectionGroup and getPlanVm", function () {
  this.timeout(60_000);
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
  });
  after(async () => {
    await sim?.close();
  });

  it("find a group and a protected VM by name, and list what exists when the name is wrong", async () => {
    const ctx = contextOf(sim);
    const g = await groups.create(
      ctx,
      await checked(groups, {
        pairingId: sim.ids.pairingId,
        name: "Web",
        protectedVcGuid: sim.ids.localVcGuid,
        vms: ["vm-1100"],
      }),
    );
    const p = await plans.create(
      ctx,
      await checked(plans, {
        pairingId: sim.ids.pairingId,
        name: "Web-plan",
        protectedVcGuid: sim.ids.localVcGuid,
        protectionGroupIds: [g.id],
      }),
    );
    const found = await lookupProtectionGroup({ pairingId: sim.ids.pairingId, name: "Web" }, ctx);
    expect(found).to.deep.include({ groupId: g.id, vms: [{ id: "vm-1100", name: "app-a-01" }] });
    const vmFound = await lookupPlanVm({ pairingId: sim.ids.pairingId, planId: p.id, name: "app-a-01" }, ctx);
    expect(vmFound).to.deep.equal({ id: "vm-1100", name: "app-a-01", protectionGroupId: g.id });
    const missing = await rejectionOf(
      lookupPlanVm({ pairingId: sim.ids.pairingId, planId: p.id, name: "nope" }, ctx),
    );
    expect(missing.message).to.include('"app-a-01" (vm-1100)');
    const noGroup = await rejectionOf(
      lookupProtectionGroup({ pairingId: sim.ids.pairingId, name: "x" }, ctx),
    );
    expect(noGroup.message).to.include('"Web"');
  });
});
