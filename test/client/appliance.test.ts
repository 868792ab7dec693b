import { clearApplianceClients, getApplianceClient } from "../../provider/client/index.js";
import {
  expect,
  applianceConn,
  expectSrmError,
  freshAppliance,
  requestsTo,
  startSim,
  type Simulator,
} from "./helpers.js";

describe("client: vCenter appliance", function () {
  this.timeout(20_000);
  let sim: Simulator;
  const spec = (s: Simulator) => ({
    sso_admin_user_name: s.credentials.ssoUsername,
    sso_admin_user_password: s.credentials.ssoPassword,
    ignore_warnings: false,
  });

  afterEach(async () => {
    clearApplianceClients();
    await sim.close();
  });

  describe("with /api (vCenter 7+)", () => {
    beforeEach(async () => {
      sim = await startSim();
    });

    it("logs in with POST /api/session and sends vmware-api-session-id", async () => {
      const client = freshAppliance(sim);
      await client.login();
      expect(await client.getReconciliationJob()).to.equal(undefined);
      const [login] = requestsTo(sim, "POST", "/api/session");
      expect(login.status).to.equal(201);
      expect(login.hasAuthorization).to.equal(true);
      const [get] = requestsTo(sim, "GET", "/api/appliance/recovery/reconciliation/job");
      expect(get.headers["vmware-api-session-id"]).to.be.a("string");
      expect(client.apiFlavor).to.equal("api");
    });

    it("creates a job in the /api form and waits for SUCCEEDED", async () => {
      const client = freshAppliance(sim);
      const { job, flavor } = await client.createReconciliationJob(spec(sim));
      expect(flavor).to.equal("api");
      expect(job.status).to.equal("RUNNING");
      const [post] = requestsTo(sim, "POST", "/api/appliance/recovery/reconciliation/job");
      expect(post.body).to.deep.equal(spec(sim));
      const seen: string[] = [];
      const done = await client.waitForReconciliation({ onProgress: (j) => seen.push(j.status) });
      expect(done.status).to.equal("SUCCEEDED");
      expect(seen).to.include("SUCCEEDED");
      expect(requestsTo(sim, "POST", "/rest/appliance/recovery/reconciliation/job")).to.have.length(0);
    });

    it("a failed job is RECONCILIATION_FAILED carrying the job's messages, no SSO password", async () => {
      const client = freshAppliance(sim);
      await client.createReconciliationJob({
        ...spec(sim),
        sso_admin_user_password: "Wrong-Sso-Pw-for-test-2!",
      });
      const err = await expectSrmError(sim, client.waitForReconciliation(), "RECONCILIATION_FAILED");
      expect(err.message).to.include("Cannot authenticate with SSO");
      expect(err.message).not.to.include("Wrong-Sso-Pw-for-test-2!");
    });

    it("an injected job failure carries its message", async () => {
      const client = freshAppliance(sim);
      sim.faults.failNextTasks(1, "Reconciliation failed: inventory service down");
      await client.createReconciliationJob(spec(sim));
      const err = await expectSrmError(sim, client.waitForReconciliation(), "RECONCILIATION_FAILED");
      expect(err.message).to.include("inventory service down");
    });

    it("maps a vAPI error (FEATURE_IN_USE while a job runs) with its messages", async () => {
      sim.faults.set({ taskDurationMs: 60_000 });
      const client = freshAppliance(sim);
      await client.createReconciliationJob(spec(sim));
      const err = await expectSrmError(sim, client.createReconciliationJob(spec(sim)), "BAD_REQUEST");
      expect(err.errorCode).to.equal("FEATURE_IN_USE");
      expect(err.message).to.include("already in progress");
    });

    it("stops waiting at the deadline with TASK_TIMEOUT", async () => {
      sim.faults.set({ taskDurationMs: 60_000 });
      const client = freshAppliance(sim);
      await client.createReconciliationJob(spec(sim));
      const err = await expectSrmError(sim, client.waitForReconciliation({ timeoutMs: 200 }), "TASK_TIMEOUT");
      expect(err.message).to.include("RUNNING");
    });

    it("wrong appliance password is AUTHENTICATION_FAILED naming the appliance settings", async () => {
      const client = freshAppliance(sim, { password: "Wrong-Vcsa-Pw-for-test-9!" });
      const err = await expectSrmError(sim, client.login(), "AUTHENTICATION_FAILED");
      expect(err.message).to.include("srm:applianceUsername and srm:appliancePassword");
      expect(err.errorCode).to.equal("UNAUTHENTICATED");
      expect(err.message).not.to.include("Wrong-Vcsa-Pw-for-test-9!");
    });

    it("logs in again once when the appliance session expired", async () => {
      const client = freshAppliance(sim);
      await client.login();
      sim.model.appliance.tokens.clear();
      expect(await client.getReconciliationJob()).to.equal(undefined);
      expect(requestsTo(sim, "POST", "/api/session")).to.have.length(2);
    });

    it("a wrong appliance thumbprint fails before any request, naming srm:applianceThumbprint", async () => {
      const client = freshAppliance(sim, { tls: { thumbprint: "ab".repeat(32) } });
      const err = await expectSrmError(sim, client.login(), "TLS_PINNING_FAILED");
      expect(err.message).to.include("srm:applianceThumbprint").and.include(sim.thumbprintSha256);
      expect(sim.requests).to.have.length(0);
    });

    it("pins the appliance by its SHA-1 thumbprint", async () => {
      const client = freshAppliance(sim, { tls: { thumbprint: sim.thumbprintSha1 } });
      expect(await client.getReconciliationJob()).to.equal(undefined);
    });

    it("getApplianceClient shares one client per (url, username)", () => {
      clearApplianceClients();
      expect(getApplianceClient(applianceConn(sim))).to.equal(getApplianceClient(applianceConn(sim)));
    });
  });

  describe("with only /rest (vCenter 6.7)", () => {
    beforeEach(async () => {
      sim = await startSim({ applianceApi: "rest-only" });
    });

    it("falls back to the legacy session and the /rest job form", async () => {
      const client = freshAppliance(sim);
      const { job, flavor } = await client.createReconciliationJob(spec(sim));
      expect(flavor).to.equal("rest");
      expect(job.status).to.equal("RUNNING");
      expect(requestsTo(sim, "POST", "/api/session").map((r) => r.status)).to.deep.equal([404]);
      expect(requestsTo(sim, "POST", "/rest/com/vmware/cis/session").map((r) => r.status)).to.deep.equal([
        200,
      ]);
      const [post] = requestsTo(sim, "POST", "/rest/appliance/recovery/reconciliation/job");
      expect(post.body).to.deep.equal({ spec: spec(sim) });
      const done = await client.waitForReconciliation();
      expect(done.status).to.equal("SUCCEEDED");
      expect(requestsTo(sim, "GET", "/rest/appliance/recovery/reconciliation/job").length).to.be.at.least(1);
    });

    it("maps the /rest error form with its messages", async () => {
      sim.faults.set({ taskDurationMs: 60_000 });
      const client = freshAppliance(sim);
      await client.createReconciliationJob(spec(sim));
      const err = await expectSrmError(sim, client.createReconciliationJob(spec(sim)), "BAD_REQUEST");
      expect(err.errorCode).to.equal("FEATURE_IN_USE");
      expect(err.message).to.include("already in progress");
    });
  });
});
