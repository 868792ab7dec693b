// ApplianceReconciliation (an action on the vCenter appliance) through the real dynamic-provider host.
import { expect } from "chai";
import { UNKNOWN, type Props } from "./driver/host-process.js";
import { serializedProvider, startHostFixture, TYPES, WRONG_PASSWORD, type HostFixture } from "./helpers.js";

describe("host: ApplianceReconciliation", function () {
  this.timeout(30_000);
  let f: HostFixture;
  let provider: string;
  const urn = () => f.host.urn(TYPES.ApplianceReconciliation, "vcenter-a-reconcile");

  before(async () => {
    f = await startHostFixture();
    provider = await serializedProvider("ApplianceReconciliation");
  });
  after(async () => f?.close());

  function news(over: Props = {}): Props {
    return {
      __provider: provider,
      resourceName: "vcenter-a-reconcile",
      ssoAdminUsername: f.sim.credentials.ssoUsername,
      ssoAdminPassword: f.sim.credentials.ssoPassword,
      ...over,
    };
  }
  const check = async (n: Props) => (await f.check(urn(), {}, n)).inputs;

  let id = "";
  let outputs: Props = {};

  it("Check accepts good inputs, applies defaults, rejects bad ones per field, tolerates unknowns", async () => {
    const good = await f.check(urn(), {}, news());
    expect(good.failures).to.deep.equal([]);
    expect(good.inputs).to.include({ ignoreWarnings: false, timeoutSeconds: 1800 });
    const bad = await f.check(
      urn(),
      {},
      news({
        ssoAdminPassword: undefined,
        ignoreWarnings: "no",
        timeoutSeconds: -1,
        applianceThumbprint: "xyz",
      }),
    );
    expect(bad.failures.map((x) => x.property).sort()).to.deep.equal([
      "applianceThumbprint",
      "ignoreWarnings",
      "ssoAdminPassword",
      "timeoutSeconds",
    ]);
    const unknown = await f.check(urn(), {}, news({ ssoAdminPassword: UNKNOWN, triggers: UNKNOWN }));
    expect(unknown.failures).to.deep.equal([]);
  });

  it("Create runs the job to SUCCEEDED; outputs carry status, flavor and times, not the passwords", async () => {
    const r = await f.rec(f.host.create(urn(), await check(news({ triggers: [1] }))));
    id = r.id;
    outputs = r.properties;
    expect(outputs).to.include({ jobStatus: "SUCCEEDED", apiFlavor: "api" });
    expect(outputs.ssoAdminPassword).to.equal(undefined);
    expect(outputs.startTime).to.be.a("string");
    expect(f.sim.model.appliance.job?.status).to.equal("SUCCEEDED");
  });

  it("Diff: no change, update (timeout) and replace (triggers; create first)", async () => {
    const n = (over: Props) => check(news({ triggers: [1], ...over }));
    expect((await f.rec(f.host.diff(id, urn(), outputs, await n({})))).changes).to.equal("none");
    const timeout = await f.rec(f.host.diff(id, urn(), outputs, await n({ timeoutSeconds: 60 })));
    expect(timeout).to.deep.equal({ changes: "some", replaces: [], deleteBeforeReplace: false });
    const again = await f.rec(f.host.diff(id, urn(), outputs, await n({ triggers: [2] })));
    expect(again).to.deep.equal({ changes: "some", replaces: ["triggers"], deleteBeforeReplace: false });
  });

  it("Read: in sync, drifted when the job's status changed, kept when the job is gone", async () => {
    const inSync = await f.rec(f.host.read(id, urn(), outputs));
    expect(inSync.properties).to.deep.equal(outputs);
    const job = f.sim.model.appliance.job!;
    job.status = "FAILED";
    const drifted = await f.rec(f.host.read(id, urn(), outputs));
    expect(drifted.properties.jobStatus).to.equal("FAILED");
    f.sim.model.appliance.job = null;
    const gone = await f.rec(f.host.read(id, urn(), outputs));
    expect(gone.id).to.equal(id);
    expect(gone.properties.jobStatus).to.equal("SUCCEEDED");
    job.status = "SUCCEEDED";
    f.sim.model.appliance.job = job;
  });

  it("Update changes only local settings; nothing runs on the appliance", async () => {
    const before = f.sim.requests.length;
    const r = await f.rec(
      f.host.update(id, urn(), outputs, await check(news({ triggers: [1], timeoutSeconds: 60 }))),
    );
    expect(r.properties).to.include({ jobStatus: "SUCCEEDED", timeoutSeconds: 60 });
    expect(f.sim.requests.slice(before)).to.deep.equal([]);
  });

  it("a failing job reports its messages, not the SSO password", async () => {
    const err = await f.fails(
      f.host.create(urn(), await check(news({ ssoAdminPassword: WRONG_PASSWORD, triggers: [3] }))),
    );
    expect(err.details).to.match(/FAILED|fail/i);
  });

  it("Delete is a no-op on the appliance", async () => {
    const before = f.sim.requests.length;
    await f.rec(f.host.delete(id, urn(), outputs));
    expect(f.sim.requests.slice(before)).to.deep.equal([]);
  });

  it("no password in any response, error or host output", () => {
    f.expectNoLeaks();
  });
});
