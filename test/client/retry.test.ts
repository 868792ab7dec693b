import { clearSrmClients, type SrmClient } from "../../provider/client/index.js";
import { expect, expectSrmError, freshClient, requestsTo, startSim, type Simulator } from "./helpers.js";

describe("client: retries, timeouts and error mapping", function () {
  this.timeout(30_000);
  let sim: Simulator;
  let client: SrmClient;

  beforeEach(async () => {
    sim = await startSim();
    client = freshClient(sim);
    await client.login();
  });
  afterEach(async () => {
    clearSrmClients();
    await sim.close();
  });

  const calloutSpec = {
    name: "c",
    content: "",
    callout_type: "PROMPT" as const,
    timeout_seconds: 0,
    position: 0,
  };

  it("retries a GET after 503 and succeeds", async () => {
    sim.faults.set({ routes: { "GET /pairings": { status: 503, count: 2 } } });
    const pairings = await client.listPairings();
    expect(pairings).to.have.length.greaterThan(0);
    expect(requestsTo(sim, "GET", "/pairings").map((r) => r.status)).to.deep.equal([503, 503, 200]);
  });

  it("honours Retry-After on 429", async () => {
    sim.faults.set({
      routes: { "GET /pairings/{pairing_id}": { status: 429, count: 1, retryAfterSeconds: 1 } },
    });
    const p = await client.getPairing(sim.ids.pairingId);
    expect(p?.pairing_id).to.equal(sim.ids.pairingId);
    const reqs = requestsTo(sim, "GET", `/pairings/${sim.ids.pairingId}`);
    expect(reqs.map((r) => r.status)).to.deep.equal([429, 200]);
  });

  it("does not wait for a Retry-After longer than a minute and reports the 429", async () => {
    sim.faults.set({ routes: { "GET /pairings": { status: 429, count: 1, retryAfterSeconds: 3600 } } });
    const err = await expectSrmError(sim, client.listPairings(), "SERVER_ERROR");
    expect(err.status).to.equal(429);
    expect(err.message).to.include("throttling");
    expect(requestsTo(sim, "GET", "/pairings")).to.have.length(1);
  });

  it("retries a GET whose connection was dropped", async () => {
    sim.faults.set({ dropConnections: { "GET /pairings": 2 } });
    const pairings = await client.listPairings();
    expect(pairings).to.have.length.greaterThan(0);
    expect(requestsTo(sim, "GET", "/pairings").map((r) => r.status)).to.deep.equal([0, 0, 200]);
  });

  it("retries task polls (GET /tasks) on 502 and 504", async () => {
    const task = await client.createCallout(
      sim.ids.pairingId,
      sim.ids.plans["Tier1-Apps"],
      "recovery",
      calloutSpec,
    );
    sim.faults.set({ routes: { "GET /tasks/{taskId}": { status: 502, count: 1 } } });
    const done = await client.waitForTask(task);
    expect(done.status).to.equal("SUCCESS");
    expect(requestsTo(sim, "GET", `/tasks/${task.id}`).some((r) => r.status === 502)).to.equal(true);
    sim.faults.set({ routes: { "GET /tasks/{taskId}": { status: 504, count: 1 } } });
    expect((await client.getTask(task.id)).status).to.equal("SUCCESS");
  });

  it("retries a DELETE on 503", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    await client.waitForTask(await client.createCallout(sim.ids.pairingId, planId, "recovery", calloutSpec));
    const stepId = (await client.listRecoverySteps(sim.ids.pairingId, planId, "recovery"))[0].id;
    sim.faults.set({
      routes: {
        "DELETE /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}/{recovery_step_id}":
          { status: 503, count: 1 },
      },
    });
    await client.waitForTask(await client.deleteRecoveryStep(sim.ids.pairingId, planId, "recovery", stepId));
    expect(
      requestsTo(sim, "DELETE", `/recovery-steps/recovery/${stepId}`).map((r) => r.status),
    ).to.deep.equal([503, 202]);
  });

  it("retries a POST refused with 503 or 429 (the server did not act), honouring Retry-After", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    sim.faults.set({ routes: { [route]: { status: 503, count: 1, retryAfterSeconds: 1 } } });
    const task = await client.createCallout(sim.ids.pairingId, planId, "recovery", calloutSpec);
    sim.faults.set({ routes: { [route]: { status: 429, count: 1 } } });
    const second = await client.createCallout(sim.ids.pairingId, planId, "recovery", calloutSpec);
    await client.waitForTask(task);
    await client.waitForTask(second);
    const posts = requestsTo(sim, "POST", "/recovery-steps/recovery");
    expect(posts.map((r) => r.status)).to.deep.equal([503, 202, 429, 202]);
    // Retry-After: 1 was waited for (a lower bound; the server's header is the only clock here).
    expect(posts[1].time - posts[0].time).to.be.at.least(950);
    // Each create ran once: two callouts, not four.
    const steps = await client.listRecoverySteps(sim.ids.pairingId, planId, "recovery");
    expect(steps.filter((s) => s.title === "c")).to.have.length(2);
  });

  it("never retries a POST answered 500, 502 or 504 (the server may have acted)", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    for (const status of [500, 502, 504]) {
      sim.faults.set({ routes: { [route]: { status, count: 1 } } });
      const err = await expectSrmError(
        sim,
        client.createCallout(sim.ids.pairingId, planId, "recovery", calloutSpec),
        "SERVER_ERROR",
      );
      expect(err.status).to.equal(status);
    }
    expect(requestsTo(sim, "POST", "/recovery-steps/recovery")).to.have.length(3);
  });

  it("never retries a POST whose answer was lost after the server acted", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    sim.faults.set({ dropAnswers: { [route]: 1 } });
    await expectSrmError(
      sim,
      client.createCallout(sim.ids.pairingId, planId, "recovery", calloutSpec),
      "NETWORK_ERROR",
    );
    expect(requestsTo(sim, "POST", "/recovery-steps/recovery")).to.have.length(1);
  });

  it("never retries a POST whose connection was dropped", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    sim.faults.set({ dropConnections: { [route]: 1 } });
    const err = await expectSrmError(
      sim,
      client.createCallout(sim.ids.pairingId, planId, "recovery", calloutSpec),
      "NETWORK_ERROR",
    );
    expect(err.method).to.equal("POST");
    expect(requestsTo(sim, "POST", "/recovery-steps/recovery")).to.have.length(1);
  });

  it("gives up after retryLimit and reports the status with error_code and op_id", async () => {
    sim.faults.set({ routes: { "GET /pairings": { status: 503, errorCode: "SERVICE_BUSY" } } });
    const err = await expectSrmError(sim, client.listPairings(), "SERVER_ERROR");
    expect(requestsTo(sim, "GET", "/pairings")).to.have.length(4); // 1 + retryLimit 3
    expect(err.status).to.equal(503);
    expect(err.errorCode).to.equal("SERVICE_BUSY");
    expect(err.opId).to.be.a("string").and.not.equal("");
    expect(err.message).to.include("SERVICE_BUSY").and.include(err.opId!).and.include("Listing pairings");
  });

  it("maps a 500 keeping error_code and op_id, without retrying it", async () => {
    sim.faults.set({ routes: { "GET /pairings/{pairing_id}": { status: 500, errorCode: "INTERNAL_BOOM" } } });
    const err = await expectSrmError(sim, client.getPairing(sim.ids.pairingId), "SERVER_ERROR");
    expect(err).to.include({ status: 500, errorCode: "INTERNAL_BOOM", method: "GET" });
    expect(err.opId).to.be.a("string");
    expect(requestsTo(sim, "GET", `/pairings/${sim.ids.pairingId}`)).to.have.length(1);
  });

  it("maps 403 to FORBIDDEN", async () => {
    sim.faults.set({ routes: { "GET /pairings": { status: 403, errorCode: "NO_PERMISSION" } } });
    const err = await expectSrmError(sim, client.listPairings(), "FORBIDDEN");
    expect(err.errorCode).to.equal("NO_PERMISSION");
    expect(err.message).to.include("privilege");
  });

  it("times out a slow answer with REQUEST_TIMEOUT", async () => {
    const slow = freshClient(sim, { requestTimeoutMs: 100, retryLimit: 0 });
    await slow.login();
    sim.faults.set({ latencyMs: 400 });
    const err = await expectSrmError(sim, slow.listPairings(), "REQUEST_TIMEOUT");
    expect(err.message).to.include("100 ms").and.include("Listing pairings");
    expect(requestsTo(sim, "GET", "/pairings")).to.have.length(1);
  });

  it("retries a timed-out GET up to retryLimit", async () => {
    const slow = freshClient(sim, { requestTimeoutMs: 100, retryLimit: 2 });
    await slow.login();
    sim.faults.set({ latencyMs: 400 });
    await expectSrmError(sim, slow.listPairings(), "REQUEST_TIMEOUT");
    expect(requestsTo(sim, "GET", "/pairings")).to.have.length(3);
  });

  it("reports NETWORK_ERROR with advice when nothing listens", async () => {
    const port = sim.port;
    await sim.close();
    const dead = freshClient(sim, { retryLimit: 0 });
    const err = await expectSrmError(sim, dead.listPairings(), "NETWORK_ERROR");
    expect(err.message).to.include("srm:host").and.include(String(port));
  });
});
