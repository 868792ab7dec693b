import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { call, expect, SrmCaller } from "./https-client.js";

describe("simulator: SRM sessions", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator({ sessionTtlMs: 60_000 });
  });
  afterEach(async () => {
    await sim.close();
  });

  it("logs in with Basic auth and answers GET /session with the user", async () => {
    const caller = await new SrmCaller(sim).login();
    expect(caller.session).to.match(/^[0-9a-f-]{36}$/);
    const me = await caller.get<{ username: string }>("/session");
    expect(me.status).to.equal(200);
    expect(me.json.username).to.equal(sim.credentials.username);
  });

  it("answers 401 with an empty body for wrong credentials and for calls without x-dr-session", async () => {
    const bad = await call(sim.caCert, "POST", `${sim.url}/session`, {
      basic: { username: sim.credentials.username, password: "wrong-password" },
    });
    expect(bad.status).to.equal(401);
    expect(bad.text).to.equal("");
    const noSession = await call(sim.caCert, "GET", `${sim.url}/pairings`);
    expect(noSession.status).to.equal(401);
    expect(noSession.text).to.equal("");
    const unknown = await call(sim.caCert, "GET", `${sim.url}/pairings`, {
      headers: { "x-dr-session": "nope" },
    });
    expect(unknown.status).to.equal(401);
  });

  it("ends a session on DELETE /session (204) so it no longer works", async () => {
    const caller = await new SrmCaller(sim).login();
    const out = await caller.request("DELETE", "/session");
    expect(out.status).to.equal(204);
    expect((await caller.get("/pairings")).status).to.equal(401);
  });

  it("expires every session through the fault controls, and a new login works", async () => {
    const caller = await new SrmCaller(sim).login();
    expect((await caller.get("/pairings")).status).to.equal(200);
    sim.faults.expireAllSessions();
    expect((await caller.get("/pairings")).status).to.equal(401);
    await caller.login();
    expect((await caller.get("/pairings")).status).to.equal(200);
  });

  it("expires idle sessions after the configured TTL", async () => {
    const short = await startSimulator({ sessionTtlMs: 60_000 });
    try {
      const caller = await new SrmCaller(short).login();
      expect((await caller.get("/session")).status).to.equal(200);
      // Idle for longer than the TTL, without a test that waits on the clock.
      short.model.sessions.get(caller.session)!.lastUsedAt -= 60_001;
      expect((await caller.get("/session")).status).to.equal(401);
    } finally {
      await short.close();
    }
  });

  it("records requests with the Authorization header redacted", async () => {
    await new SrmCaller(sim).login();
    const login = sim.requests.find((r) => r.route === "POST /session");
    expect(login?.hasAuthorization).to.equal(true);
    expect(login?.headers.authorization).to.equal("Basic <redacted>");
    expect(JSON.stringify(sim.requests)).not.to.contain(sim.credentials.password);
    expect(login?.status).to.equal(200);
  });

  it("logs in to the remote site with the remote credentials (204) and refuses wrong ones (401)", async () => {
    const caller = await new SrmCaller(sim).login();
    const wrong = await caller.request("POST", `/pairings/${sim.ids.pairingId}/remote-session`, {
      basic: { username: sim.credentials.remoteUsername, password: sim.credentials.password },
    });
    expect(wrong.status).to.equal(401);
    expect((await caller.get(`/pairings/${sim.ids.pairingId}/remote-session`)).status).to.equal(401);
    const ok = await caller.remoteLogin();
    expect(ok.status).to.equal(204);
    const info = await caller.get<{ username: string }>(`/pairings/${sim.ids.pairingId}/remote-session`);
    expect(info.json.username).to.equal(sim.credentials.remoteUsername);
    expect((await caller.remoteLogin("00000000-0000-4000-8000-000000000000")).status).to.equal(404);
  });

  it("refuses a remote login with 500 REMOTE_SITE_UNREACHABLE while the remote SRM is down", async () => {
    const caller = await new SrmCaller(sim).login();
    sim.model.setServerStatus(sim.ids.pairingId, "remoteSrm", "ERROR");
    const answer = await caller.remoteLogin();
    expect(answer.status).to.equal(500);
    expect((answer.json as { error_code: string }).error_code).to.equal("REMOTE_SITE_UNREACHABLE");
  });
});
