import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, SrmCaller } from "./https-client.js";

interface PairingBody {
  pairing_id: string;
  local_vc_server: { id: string; name: string; server_status: string };
  remote_vc_server: { id: string; name: string; server_status: string };
  remote_srm_server: { server_status: string; url: string };
}
interface ListBody<T> {
  list: T[];
  _meta: { total: number; offset: number; limit: number };
}

describe("simulator: pairings", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  const spareSpec = (
    s: Simulator,
    patch: Record<string, unknown> = {},
    psc: Record<string, unknown> = {},
  ) => ({
    pair_vc_guid: s.ids.spareRemoteVcGuid,
    pair_psc_info: {
      url: s.ids.spareRemotePscUrl,
      port: 443,
      thumbprint: s.ids.spareRemotePscThumbprint,
      username: s.credentials.remoteUsername,
      password: s.credentials.remotePassword,
      ...psc,
    },
    ...patch,
  });

  beforeEach(async () => {
    sim = await startSimulator();
    caller = await new SrmCaller(sim).login();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("lists the local self-pairing and the default pairing, with _meta", async () => {
    const answer = await caller.get<ListBody<PairingBody>>("/pairings");
    expect(answer.status).to.equal(200);
    expect(answer.json._meta).to.include({ total: 2, offset: 0 });
    const self = answer.json.list.find((p) => p.pairing_id === sim.ids.selfPairingId)!;
    expect(self.local_vc_server.id).to.equal(self.remote_vc_server.id);
    expect(self.local_vc_server.name).to.equal("vc-a.example.local");
    const pair = answer.json.list.find((p) => p.pairing_id === sim.ids.pairingId)!;
    expect(pair.remote_vc_server).to.include({
      id: sim.ids.remoteVcGuid,
      name: "vc-b.example.local",
      server_status: "OK",
    });
  });

  it("honours offset and limit", async () => {
    const first = await caller.get<ListBody<PairingBody>>("/pairings?offset=0&limit=1");
    expect(first.json.list).to.have.length(1);
    expect(first.json._meta).to.include({ total: 2, offset: 0, limit: 1 });
    const second = await caller.get<ListBody<PairingBody>>("/pairings?offset=1&limit=1");
    expect(second.json.list[0].pairing_id).to.not.equal(first.json.list[0].pairing_id);
    expect((await caller.get("/pairings?limit=0")).status).to.equal(400);
  });

  it("gets one pairing and answers 404 with no body for an unknown one", async () => {
    const one = await caller.get<PairingBody>(`/pairings/${sim.ids.pairingId}`);
    expect(one.json.pairing_id).to.equal(sim.ids.pairingId);
    const missing = await caller.get("/pairings/00000000-0000-4000-8000-000000000000");
    expect(missing.status).to.equal(404);
    expect(missing.text).to.equal("");
  });

  it("reports server_status changes made through the model", async () => {
    sim.model.setServerStatus(sim.ids.pairingId, "remoteSrm", "ERROR");
    const one = await caller.get<PairingBody>(`/pairings/${sim.ids.pairingId}`);
    expect(one.json.remote_srm_server.server_status).to.equal("ERROR");
  });

  it("creates a pairing to the spare site through a task", async () => {
    const task = await caller.runTask("POST", "/pairings", spareSpec(sim));
    expect(task.status).to.equal("SUCCESS");
    const list = await caller.get<ListBody<PairingBody>>("/pairings");
    const created = list.json.list.find((p) => p.remote_vc_server.id === sim.ids.spareRemoteVcGuid);
    expect(created?.remote_vc_server.name).to.equal("vc-c.example.local");
    expect(task.entity).to.equal(created?.pairing_id);
  });

  const failures: [string, (s: Simulator) => unknown, RegExp][] = [
    [
      "wrong PSC password",
      (s) => spareSpec(s, {}, { password: "Not-The-Password-1!" }),
      /incorrect user name or password/,
    ],
    [
      "wrong PSC thumbprint",
      (s) => spareSpec(s, {}, { thumbprint: "AA:BB" }),
      /thumbprint .* does not match/,
    ],
    [
      "unknown remote vCenter",
      (s) => spareSpec(s, { pair_vc_guid: "dddddddd-0000-4000-8000-00000000000d" }),
      /Cannot find a vCenter Server/,
    ],
    [
      "unreachable PSC",
      (s) => spareSpec(s, {}, { url: "psc.nowhere.example" }),
      /Cannot connect to the Platform Services Controller/,
    ],
    [
      "already paired remote",
      (s) =>
        spareSpec(s, { pair_vc_guid: s.ids.remoteVcGuid }, { url: "vc-b.example.local", thumbprint: null }),
      /already paired/,
    ],
  ];
  for (const [what, spec, message] of failures) {
    it(`fails the pairing task on ${what}, with a helpful message and no password`, async () => {
      const body = spec(sim);
      const task = await caller.runTask("POST", "/pairings", body);
      expect(task.status).to.equal("ERROR");
      expect(task.error?.message).to.match(message);
      expect(JSON.stringify(task)).not.to.contain(sim.credentials.remotePassword);
      expect(JSON.stringify(task)).not.to.contain("Not-The-Password-1!");
      const list = await caller.get<ListBody<PairingBody>>("/pairings");
      expect(list.json.list).to.have.length(2);
    });
  }

  it("accepts a null PSC thumbprint", async () => {
    const task = await caller.runTask("POST", "/pairings", spareSpec(sim, {}, { thumbprint: null }));
    expect(task.status).to.equal("SUCCESS");
  });

  it("answers a bad PairingSpec with a 400 ResponseError naming the field", async () => {
    const answer = await caller.request("POST", "/pairings", { body: spareSpec(sim, {}, { port: "443" }) });
    expect(answer.status).to.equal(400);
    const body = answer.json as { error_code: string; message: string; op_id: string };
    expect(body.error_code).to.equal("INVALID_REQUEST_BODY");
    expect(body.message).to.contain("pair_psc_info.port");
    expect(body.op_id).to.match(/^[0-9a-f-]{36}$/);
  });

  it("reconnects a pairing, checking credentials and storing the new URLs", async () => {
    sim.model.setServerStatus(sim.ids.pairingId, "remoteVc", "ERROR");
    const spec = spareSpec(
      sim,
      { pair_vc_guid: sim.ids.remoteVcGuid, pair_srm_url: "https://srm-b2.example.local" },
      { url: "https://vc-b.example.local", thumbprint: null },
    );
    const bad = await caller.runTask("POST", `/pairings/${sim.ids.pairingId}/actions/reconnect`, {
      ...spec,
      pair_psc_info: { ...spec.pair_psc_info, password: "Wrong-Reconnect-Pw-2!" },
    });
    expect(bad.status).to.equal("ERROR");
    expect(bad.error?.message).to.match(/incorrect user name or password/);
    const ok = await caller.runTask("POST", `/pairings/${sim.ids.pairingId}/actions/reconnect`, spec);
    expect(ok.status).to.equal("SUCCESS");
    const pairing = sim.model.pairings.get(sim.ids.pairingId)!;
    expect(pairing.srm.url).to.equal("https://srm-b2.example.local");
    expect(pairing.psc.url).to.equal("https://vc-b.example.local");
    expect(pairing.remoteVc.server_status).to.equal("OK");
    expect(
      (
        await caller.request("POST", "/pairings/00000000-0000-4000-8000-000000000000/actions/reconnect", {
          body: spec,
        })
      ).status,
    ).to.equal(404);
  });

  it("deletes a pairing only with a remote session, and never the self-pairing", async () => {
    await caller.runTask("POST", "/pairings", spareSpec(sim));
    const created = sim.model.pairingTo(sim.ids.spareRemoteVcGuid)!;
    const refused = await caller.request("DELETE", `/pairings/${created.id}`);
    expect(refused.status).to.equal(403);
    expect((refused.json as { error_code: string }).error_code).to.equal("REMOTE_SITE_NOT_AUTHENTICATED");
    expect((await caller.remoteLogin(created.id)).status).to.equal(204);
    const task = await caller.runTask("DELETE", `/pairings/${created.id}`);
    expect(task.status).to.equal("SUCCESS");
    expect((await caller.get(`/pairings/${created.id}`)).status).to.equal(404);
    expect((await caller.request("DELETE", `/pairings/${created.id}`)).status).to.equal(404);
    const self = await caller.request("DELETE", `/pairings/${sim.ids.selfPairingId}`);
    expect(self.status).to.equal(400);
    expect((self.json as { error_code: string }).error_code).to.equal("CANNOT_MODIFY_LOCAL_PAIRING");
  });

  it("fails to break a site pair that still has recovery plans", async () => {
    await caller.remoteLogin();
    const task = await caller.runTask("DELETE", `/pairings/${sim.ids.pairingId}`);
    expect(task.status).to.equal("ERROR");
    expect(task.error?.message).to.match(/4 recovery plan\(s\) still exist/);
    expect((await caller.get(`/pairings/${sim.ids.pairingId}`)).status).to.equal(200);
  });
});
