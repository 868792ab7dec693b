import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { call, expect, type Answer, type CallOptions } from "./https-client.js";

interface PairingBody {
  pairing_id: string;
  local_vc_server: { id: string };
  remote_vc_server: { id: string };
  local_srm_server: { id: string };
  remote_srm_server: { id: string };
}

describe("simulator: the remote site's SRM server (serveRemoteSite)", () => {
  let sim: Simulator;
  let session = "";
  const atB = (method: string, path: string, options: CallOptions = {}): Promise<Answer> =>
    call(sim.remote!.caCert, method, `${sim.remote!.url}${path}`, {
      ...options,
      headers: { ...options.headers, ...(session ? { "x-dr-session": session } : {}) },
    });

  before(async () => {
    sim = await startSimulator({ serveRemoteSite: true, taskQueuedMs: 1, taskDurationMs: 5 });
  });
  after(async () => sim?.close());

  it("serves its own certificate and takes its own site's SSO login, not the local site's", async () => {
    const remote = sim.remote!;
    expect(remote.thumbprintSha256).to.not.equal(sim.thumbprintSha256);
    const { username, password } = sim.credentials;
    expect((await atB("POST", "/session", { basic: { username, password } })).status).to.equal(401);
    const login = await atB("POST", "/session", {
      basic: { username: remote.credentials.username, password: remote.credentials.password },
    });
    expect(login.status).to.equal(200);
    session = (login.json as { session_id: string }).session_id;
    // A session of one SRM server is not valid at the other.
    const atA = await call(sim.caCert, "GET", `${sim.url}/pairings`, {
      headers: { "x-dr-session": session },
    });
    expect(atA.status).to.equal(401);
  });

  it("lists its self-pairing first, then the shared pairing with itself as the local side", async () => {
    const list = (await atB("GET", "/pairings")).json as { list: PairingBody[] };
    expect(list.list.map((p) => p.pairing_id)).to.deep.equal([sim.remote!.selfPairingId, sim.ids.pairingId]);
    const shared = list.list[1];
    expect(shared.local_vc_server.id).to.equal(sim.ids.remoteVcGuid);
    expect(shared.remote_vc_server.id).to.equal(sim.ids.localVcGuid);
    const fromA = sim.model.pairings.get(sim.ids.pairingId)!;
    expect(shared.local_srm_server.id).to.equal(fromA.remoteSrm.id);
    expect(shared.remote_srm_server.id).to.equal(fromA.localSrm.id);
    // The local site's listing is unchanged: B's self-pairing is not A's.
    expect(sim.model.listPairings().map((p) => p.id)).to.deep.equal([
      sim.ids.selfPairingId,
      sim.ids.pairingId,
    ]);
  });

  it("logs in to the other end with the local site's credentials, and shares mappings and plans", async () => {
    const remote = sim.remote!;
    const p = sim.ids.pairingId;
    const wrong = { username: remote.credentials.username, password: remote.credentials.password };
    expect((await atB("POST", `/pairings/${p}/remote-session`, { basic: wrong })).status).to.equal(401);
    const right = {
      username: remote.credentials.remoteUsername,
      password: remote.credentials.remotePassword,
    };
    expect((await atB("POST", `/pairings/${p}/remote-session`, { basic: right })).status).to.equal(204);
    const srmB = sim.model.pairings.get(p)!.remoteSrm.id;
    const created = await atB("POST", `/pairings/${p}/srms/${srmB}/inventory-mappings/folders`, {
      body: { mapping_source_object: "group-v2010", mapping_target_object: "group-v1010" },
    });
    expect(created.status).to.equal(204);
    expect(sim.model.mappings.list("folders", srmB).map((m) => m.primary)).to.deep.equal(["group-v2010"]);
    const plans = (await atB("GET", `/pairings/${p}/recovery-management/plans`)).json as {
      list: { id: string }[];
    };
    expect(plans.list.map((x) => x.id)).to.include(sim.ids.plans.Finance);
    expect(sim.remote!.requests.map((r) => r.route)).to.include("POST /pairings/{pairing_id}/remote-session");
    expect(
      sim.requests.filter((r) => r.route === "POST /pairings/{pairing_id}/remote-session"),
    ).to.deep.equal([]);
  });
});
