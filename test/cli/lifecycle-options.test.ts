// Refresh of changes made outside Pulumi, and the resource options `protect` and `retainOnDelete`, through the
// real pulumi CLI: each behaves as Pulumi documents it for any resource.
import { expect } from "chai";
import { RecoveryStepCallout } from "pulumi-srm";
import { useCliSuite } from "./harness.js";

describe("cli: refresh after outside changes; protect and retainOnDelete", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("refresh reports an outside edit and delete, up restores them; protect blocks destroy; retainOnDelete keeps the step", async () => {
    const planId = suite.sim.ids.plans["Tier1-Apps"]!;
    const callout = (name: string, index: number, content: string) => ({
      pairingId: suite.sim.ids.pairingId,
      planId,
      anchor: "AT_END" as const,
      index,
      name,
      content,
      calloutType: "PROMPT" as const,
    });
    const stack = await suite.stack({
      program: () => {
        new RecoveryStepCallout("plain", callout("Plain step", 0, "Confirm the plain step"));
        new RecoveryStepCallout("kept", callout("Kept step", 1, "Confirm the kept step"), {
          retainOnDelete: true,
        });
        new RecoveryStepCallout("guarded", callout("Guarded step", 2, "Confirm the guarded step"), {
          protect: true,
        });
      },
    });
    await stack.up();
    const atEnd = () => (suite.sim.model.customSteps(planId).AT_END ?? []).map((s) => s.callout!.name);
    expect(atEnd()).to.deep.equal(["Plain step", "Kept step", "Guarded step"]);

    // Outside Pulumi: the plain step is deleted, the kept step's text edited.
    const stepOf = (name: string) =>
      suite.sim.model.customSteps(planId).AT_END!.find((s) => s.callout!.name === name)!;
    const edited = suite.sim.model.editCallout(planId, "recovery", stepOf("Kept step").id, {
      content: "Edited in the UI",
    });
    expect(edited).to.equal(true);
    expect(suite.sim.model.deleteStep(planId, "recovery", stepOf("Plain step").id)).to.equal(true);
    const refresh = await stack.refresh();
    // The deleted step is gone from state; the edited one and the one whose index shifted read back as drift.
    expect(refresh.summary.resourceChanges?.delete).to.equal(1);
    expect(refresh.summary.resourceChanges?.update).to.be.at.least(1);
    const repair = await stack.up();
    expect(repair.summary.resourceChanges?.create).to.equal(1);
    expect(repair.summary.resourceChanges?.update).to.be.at.least(1);
    expect(atEnd()).to.deep.equal(["Plain step", "Kept step", "Guarded step"]);
    expect(stepOf("Kept step").callout!.content).to.equal("Confirm the kept step");

    // A protected resource fails destroy and stays, in state and in SRM.
    const refused = await stack.destroy().then(
      () => "",
      (e: unknown) => String(e),
    );
    expect(refused).to.match(/protect/i);
    expect(atEnd()).to.include("Guarded step");
    expect(stack.resources("RecoveryStepCallout").map((r) => r.urn.split("::").pop())).to.include("guarded");

    // As Pulumi documents: unprotect in state, then destroy.
    stack.cli(["state", "unprotect", stack.urn("RecoveryStepCallout", "guarded"), "--yes"]);
    await stack.destroy();
    // retainOnDelete: the step leaves the stack but stays in SRM.
    expect(atEnd()).to.deep.equal(["Kept step"]);
    expect(stack.resources("RecoveryStepCallout")).to.deep.equal([]);
  });
});
