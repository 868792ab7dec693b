// Reprotect (an action) through the real dynamic-provider host with the real serialized provider.
import { expect } from "chai";
import { UNKNOWN, type Props } from "./driver/host-process.js";
import { serializedProvider, startHostFixture, TYPES, type HostFixture } from "./helpers.js";

describe("host: Reprotect", function () {
  this.timeout(30_000);
  let f: HostFixture;
  let provider: string;
  let finance: string;
  const urn = () => f.host.urn(TYPES.Reprotect, "finance-reprotect");

  before(async () => {
    f = await startHostFixture();
    provider = await serializedProvider("Reprotect");
    finance = f.sim.ids.plans.Finance!;
  });
  after(async () => f?.close());

  function news(over: Props = {}): Props {
    return {
      __provider: provider,
      resourceName: "finance-reprotect",
      pairingId: f.sim.ids.pairingId,
      planId: finance,
      ...over,
    };
  }
  const check = async (n: Props) => (await f.check(urn(), {}, n)).inputs;

  let id = "";
  let outputs: Props = {};

  it("Check accepts good inputs, applies defaults, rejects bad ones per field, tolerates unknowns", async () => {
    const good = await f.check(urn(), {}, news());
    expect(good.failures).to.deep.equal([]);
    expect(good.inputs).to.include({ forced: false, taskTimeoutSeconds: 3600 });
    const bad = await f.check(urn(), {}, news({ planId: undefined, forced: "yes", triggers: "x" }));
    expect(bad.failures.map((x) => x.property).sort()).to.deep.equal(["forced", "planId", "triggers"]);
    const unknown = await f.check(urn(), {}, news({ planId: UNKNOWN, triggers: [UNKNOWN] }));
    expect(unknown.failures).to.deep.equal([]);
  });

  it("Create refuses early, naming the plan's status, when the plan cannot be reprotected", async () => {
    const before = f.sim.requests.length;
    const err = await f.fails(f.host.create(urn(), await check(news({ planId: f.sim.ids.plans.Legacy }))));
    expect(err.details).to.include("TEST_COMPLETE");
    const posts = f.sim.requests.slice(before).filter((r) => r.path.includes("reprotect"));
    expect(posts).to.deep.equal([]);
  });

  it("Create runs the reprotect once and records task, statuses and times", async () => {
    const r = await f.rec(f.host.create(urn(), await check(news({ triggers: ["2024-q3"] }))));
    id = r.id;
    outputs = r.properties;
    expect(outputs).to.include({ taskId: id, taskStatus: "SUCCESS", planStatusBefore: "RECOVERY_COMPLETE" });
    expect(outputs.planStatus)
      .to.equal(f.sim.model.plans.get(finance)!.status)
      .and.not.equal("RECOVERY_COMPLETE");
    expect(outputs.startTime).to.match(/^\d{4}-\d\d-\d\dT/);
    expect(outputs.completeTime).to.match(/^\d{4}-\d\d-\d\dT/);
  });

  it("Diff: no change, update (task timeout only) and replace (triggers, forced; create first)", async () => {
    const n = (over: Props) => check(news({ triggers: ["2024-q3"], ...over }));
    expect((await f.rec(f.host.diff(id, urn(), outputs, await n({})))).changes).to.equal("none");
    const timeout = await f.rec(f.host.diff(id, urn(), outputs, await n({ taskTimeoutSeconds: 60 })));
    expect(timeout).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const again = await f.rec(
      f.host.diff(id, urn(), outputs, await n({ triggers: ["2024-q4"], forced: true })),
    );
    expect(again).to.deep.equal({
      changes: "some",
      replaces: ["forced", "triggers"],
      deleteBeforeReplace: false,
    });
  });

  it("Read: in sync, drifted when the plan's status changed, kept when the plan is gone", async () => {
    const inSync = await f.rec(f.host.read(id, urn(), outputs));
    expect(inSync.properties).to.deep.equal(outputs);
    f.sim.model.setPlanStatus(finance, "RECOVERY_COMPLETE");
    const drifted = await f.rec(f.host.read(id, urn(), outputs));
    expect(drifted.properties.planStatus).to.equal("RECOVERY_COMPLETE");
    const plan = f.sim.model.plans.get(finance)!;
    f.sim.model.plans.delete(finance);
    const gone = await f.rec(f.host.read(id, urn(), outputs));
    expect(gone.id, "the record of a run stays when its plan is deleted").to.equal(id);
    f.sim.model.plans.set(finance, plan);
  });

  it("Update changes only the local timeout; nothing runs in SRM", async () => {
    const before = f.sim.requests.length;
    const r = await f.rec(
      f.host.update(id, urn(), outputs, await check(news({ triggers: ["2024-q3"], taskTimeoutSeconds: 60 }))),
    );
    expect(r.properties).to.include({ taskId: id, taskTimeoutSeconds: 60 });
    expect(f.sim.requests.slice(before).filter((q) => q.method === "POST")).to.deep.equal([]);
  });

  it("Delete is a no-op in SRM", async () => {
    const before = f.sim.requests.length;
    await f.rec(f.host.delete(id, urn(), outputs));
    expect(f.sim.requests.slice(before)).to.deep.equal([]);
  });

  it("no password in any response, error or host output", () => {
    f.expectNoLeaks();
  });
});
