import {
  clearSrmClients,
  getSrmClient,
  normalizeApplianceUrl,
  normalizeSrmUrl,
} from "../../provider/client/index.js";
import {
  expect,
  expectSrmError,
  freshClient,
  requestsTo,
  srmConn,
  startSim,
  type Simulator,
} from "./helpers.js";

describe("client: SRM session", function () {
  this.timeout(20_000);
  let sim: Simulator;

  beforeEach(async () => {
    sim = await startSim();
  });
  afterEach(async () => {
    clearSrmClients();
    await sim.close();
  });

  it("logs in with Basic auth and sends x-dr-session on later calls", async () => {
    const client = freshClient(sim);
    await client.login();
    const pairings = await client.listPairings();
    expect(pairings.map((p) => p.pairing_id)).to.include(sim.ids.pairingId);
    const [login] = requestsTo(sim, "POST", "/session");
    expect(login.hasAuthorization).to.equal(true);
    const [list] = requestsTo(sim, "GET", "/pairings");
    expect(list.headers["x-dr-session"]).to.be.a("string").and.not.equal("");
  });

  it("concurrent first calls share one login", async () => {
    const client = freshClient(sim);
    await Promise.all([
      client.listPairings(),
      client.getPairing(sim.ids.pairingId),
      client.listPlans(sim.ids.pairingId),
      getSrmClient(srmConn(sim)).listPairings(),
    ]);
    expect(requestsTo(sim, "POST", "/session")).to.have.length(1);
  });

  it("getSrmClient shares one client per (url, username)", () => {
    clearSrmClients();
    const a = getSrmClient(srmConn(sim));
    const b = getSrmClient(srmConn(sim, { url: sim.url.replace("https://", "https://") + "/" }));
    expect(a).to.equal(b);
  });

  it("logs out with DELETE /session and logs in again on the next call", async () => {
    const client = freshClient(sim);
    await client.login();
    await client.logout();
    expect(requestsTo(sim, "DELETE", "/session")).to.have.length(1);
    expect(sim.model.sessions.size).to.equal(0);
    await client.listPairings();
    expect(requestsTo(sim, "POST", "/session")).to.have.length(2);
  });

  it("logs in again once when the session expired, for a GET and for a POST", async () => {
    const client = freshClient(sim);
    await client.listPairings();
    sim.faults.expireAllSessions();
    await client.listPairings();
    expect(requestsTo(sim, "POST", "/session")).to.have.length(2);
    const gets = requestsTo(sim, "GET", "/pairings");
    expect(gets.map((r) => r.status)).to.deep.equal([200, 401, 200]);

    sim.faults.expireAllSessions();
    const planId = sim.ids.plans["Tier1-Apps"];
    const task = await client.createCallout(sim.ids.pairingId, planId, "recovery", {
      name: "after-expiry",
      content: "echo hi",
      callout_type: "PROMPT",
      timeout_seconds: 0,
      position: 0,
    });
    await client.waitForTask(task);
    const posts = requestsTo(sim, "POST", "/recovery-steps/recovery");
    expect(posts.map((r) => r.status)).to.deep.equal([401, 202]);
    expect(requestsTo(sim, "POST", "/session")).to.have.length(3);
  });

  it("concurrent calls that all see 401 trigger one re-login", async () => {
    const client = freshClient(sim);
    await client.login();
    sim.faults.expireAllSessions();
    await Promise.all([
      client.listPairings(),
      client.listPlans(sim.ids.pairingId),
      client.getPairing(sim.ids.pairingId),
    ]);
    expect(requestsTo(sim, "POST", "/session")).to.have.length(2);
  });

  it("reports AUTHENTICATION_FAILED for a wrong password without the password", async () => {
    const wrong = "Wrong-Pw-for-test-91aa!";
    const client = freshClient(sim, { password: wrong });
    const err = await expectSrmError(sim, client.listPairings(), "AUTHENTICATION_FAILED");
    expect(err.message).to.include("srm:username and srm:password");
    expect(err.message).not.to.include(wrong);
    expect(err.status).to.equal(401);
  });

  it("a login answered 404 says the URL path is wrong, not that an object is gone", async () => {
    const origin = new URL(sim.url).origin;
    const client = freshClient(sim, { url: `${origin}/srm-ui` });
    const err = await expectSrmError(sim, client.listPairings(), "NOT_FOUND");
    expect(err.message).to.include("Logging in to SRM").and.include("the path is wrong");
    expect(err.message).to.include(`${origin}/srm-ui/api/rest/srm/v2/session`).and.include("srm:host");
    expect(err.message).not.to.include("does not exist");
  });

  it("names the view mode once when listing steps fails", async () => {
    const client = freshClient(sim);
    const err = await expectSrmError(
      sim,
      client.listRecoverySteps(sim.ids.pairingId, "plan-missing", "recovery"),
      "NOT_FOUND",
    );
    expect(err.message).to.include('Listing the recovery steps of plan "plan-missing"');
    expect(err.message).not.to.match(/recovery recovery/i);
  });

  it("a second getSrmClient with another password updates the credentials and drops the session", async () => {
    clearSrmClients();
    const bad = getSrmClient(srmConn(sim, { password: "Wrong-Pw-for-test-91aa!" }));
    await expectSrmError(sim, bad.listPairings(), "AUTHENTICATION_FAILED");
    const good = getSrmClient(srmConn(sim));
    expect(good).to.equal(bad);
    expect(await good.listPairings()).to.have.length.greaterThan(0);
  });

  it("remoteLogin sends x-dr-session and Basic auth of the remote credentials", async () => {
    const client = freshClient(sim);
    await client.remoteLogin(sim.ids.pairingId);
    const [req] = requestsTo(sim, "POST", "/remote-session");
    expect(req.status).to.equal(204);
    expect(req.hasAuthorization).to.equal(true);
    expect(req.headers["x-dr-session"]).to.be.a("string");
    const session = [...sim.model.sessions.values()][0];
    expect([...session.remotePairings]).to.deep.equal([sim.ids.pairingId]);
  });

  it("remoteLogin without remote credentials names the settings to set", async () => {
    const client = freshClient(sim, { remoteUsername: undefined, remotePassword: undefined });
    const err = await expectSrmError(sim, client.remoteLogin(sim.ids.pairingId), "MISSING_CREDENTIALS");
    expect(err.message).to.include("srm:remoteUsername").and.include("srm:remotePassword");
    expect(requestsTo(sim, "POST", "/remote-session")).to.have.length(0);
  });

  it("another connection to the same server and user without remote settings keeps the remote login known", async () => {
    // A site in srm:sites and the single-site settings naming one server, or a peer probe that needs no remote
    // login, share the session: the last one to connect must not take the remote login away from the others.
    clearSrmClients();
    const viaPeer = getSrmClient(
      srmConn(sim, {
        remoteUsername: undefined,
        remotePassword: undefined,
        remoteCredentialsFor: () =>
          Promise.resolve({
            username: sim.credentials.remoteUsername,
            password: sim.credentials.remotePassword,
            source: "srm:sites.siteB.username and srm:sites.siteB.password",
          }),
      }),
    );
    const probe = getSrmClient(srmConn(sim, { remoteUsername: undefined, remotePassword: undefined }));
    expect(probe).to.equal(viaPeer);
    await viaPeer.remoteLogin(sim.ids.pairingId);
    expect(requestsTo(sim, "POST", "/remote-session").map((r) => r.status)).to.deep.equal([204]);
  });

  it("remoteLogin with wrong remote credentials fails naming the remote settings", async () => {
    const client = freshClient(sim, { remotePassword: "Wrong-Remote-Pw-3c!" });
    const err = await expectSrmError(sim, client.remoteLogin(sim.ids.pairingId), "AUTHENTICATION_FAILED");
    expect(err.message).to.include("srm:remoteUsername and srm:remotePassword");
    expect(err.message).not.to.include("Wrong-Remote-Pw-3c!");
  });

  it("restores the remote login after a re-login, so reprotect still works", async () => {
    const client = freshClient(sim);
    await client.remoteLogin(sim.ids.pairingId);
    sim.faults.expireAllSessions();
    const planId = sim.ids.plans["Finance"];
    const task = await client.reprotect(sim.ids.pairingId, planId, { forced: false });
    const done = await client.waitForTask(task);
    expect(done.status).to.equal("SUCCESS");
  });
});

describe("client: normalizeSrmUrl", () => {
  it("accepts host, host:port, https://host and the full base URL", () => {
    expect(normalizeSrmUrl("srm.example.com")).to.equal("https://srm.example.com/api/rest/srm/v2");
    expect(normalizeSrmUrl("srm.example.com:8443")).to.equal("https://srm.example.com:8443/api/rest/srm/v2");
    expect(normalizeSrmUrl("https://srm.example.com/")).to.equal("https://srm.example.com/api/rest/srm/v2");
    expect(normalizeSrmUrl("https://srm.example.com/api/rest/srm/v2/")).to.equal(
      "https://srm.example.com/api/rest/srm/v2",
    );
  });

  it("rejects an empty host with advice", () => {
    expect(() => normalizeSrmUrl(" ")).to.throw(/srm:host/);
  });

  it("refuses plain http, which would send the password in clear text, for SRM and the appliance", () => {
    expect(() => normalizeSrmUrl("http://srm.example.com")).to.throw(
      /only https.*https:\/\/srm\.example\.com/,
    );
    expect(() => normalizeApplianceUrl("http://vc.example.com:80")).to.throw(/srm:applianceHost/);
    expect(normalizeApplianceUrl("vc.example.com")).to.equal("https://vc.example.com");
  });
});
