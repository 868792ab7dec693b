// A delete whose answer is lost after SRM accepted it is repeated by the client; the object is then gone
// (404) or being deleted by the first task (the second task finds nothing). Either way the resource is
// deleted, and `destroy` must succeed rather than fail on an object that no longer exists.
import { pairingImplementation as pairing } from "../../provider/resources/pairing.js";
import { recoveryStepCalloutImplementation as callout } from "../../provider/resources/recovery-step-callout.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, expect } from "./helpers.js";

type Props = Record<string, unknown>;

const STEP_DELETE =
  "DELETE /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}/{recovery_step_id}";

describe("resources: deletes whose answer was lost", () => {
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSimulator({ taskQueuedMs: 5, taskDurationMs: 30 });
  });
  afterEach(async () => {
    await sim.close();
  });

  async function createdCallout() {
    const planId = sim.ids.plans["Tier1-Apps"];
    const ctx = contextOf(sim);
    const checked = await callout.check(
      {},
      {
        resourceName: "notify",
        pairingId: sim.ids.pairingId,
        planId,
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
        name: "Notify",
        content: "Call the DBA",
        calloutType: "PROMPT",
      },
    );
    expect(checked.failures ?? []).to.deep.equal([]);
    const created = await callout.create(ctx, checked.inputs as Props);
    return { ctx, planId, created, stepId: (created.outs as Props).stepId as number };
  }

  it("RecoveryStepCallout: the repeated DELETE starts a second task that finds the step gone", async () => {
    const { ctx, planId, created, stepId } = await createdCallout();
    // The first task still runs when the retry (after the client's back-off) arrives.
    sim.faults.set({ dropAnswers: { [STEP_DELETE]: 1 }, taskDurationMs: 1_000 });
    await callout.delete(ctx, created.id, created.outs as Props);
    expect(sim.model.findStep(planId, "test", stepId)).to.equal(undefined);
    const deletes = sim.requests.filter((r) => r.route === STEP_DELETE);
    expect(deletes.map((r) => r.answerDropped ?? r.status)).to.deep.equal([202, 202]);
  });

  it("RecoveryStepCallout: the repeated DELETE arrives after the step is gone and gets 404", async () => {
    const { ctx, planId, created, stepId } = await createdCallout();
    // The first task (30 ms) is done before the retry (after the client's back-off) arrives.
    sim.faults.set({ dropAnswers: { [STEP_DELETE]: 1 } });
    await callout.delete(ctx, created.id, created.outs as Props);
    expect(sim.model.findStep(planId, "test", stepId)).to.equal(undefined);
    const deletes = sim.requests.filter((r) => r.route === STEP_DELETE);
    expect(deletes.map((r) => r.answerDropped ?? r.status)).to.deep.equal([202, 404]);
  });

  it("Pairing: a lost DELETE answer still ends with the pairing deleted and destroy succeeding", async () => {
    const ctx = contextOf(sim);
    const checked = await pairing.check(
      {},
      {
        resourceName: "dr-c",
        remoteVcGuid: sim.ids.spareRemoteVcGuid,
        pscUrl: sim.ids.spareRemotePscUrl,
        pscThumbprint: sim.ids.spareRemotePscThumbprint || undefined,
        pscUsername: sim.credentials.remoteUsername,
        pscPassword: sim.credentials.remotePassword,
      },
    );
    expect(checked.failures ?? []).to.deep.equal([]);
    const created = await pairing.create(ctx, checked.inputs as Props);
    sim.faults.set({ dropAnswers: { "DELETE /pairings/{pairing_id}": 1 }, taskDurationMs: 1_000 });
    await pairing.delete(ctx, created.id, created.outs as Props);
    expect(sim.model.pairings.has(created.id)).to.equal(false);
    const deletes = sim.requests.filter((r) => r.route === "DELETE /pairings/{pairing_id}");
    expect(deletes[0]).to.include({ answerDropped: 202 });
  });
});
