// Pairing through the real dynamic-provider host with the real serialized provider: every gRPC method.
import { expect } from "chai";
import { UNKNOWN, type Props } from "./driver/host-process.js";
import { serializedProvider, startHostFixture, TYPES, WRONG_PASSWORD, type HostFixture } from "./helpers.js";

describe("host: Pairing", function () {
  this.timeout(30_000);
  let f: HostFixture;
  let provider: string;
  const urn = () => f.host.urn(TYPES.Pairing, "site-c");

  before(async () => {
    f = await startHostFixture();
    provider = await serializedProvider("Pairing");
  });
  after(async () => f?.close());

  /** Raw inputs as the engine sends them for the spare site C. */
  function news(over: Props = {}): Props {
    const spare = f.sim.inventory.remoteSites.find((s) => s.vcGuid === f.sim.ids.spareRemoteVcGuid)!;
    return {
      __provider: provider,
      resourceName: "site-c",
      remoteVcGuid: spare.vcGuid,
      pscUrl: spare.pscUrl,
      pscThumbprint: spare.pscThumbprint ?? undefined,
      pscUsername: spare.username,
      pscPassword: spare.password,
      ...over,
    };
  }
  const check = async (n: Props) => (await f.check(urn(), {}, n)).inputs;

  let id = "";
  let outputs: Props = {};

  it("Check accepts good inputs and applies defaults", async () => {
    const r = await f.check(urn(), {}, news());
    expect(r.failures).to.deep.equal([]);
    expect(r.inputs).to.include({ pscPort: 443, taskTimeoutSeconds: 600, __provider: provider });
  });

  it("Check rejects bad inputs with one failure per field", async () => {
    const bad = news({ pscUrl: undefined, pscPort: 70000, pscThumbprint: "not-a-thumbprint" });
    const r = await f.check(urn(), {}, bad);
    expect(r.failures.map((x) => x.property).sort()).to.deep.equal(["pscPort", "pscThumbprint", "pscUrl"]);
    for (const x of r.failures) expect(x.reason).to.match(new RegExp(`^${x.property}: `));
  });

  it("Check tolerates preview unknowns", async () => {
    const r = await f.check(urn(), {}, news({ remoteVcGuid: UNKNOWN, pscPassword: UNKNOWN }));
    expect(r.failures).to.deep.equal([]);
    expect(r.inputs.remoteVcGuid).to.equal(UNKNOWN);
  });

  it("Create pairs with the spare site; outputs carry statuses and a digest, never the password", async () => {
    const r = await f.rec(f.host.create(urn(), await check(news())));
    id = r.id;
    outputs = r.properties;
    const model = f.sim.model.pairingTo(f.sim.ids.spareRemoteVcGuid);
    expect(model?.id).to.equal(id);
    expect(outputs).to.include({
      pairingId: id,
      remoteVcName: "vc-c.example.local",
      remoteVcServerStatus: "OK",
      adopted: false,
    });
    expect(outputs.pscPassword).to.equal(undefined);
    expect(outputs.pscPasswordDigest).to.be.a("string");
    expect(outputs.__provider).to.equal(provider);
  });

  it("Diff: no change, update (password rotated, timeout) and replace (remote vCenter, delete first)", async () => {
    const same = await f.rec(f.host.diff(id, urn(), outputs, await check(news())));
    expect(same).to.deep.equal({ changes: "none", replaces: [], deleteBeforeReplace: false });
    const timeout = await f.rec(
      f.host.diff(id, urn(), outputs, await check(news({ taskTimeoutSeconds: 60 }))),
    );
    expect(timeout).to.deep.include({ changes: "some", replaces: [] });
    const rotated = await f.rec(
      f.host.diff(id, urn(), outputs, await check(news({ pscPassword: WRONG_PASSWORD }))),
    );
    expect(rotated).to.deep.include({ changes: "some", replaces: [] });
    const moved = await f.rec(
      f.host.diff(id, urn(), outputs, await check(news({ remoteVcGuid: f.sim.ids.remoteVcGuid }))),
    );
    expect(moved).to.deep.equal({ changes: "some", replaces: ["remoteVcGuid"], deleteBeforeReplace: true });
  });

  it("Read: in sync, then drifted when SRM reports another server status", async () => {
    const inSync = await f.rec(f.host.read(id, urn(), outputs));
    expect(inSync.id).to.equal(id);
    expect(inSync.properties).to.deep.equal(outputs);
    f.sim.model.setServerStatus(id, "remoteVc", "ERROR");
    const drifted = await f.rec(f.host.read(id, urn(), outputs));
    expect(drifted.properties.remoteVcServerStatus).to.equal("ERROR");
    // No inputs: the engine then keeps the stored ones, pscPassword included.
    expect(drifted.inputs).to.equal(undefined);
    f.sim.model.setServerStatus(id, "remoteVc", "OK");
  });

  it("Update reconnects when the stored password digest no longer matches", async () => {
    const stale = { ...outputs, pscPasswordDigest: "0".repeat(64) };
    const before = f.sim.requests.length;
    const r = await f.rec(f.host.update(id, urn(), stale, await check(news({ taskTimeoutSeconds: 120 }))));
    const reconnects = f.sim.requests
      .slice(before)
      .filter((q) => q.method === "POST" && q.path.includes("reconnect"));
    expect(reconnects).to.have.length(1);
    expect(r.properties).to.include({ pairingId: id, taskTimeoutSeconds: 120 });
    expect(r.properties.taskId).to.be.a("string").and.not.equal(outputs.taskId);
    expect(r.properties.pscPasswordDigest).to.not.equal(stale.pscPasswordDigest);
    outputs = r.properties;
  });

  it("a failing Create names the problem, not the password", async () => {
    f.sim.model.removePairing(id);
    const err = await f.fails(f.host.create(urn(), await check(news({ pscPassword: WRONG_PASSWORD }))));
    expect(err.details).to.match(/user name or password/);
    f.sim.model.addPairing(
      f.sim.inventory.remoteSites.find((s) => s.vcGuid === f.sim.ids.spareRemoteVcGuid)!,
      { url: "vc-c.example.local", port: 443, thumbprint: null },
      id,
    );
  });

  it("Delete unpairs; Read then reports it gone; a second Delete is a no-op", async () => {
    await f.rec(f.host.delete(id, urn(), outputs));
    expect(f.sim.model.pairings.has(id)).to.equal(false);
    const gone = await f.rec(f.host.read(id, urn(), outputs));
    expect(gone.id).to.equal("");
    await f.rec(f.host.delete(id, urn(), outputs));
  });

  // Outputs must leave unset fields out: the host's Struct conversion rejects `undefined` values.
  it("Create with adopt: true takes over the existing pairing to a paired site; a later timeout-only Update works", async () => {
    const siteB = f.sim.inventory.remoteSites.find((s) => s.vcGuid === f.sim.ids.remoteVcGuid)!;
    const b = { remoteVcGuid: siteB.vcGuid, pscUrl: siteB.pscUrl, pscThumbprint: undefined, adopt: true };
    const adopted = await f.rec(f.host.create(urn(), await check(news(b))));
    expect(adopted.id).to.equal(f.sim.ids.pairingId);
    expect(adopted.properties).to.include({ adopted: true });
    const r = await f.rec(
      f.host.update(
        adopted.id,
        urn(),
        adopted.properties,
        await check(news({ ...b, taskTimeoutSeconds: 30 })),
      ),
    );
    expect(r.properties).to.include({
      pairingId: f.sim.ids.pairingId,
      taskTimeoutSeconds: 30,
      adopted: true,
    });
  });

  it("no password in any response, error or host output", () => {
    f.expectNoLeaks();
  });
});
