// A folder's parent changed in the program, through the real pulumi CLI: the preview shows an update (not a
// replacement), up moves the folder in SRM with the plan it holds, keeping its id, and moves it back to the root.
import { expect } from "chai";
import { RecoveryPlan, RecoveryPlanFolder } from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

describe("cli: folder move", function () {
  this.timeout(5 * 60_000);
  const suite = useCliSuite();

  it("moves a folder holding a plan to another parent and to the root in place", async () => {
    let parent: "a" | "b" | "root" = "a";
    const stack = await suite.stack({
      program: () => {
        const pairingId = suite.sim.ids.pairingId;
        const a = new RecoveryPlanFolder("site-a", { pairingId, name: "Site-A" });
        const b = new RecoveryPlanFolder("site-b", { pairingId, name: "Site-B" });
        const tier1 = new RecoveryPlanFolder("tier1", {
          pairingId,
          name: "Tier1",
          parentFolderId: parent === "root" ? undefined : parent === "a" ? a.id : b.id,
        });
        const plan = new RecoveryPlan("plan", {
          pairingId,
          name: "Moved",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          folder: tier1.id,
        });
        return { tier1: tier1.folderId, a: a.folderId, b: b.folderId, planId: plan.planId };
      },
    });
    const up = await stack.up();
    const id = up.outputs.tier1!.value as string;
    const folder = () => suite.sim.model.folders.folders.get(id);
    expect(folder()?.parent).to.equal(up.outputs.a!.value);

    parent = "b";
    const preview = await stack.preview();
    expect(preview.changeSummary).to.deep.equal({ same: 4, update: 1 });
    await stack.up();
    expect(stepOps(stack.events)).to.deep.include({ tier1: "update" });
    expect(folder()?.parent, "moved, same id").to.equal(up.outputs.b!.value);
    expect(
      suite.sim.model.plans.get(up.outputs.planId!.value as string)?.folderId,
      "the plan moved with it",
    ).to.equal(id);
    expect(stack.resources("RecoveryPlanFolder").find((r) => r.id === id)?.outputs).to.include({
      path: "/Site-B/Tier1",
    });

    parent = "root";
    await stack.up();
    expect(folder()?.parent).to.equal("DrRecoveryPlanFolder:root");
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 5 });
    await stack.destroy();
    expect(suite.sim.model.folders.folders.size).to.equal(0);
  });
});
