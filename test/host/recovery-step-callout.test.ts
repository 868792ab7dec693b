// RecoveryStepCallout through the real dynamic-provider host with the real serialized provider.
import { expect } from "chai";
import { UNKNOWN, type Props } from "./driver/host-process.js";
import { serializedProvider, startHostFixture, TYPES, type HostFixture } from "./helpers.js";

describe("host: RecoveryStepCallout", function () {
  this.timeout(30_000);
  let f: HostFixture;
  let provider: string;
  let planId: string;
  const urn = () => f.host.urn(TYPES.RecoveryStepCallout, "confirm-network");

  before(async () => {
    f = await startHostFixture();
    provider = await serializedProvider("RecoveryStepCallout");
    planId = f.sim.ids.plans["Tier1-Apps"]!;
  });
  after(async () => f?.close());

  function news(over: Props = {}): Props {
    return {
      __provider: provider,
      resourceName: "confirm-network",
      pairingId: f.sim.ids.pairingId,
      planId,
      anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
      index: 0,
      name: "Confirm the isolated test network",
      content: "Check the test bubble network, then continue.",
      calloutType: "PROMPT",
      ...over,
    };
  }
  const check = async (n: Props) => (await f.check(urn(), {}, n)).inputs;
  /** The custom step at index `index` before "Power on priority 1 VMs". */
  const stepAt = (index: number) => f.sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS?.[index];

  let id = "";
  let outputs: Props = {};

  it("Check accepts good inputs and applies the timeout defaults per type", async () => {
    const prompt = await f.check(urn(), {}, news());
    expect(prompt.failures).to.deep.equal([]);
    expect(prompt.inputs).to.include({ timeoutSeconds: 0, taskTimeoutSeconds: 300 });
    const command = await check(news({ calloutType: "RUN_ON_SRM_SERVER", content: "/opt/dr/x.sh" }));
    expect(command).to.include({ timeoutSeconds: 300 });
  });

  it("Check rejects bad inputs with one failure per field", async () => {
    const r = await f.check(
      urn(),
      {},
      news({ anchor: "BEFORE_IMPORT_VMS", index: -1, calloutType: "EMAIL", name: "" }),
    );
    expect(r.failures.map((x) => x.property).sort()).to.deep.equal([
      "anchor",
      "calloutType",
      "index",
      "name",
    ]);
    const legacy = await f.check(urn(), {}, news({ viewMode: "test", position: 1 }));
    expect(legacy.failures.map((x) => x.property)).to.deep.equal(["viewMode"]);
    const prompt = await f.check(urn(), {}, news({ timeoutSeconds: 30 }));
    expect(prompt.failures.map((x) => x.property)).to.deep.equal(["timeoutSeconds"]);
  });

  it("Check tolerates preview unknowns (ids from lookups not known yet)", async () => {
    const r = await f.check(urn(), {}, news({ pairingId: UNKNOWN, planId: UNKNOWN, content: UNKNOWN }));
    expect(r.failures).to.deep.equal([]);
    expect(r.inputs).to.include({ planId: UNKNOWN, content: UNKNOWN });
  });

  it("Create places the callout at its anchor, in the test and failover views, and returns its step", async () => {
    const r = await f.rec(f.host.create(urn(), await check(news())));
    id = r.id;
    outputs = r.properties;
    expect(stepAt(0)?.callout).to.include({
      name: "Confirm the isolated test network",
      callout_type: "PROMPT",
    });
    expect(f.sim.model.findStep(planId, "test", stepAt(0)!.id)).to.equal(stepAt(0));
    expect(f.sim.model.findStep(planId, "recovery", stepAt(0)!.id)).to.equal(stepAt(0));
    expect(outputs).to.include({
      stepId: stepAt(0)!.id,
      anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
      index: 0,
      adopted: false,
      view: "recovery",
    });
    expect(id).to.equal(`${f.sim.ids.pairingId}/${planId}/recovery/${stepAt(0)!.id}`);
  });

  it("Diff: no change, update (content), move (anchor: an update) and replace (plan, delete first)", async () => {
    const same = await f.rec(f.host.diff(id, urn(), outputs, await check(news())));
    expect(same.changes).to.equal("none");
    const edit = await f.rec(
      f.host.diff(id, urn(), outputs, await check(news({ content: "Call the DR bridge." }))),
    );
    expect(edit).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const moved = await f.rec(f.host.diff(id, urn(), outputs, await check(news({ anchor: "AT_END" }))));
    expect(moved).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const unknownPlan = await f.rec(f.host.diff(id, urn(), outputs, await check(news({ planId: UNKNOWN }))));
    expect(unknownPlan.replaces).to.deep.equal(["planId"]);
  });

  it("Read: in sync, then drifted after an edit outside Pulumi", async () => {
    const inSync = await f.rec(f.host.read(id, urn(), outputs));
    expect(inSync.id).to.equal(id);
    // A create does not read the callout data back: the first read adds SRM's callout id and step type.
    const step = f.sim.model.findStep(planId, "test", Number(outputs.stepId))!;
    expect(inSync.properties).to.deep.equal({
      ...outputs,
      calloutId: step.callout!.id,
      stepType: "RECOVERY_STEP",
    });
    f.sim.model.editCallout(planId, "test", Number(outputs.stepId), { content: "edited in the SRM UI" });
    const drifted = await f.rec(f.host.read(id, urn(), outputs));
    expect(drifted.properties.content).to.equal("edited in the SRM UI");
    expect(drifted.inputs).to.include({ content: "edited in the SRM UI" });
  });

  it("Update edits the callout in place (same step)", async () => {
    const r = await f.rec(
      f.host.update(id, urn(), outputs, await check(news({ content: "Call the DR bridge." }))),
    );
    expect(r.properties).to.include({ stepId: outputs.stepId, content: "Call the DR bridge." });
    expect(stepAt(0)?.callout?.content).to.equal("Call the DR bridge.");
    outputs = r.properties;
  });

  it("Read reports the callout gone after a delete outside Pulumi", async () => {
    const stepId = Number(outputs.stepId);
    expect(f.sim.model.deleteStep(planId, "test", stepId)).to.equal(true);
    const gone = await f.rec(f.host.read(id, urn(), outputs));
    expect(gone.id).to.equal("");
  });

  it("Delete removes the step; deleting a gone step is a no-op", async () => {
    const created = await f.rec(f.host.create(urn(), await check(news())));
    const before = f.sim.model.stepsOf(planId, "recovery").length;
    await f.rec(f.host.delete(created.id, urn(), created.properties));
    expect(f.sim.model.stepsOf(planId, "recovery")).to.have.length(before - 1);
    expect(f.sim.model.stepsOf(planId, "recovery").some((s) => s.callout)).to.equal(false);
    await f.rec(f.host.delete(created.id, urn(), created.properties));
  });

  // An adopted callout has no taskId; the host converts outputs with Struct.fromJavaScript, which rejects any
  // `undefined` value ("Unexpected struct type."), so outputs must leave unset fields out rather than undefined.
  it("Create refuses an identical existing callout without adopt; with adopt it takes it; a timeout-only Update works", async () => {
    const hand = f.sim.model.insertCalloutAt(planId, "BEFORE_RECOVER_PRIORITY_1_VMS", 0, {
      name: "Confirm the isolated test network",
      content: "Check the test bubble network, then continue.",
      callout_type: "PROMPT",
      timeout_seconds: 0,
    });
    const refused = await f.host.create(urn(), await check(news())).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(refused?.message).to.include("adopt: true").and.include(`step ${hand.id}`);
    const adopted = await f.rec(f.host.create(urn(), await check(news({ adopt: true }))));
    expect(adopted.properties).to.include({ adopted: true, stepId: hand.id });
    expect(f.sim.model.stepsOf(planId, "test").filter((s) => s.callout)).to.have.length(1);
    const r = await f.rec(
      f.host.update(
        adopted.id,
        urn(),
        adopted.properties,
        await check(news({ adopt: true, taskTimeoutSeconds: 30 })),
      ),
    );
    expect(r.properties).to.include({ taskTimeoutSeconds: 30, stepId: hand.id });
    await f.rec(f.host.delete(adopted.id, urn(), r.properties));
    expect(f.sim.model.placeOf(planId, hand.id), "destroy deletes an adopted step").to.equal(undefined);
  });

  it("state of the first release (viewMode, flat position): Read gives anchor and index, Update and Delete work", async () => {
    const step = f.sim.model.insertCallout(planId, "test", 5, {
      name: "Confirm the isolated test network",
      content: "Check the test bubble network, then continue.",
      callout_type: "PROMPT",
      timeout_seconds: 0,
    });
    const legacy: Props = {
      __provider: provider,
      resourceName: "confirm-network",
      pairingId: f.sim.ids.pairingId,
      planId,
      viewMode: "test",
      position: 5,
      name: "Confirm the isolated test network",
      content: "Check the test bubble network, then continue.",
      calloutType: "PROMPT",
      timeoutSeconds: 0,
      taskTimeoutSeconds: 300,
      stepId: step.id,
      calloutId: step.callout!.id,
      stepType: "RECOVERY_STEP",
      currentPosition: 5,
      adopted: false,
      taskId: "task-1",
      schemaVersion: 1,
    };
    const legacyId = `${f.sim.ids.pairingId}/${planId}/test/${step.id}`;
    const read = await f.rec(f.host.read(legacyId, urn(), legacy));
    expect(read.properties).to.include({
      anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
      index: 0,
      stepId: step.id,
    });
    expect(read.inputs).to.include({ anchor: "BEFORE_RECOVER_PRIORITY_1_VMS", index: 0 });
    const updated = await f.rec(f.host.update(legacyId, urn(), legacy, await check(news({ content: "v2" }))));
    expect(updated.properties).to.include({ stepId: step.id, content: "v2" });
    await f.rec(f.host.delete(legacyId, urn(), legacy));
    expect(f.sim.model.placeOf(planId, step.id)).to.equal(undefined);
  });

  it("no password in any response, error or host output", () => {
    f.expectNoLeaks();
  });
});
