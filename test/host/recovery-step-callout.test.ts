// RecoveryStepCallout through the real dynamic-provider host with the real serialized provider.
import { expect } from "chai";
import { UNKNOWN, type Props } from "../../examples/local-engine/host-process.js";
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
      viewMode: "test",
      position: 1,
      name: "Confirm the isolated test network",
      content: "Check the test bubble network, then continue.",
      calloutType: "PROMPT",
      ...over,
    };
  }
  const check = async (n: Props) => (await f.check(urn(), {}, n)).inputs;
  const stepAt = (index: number) => f.sim.model.stepsOf(planId, "test")[index];

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
      news({ viewMode: "failover", position: -1, calloutType: "EMAIL", name: "" }),
    );
    expect(r.failures.map((x) => x.property).sort()).to.deep.equal([
      "calloutType",
      "name",
      "position",
      "viewMode",
    ]);
    const prompt = await f.check(urn(), {}, news({ timeoutSeconds: 30 }));
    expect(prompt.failures.map((x) => x.property)).to.deep.equal(["timeoutSeconds"]);
  });

  it("Check tolerates preview unknowns (ids from lookups not known yet)", async () => {
    const r = await f.check(urn(), {}, news({ pairingId: UNKNOWN, planId: UNKNOWN, content: UNKNOWN }));
    expect(r.failures).to.deep.equal([]);
    expect(r.inputs).to.include({ planId: UNKNOWN, content: UNKNOWN });
  });

  it("Create inserts the callout at its position and returns its step", async () => {
    const r = await f.rec(f.host.create(urn(), await check(news())));
    id = r.id;
    outputs = r.properties;
    expect(stepAt(1)?.callout).to.include({
      name: "Confirm the isolated test network",
      callout_type: "PROMPT",
    });
    expect(outputs).to.include({
      stepId: stepAt(1)!.id,
      currentPosition: 1,
      adopted: false,
      viewMode: "test",
    });
    expect(id).to.equal(`${f.sim.ids.pairingId}/${planId}/test/${stepAt(1)!.id}`);
  });

  it("Diff: no change, update (content) and replace (position, delete first)", async () => {
    const same = await f.rec(f.host.diff(id, urn(), outputs, await check(news())));
    expect(same.changes).to.equal("none");
    const edit = await f.rec(
      f.host.diff(id, urn(), outputs, await check(news({ content: "Call the DR bridge." }))),
    );
    expect(edit).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const moved = await f.rec(f.host.diff(id, urn(), outputs, await check(news({ position: 2 }))));
    expect(moved).to.deep.equal({ changes: "some", replaces: ["position"], deleteBeforeReplace: true });
    const unknownPlan = await f.rec(f.host.diff(id, urn(), outputs, await check(news({ planId: UNKNOWN }))));
    expect(unknownPlan.replaces).to.deep.equal(["planId"]);
  });

  it("Read: in sync, then drifted after an edit outside Pulumi", async () => {
    const inSync = await f.rec(f.host.read(id, urn(), outputs));
    expect(inSync.id).to.equal(id);
    expect(inSync.properties).to.deep.equal(outputs);
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
    expect(stepAt(1)?.callout?.content).to.equal("Call the DR bridge.");
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
    const before = f.sim.model.stepsOf(planId, "test").length;
    await f.rec(f.host.delete(created.id, urn(), created.properties));
    expect(f.sim.model.stepsOf(planId, "test")).to.have.length(before - 1);
    expect(f.sim.model.stepsOf(planId, "test").some((s) => s.callout)).to.equal(false);
    await f.rec(f.host.delete(created.id, urn(), created.properties));
  });

  // An adopted callout has no taskId; the host converts outputs with Struct.fromJavaScript, which rejects any
  // `undefined` value ("Unexpected struct type."), so outputs must leave unset fields out rather than undefined.
  it("Create adopts an identical callout at the position; a later timeout-only Update works", async () => {
    const first = await f.rec(f.host.create(urn(), await check(news())));
    const adopted = await f.rec(f.host.create(urn(), await check(news())));
    expect(adopted.id).to.equal(first.id);
    expect(adopted.properties).to.include({ adopted: true });
    expect(f.sim.model.stepsOf(planId, "test").filter((s) => s.callout)).to.have.length(1);
    const r = await f.rec(
      f.host.update(adopted.id, urn(), adopted.properties, await check(news({ taskTimeoutSeconds: 30 }))),
    );
    expect(r.properties).to.include({ taskTimeoutSeconds: 30, stepId: adopted.properties.stepId });
    await f.rec(f.host.delete(first.id, urn(), r.properties));
  });

  it("no password in any response, error or host output", () => {
    f.expectNoLeaks();
  });
});
