// A preview where an id is unknown because it comes from a resource being updated. The engine shows a
// resource being updated with its new inputs as outputs and every other output unknown, so a callout whose
// planId is the RecoveryPlan's `planId` output previews as a replacement, though `up` changes nothing there.
// The same callout taking the plan's resource `id` (which an update keeps) previews exactly: unchanged.
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { ProtectionGroup, RecoveryPlan, RecoveryStepCallout } from "pulumi-srm";
import { useCliSuite } from "./harness.js";

/** Per resource of the program: the steps' ops in order, and the keys the engine says cause a replacement. */
function planned(events: EngineEvent[]): Record<string, { ops: string[]; keys: string[] }> {
  const out: Record<string, { ops: string[]; keys: string[] }> = {};
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || !m.type.startsWith("pulumi-nodejs:dynamic/")) continue;
    const r = (out[m.urn.slice(m.urn.lastIndexOf("::") + 2)] ??= { ops: [], keys: [] });
    r.ops.push(m.op);
    r.keys = [...new Set([...r.keys, ...(m.keys ?? [])])].sort();
  }
  return out;
}

describe("cli: preview of an id taken from a resource being updated", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("planId from the plan's output previews a replacement that up does not do; plan.id previews exactly", async () => {
    let description = "Front-end tier, protected by the stack";
    const stack = await suite.stack({
      program: () => {
        const group = new ProtectionGroup("apps", {
          pairingId: suite.sim.ids.pairingId,
          name: "Apps",
          protectedVcGuid: suite.sim.ids.localVcGuid,
          vms: ["vm-1100", "vm-1101"],
        });
        const plan = new RecoveryPlan("tier0", {
          pairingId: suite.sim.ids.pairingId,
          name: "Tier0",
          description,
          protectedVcGuid: suite.sim.ids.localVcGuid,
          protectionGroupIds: [group.id],
        });
        const step = { pairingId: suite.sim.ids.pairingId, calloutType: "PROMPT" as const, index: 0 };
        // Unknown in the preview of an update of the plan: an output other than the resource id.
        new RecoveryStepCallout("from-output", {
          ...step,
          planId: plan.planId,
          anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
          name: "Confirm the test network",
          content: "Continue once the test network is isolated.",
        });
        // Known in every preview: the resource id, which an update keeps.
        new RecoveryStepCallout("from-id", {
          ...step,
          planId: plan.id,
          anchor: "AT_END",
          name: "Notify the owners",
          content: "Tell the application owners the plan has run.",
        });
      },
    });
    expect((await stack.up()).summary.resourceChanges).to.deep.equal({ create: 5 });
    const planId = stack.resources("RecoveryPlan")[0]!.id!;
    const stepIds = () =>
      Object.values(suite.sim.model.customSteps(planId))
        .flat()
        .map((s) => s!.id)
        .sort();
    const before = stepIds();
    expect(before).to.have.length(2);

    // The edit updates the plan in place (its description).
    description = "Front-end tier, edited";
    await stack.preview({ diff: true });
    expect(planned(stack.events)).to.deep.equal({
      apps: { ops: ["same"], keys: [] },
      tier0: { ops: ["update"], keys: [] },
      "from-output": { ops: ["delete-replaced", "replace", "create-replacement"], keys: ["planId"] },
      "from-id": { ops: ["same"], keys: [] },
    });
    // What `pulumi preview --diff` prints for it: the unknown planId as the reason for the replacement.
    expect(stack.log.text).to.match(/\+-\s*pulumi-nodejs:dynamic\/srm:RecoveryStepCallout: \(replace\)/);
    expect(stack.log.text).to.match(/~ planId\s*: "plan-[^"]+" => \[unknown\]/);

    // `up` updates the plan and, with the plan's id known again, leaves both callouts as they were.
    const up = await stack.up();
    expect(up.summary.resourceChanges).to.deep.equal({ same: 4, update: 1 });
    expect(planned(stack.events)).to.deep.include({
      "from-output": { ops: ["same"], keys: [] },
      "from-id": { ops: ["same"], keys: [] },
    });
    expect(stepIds(), "no step was deleted or made again").to.deep.equal(before);
    expect(suite.sim.model.plans.get(planId)!.description).to.equal(description);

    await stack.destroy();
    expect(suite.sim.model.plans.has(planId)).to.equal(false);
  });
});
