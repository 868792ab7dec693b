// ProtectionGroupFolder and RecoveryPlanFolder called directly against the simulator, with a group and a plan
// placed in them: create (also nested), rename in place, refresh, SRM's refusal to delete a folder that holds
// something, an existing folder of the same name refused, and ids that cannot be path segments.
import { protectionGroupImplementation as groups } from "../../provider/resources/protection-group.js";
import { protectionGroupFolderImplementation as groupFolders } from "../../provider/resources/protection-group-folder.js";
import { recoveryPlanImplementation as plans } from "../../provider/resources/recovery-plan.js";
import { recoveryPlanFolderImplementation as planFolders } from "../../provider/resources/recovery-plan-folder.js";
import type { ResourceImplementation } from "../../provider/dynamic/resource-implementation.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, errorText, expect, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

async function checked(impl: ResourceImplementation, news: Props): Promise<Props> {
  const result = await impl.check({}, news);
  expect(result.failures ?? []).to.deep.equal([]);
  return result.inputs as Props;
}

describe("resources: ProtectionGroupFolder, RecoveryPlanFolder", function () {
  this.timeout(60_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
  });
  after(async () => sim?.close());

  it("check names the bad field", async () => {
    const r = await groupFolders.check({}, { pairingId: sim.ids.pairingId, name: "", parentFolderId: ".." });
    expect(r.failures?.map((f) => f.property).sort()).to.deep.equal(["name", "parentFolderId"]);
    const g = await groups.check(
      {},
      { pairingId: "p", name: "x", protectedVcGuid: "g", vms: ["v"], folder: "." },
    );
    expect(g.failures?.map((f) => f.property)).to.deep.equal(["folder"]);
    const d = await planFolders.diff(
      "f",
      { pairingId: "p", name: "a" },
      { pairingId: "p", name: "a", parentFolderId: "x" },
    );
    expect(d.changes).to.equal(true);
    expect(d.replaces ?? [], "a new parent moves the folder in place").to.deep.equal([]);
    const other = await planFolders.diff("f", { pairingId: "p", name: "a" }, { pairingId: "q", name: "a" });
    expect(other.replaces).to.deep.equal(["pairingId"]);
  });

  it("moves a folder to another parent and back to the root in place; refuses a move into itself; reads a move made in SRM", async () => {
    const ctx = contextOf(sim);
    const pairingId = sim.ids.pairingId;
    const make = async (resourceName: string, name: string, parentFolderId?: string) =>
      planFolders.create(ctx, await checked(planFolders, { resourceName, pairingId, name, parentFolderId }));
    const a = await make("a", "Site-A");
    const b = await make("b", "Site-B");
    const child = await make("tier1", "Tier1", a.id);
    const folder = () => sim.model.folders.folders.get(child.id)!;

    const toB = await planFolders.update(ctx, child.id, child.outs, {
      ...(child.outs as Props),
      parentFolderId: b.id,
    });
    expect(folder().parent).to.equal(b.id);
    expect(toB.outs).to.include({ folderId: child.id, path: "/Site-B/Tier1", currentParentFolderId: b.id });
    const toRoot = await planFolders.update(ctx, child.id, toB.outs!, {
      ...(toB.outs as Props),
      parentFolderId: undefined,
    });
    expect(toRoot.outs).to.include({ path: "/Tier1" });
    expect(sim.model.folders.folders.get(child.id)?.parent).to.equal("DrRecoveryPlanFolder:root");

    const intoItself = await rejectionOf(
      planFolders.update(ctx, a.id, a.outs, { ...(a.outs as Props), parentFolderId: a.id }),
    );
    expect(errorText(intoItself)).to.include("destination_parent").and.include("itself");

    // Moved in SRM's UI: refresh reports the parent it is in now.
    sim.model.folders.folders.get(child.id)!.parent = a.id;
    const read = await planFolders.read!(ctx, child.id, toRoot.outs!);
    expect(read.props).to.include({ parentFolderId: a.id, currentParentFolderId: a.id });
    const readA = await planFolders.read!(ctx, a.id, a.outs);
    expect(readA.props).to.not.have.property("parentFolderId");

    for (const f of [child, a, b])
      await planFolders.delete!(ctx, f.id, f.id === child.id ? read.props! : f.outs);
  });

  it("places a group and a plan in folders; renames in place; refuses to delete a folder that holds something", async () => {
    const ctx = contextOf(sim);
    const pairingId = sim.ids.pairingId;
    const top = await groupFolders.create(
      ctx,
      await checked(groupFolders, { resourceName: "dr", pairingId, name: "DR" }),
    );
    const nested = await groupFolders.create(
      ctx,
      await checked(groupFolders, { resourceName: "web", pairingId, name: "Web", parentFolderId: top.id }),
    );
    expect(nested.outs).to.include({ folderId: nested.id, path: "/DR/Web", currentParentFolderId: top.id });

    const gIn = await checked(groups, {
      resourceName: "apps",
      pairingId,
      name: "Apps",
      protectedVcGuid: sim.ids.localVcGuid,
      vms: ["vm-1100"],
      folder: nested.id,
    });
    const g = await groups.create(ctx, gIn);
    expect(g.outs).to.include({ folder: nested.id, currentFolderId: nested.id });
    const planFolder = await planFolders.create(
      ctx,
      await checked(planFolders, { resourceName: "t1", pairingId, name: "Tier1" }),
    );
    const pIn = await checked(plans, {
      resourceName: "plan",
      pairingId,
      name: "Apps-DR",
      protectedVcGuid: sim.ids.localVcGuid,
      protectionGroupIds: [g.id],
      folder: planFolder.id,
    });
    const p = await plans.create(ctx, pIn);
    expect(p.outs).to.include({ currentFolderId: planFolder.id });
    expect(sim.model.plans.get(p.id)?.folderId).to.equal(planFolder.id);

    // A folder of the same name where one exists is SRM's object, not this resource's.
    const twin = await rejectionOf(
      groupFolders.create(ctx, await checked(groupFolders, { pairingId, name: "DR" })),
    );
    expect(errorText(twin)).to.match(
      /a folder named "DR" already exists there \(DrProtectionGroupFolder:.*import/,
    );

    // Rename in place; refresh reads a rename made in the UI back as the name.
    const renamed = await groupFolders.update(ctx, top.id, top.outs!, {
      ...top.outs,
      name: "Disaster Recovery",
    });
    expect(renamed.outs).to.include({
      folderId: top.id,
      name: "Disaster Recovery",
      path: "/Disaster Recovery",
    });
    sim.model.folders.folders.get(top.id)!.name = "DR-old";
    const read = await groupFolders.read(ctx, top.id, renamed.outs!);
    expect(read.props).to.include({ name: "DR-old" });

    const full = await rejectionOf(groupFolders.delete(ctx, nested.id, nested.outs!));
    expect(errorText(full)).to.match(/Cannot delete folder 'Web': it holds 'Apps'.*FOLDER_NOT_EMPTY/s);

    // Moved in the UI: refresh reports the declared folder changed.
    sim.model.protection.groups.get(g.id)!.folderId = top.id;
    const moved = await groups.read(ctx, g.id, g.outs!);
    expect(moved.props).to.include({ folder: top.id, currentFolderId: top.id });
    sim.model.protection.groups.get(g.id)!.folderId = nested.id;

    await plans.delete(ctx, p.id, p.outs!);
    await planFolders.delete(ctx, planFolder.id, planFolder.outs!);
    await groups.delete(ctx, g.id, g.outs!);
    await groupFolders.delete(ctx, nested.id, nested.outs!);
    await groupFolders.delete(ctx, top.id, read.props!);
    expect(sim.model.folders.folders.size).to.equal(0);
    // Already gone: delete is a no-op, read drops it.
    await groupFolders.delete(ctx, top.id, read.props!);
    expect((await groupFolders.read(ctx, top.id, read.props!)).id).to.equal("");
  });

  it("a group's folder that does not exist is refused by SRM, naming the field", async () => {
    const ctx = contextOf(sim);
    const e = await rejectionOf(
      groups.create(
        ctx,
        await checked(groups, {
          pairingId: sim.ids.pairingId,
          name: "Nowhere",
          protectedVcGuid: sim.ids.localVcGuid,
          vms: ["vm-1102"],
          folder: "DrRecoveryPlanFolder:root",
        }),
      ),
    );
    expect(errorText(e)).to.match(/field 'location'.*not a protection group folder/);
    expect(sim.model.protection.groups.size).to.equal(0);
  });
});
