import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { call, expect, SrmCaller } from "./https-client.js";

describe("simulator: fault injection", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  beforeEach(async () => {
    sim = await startSimulator();
    caller = await new SrmCaller(sim).login();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("delays answers by latencyMs", async () => {
    sim.faults.set({ latencyMs: 120 });
    const started = Date.now();
    expect((await caller.get("/pairings")).status).to.equal(200);
    // A lower bound only: the answer cannot come before the injected delay.
    expect(Date.now() - started).to.be.at.least(110);
  });

  it("answers 503 with Retry-After and a ResponseError for `count` requests, then recovers", async () => {
    sim.faults.set({ routes: { "GET /pairings": { status: 503, count: 2, retryAfterSeconds: 1 } } });
    for (let i = 0; i < 2; i++) {
      const answer = await caller.get("/pairings");
      expect(answer.status).to.equal(503);
      expect(answer.headers["retry-after"]).to.equal("1");
      expect(answer.json).to.include({ error_code: "INJECTED_FAULT" });
      expect((answer.json as { op_id: string }).op_id).to.match(/^[0-9a-f-]{36}$/);
    }
    expect((await caller.get("/pairings")).status).to.equal(200);
  });

  it("answers 429 and 500 with a chosen error_code on routes with path parameters", async () => {
    sim.faults.set({
      routes: {
        "GET /tasks/{taskId}": { status: 429, count: 1, retryAfterSeconds: 0 },
        "GET /pairings/{pairing_id}": { status: 500, count: 1, errorCode: "INTERNAL_ERROR" },
      },
    });
    const limited = await caller.get("/tasks/task-1");
    expect(limited.status).to.equal(429);
    expect(limited.headers["retry-after"]).to.equal("0");
    const broken = await caller.get(`/pairings/${sim.ids.pairingId}`);
    expect(broken.status).to.equal(500);
    expect(broken.json).to.include({ error_code: "INTERNAL_ERROR" });
    expect((await caller.get(`/pairings/${sim.ids.pairingId}`)).status).to.equal(200);
  });

  it("drops connections without answering, then serves again", async () => {
    sim.faults.set({ dropConnections: { "GET /pairings": 1 } });
    let failure: unknown;
    try {
      await caller.get("/pairings");
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).to.match(/socket hang up|ECONNRESET/);
    expect(sim.requests.some((r) => r.route === "GET /pairings" && r.status === 0)).to.equal(true);
    expect((await caller.get("/pairings")).status).to.equal(200);
  });

  it("carries out a request whose answer it then drops (dropAnswers)", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    sim.faults.set({ dropAnswers: { [route]: 1 } });
    const before = sim.model.tasks.size;
    const body = {
      name: "lost-answer",
      content: "",
      callout_type: "PROMPT",
      timeout_seconds: 0,
      position: 0,
    };
    let failure: unknown;
    try {
      await caller.request(
        "POST",
        `/pairings/${sim.ids.pairingId}/recovery-management/plans/${planId}/recovery-steps/recovery`,
        { body },
      );
    } catch (err) {
      failure = err;
    }
    expect(String(failure)).to.match(/socket hang up|ECONNRESET/);
    // The server acted: a task was started although nobody saw the 202.
    expect(sim.model.tasks.size).to.equal(before + 1);
    const record = sim.requests.find((r) => r.route === route);
    expect(record).to.include({ status: 0, answerDropped: 202 });
    // The next request is answered again.
    const again = await caller.request(
      "POST",
      `/pairings/${sim.ids.pairingId}/recovery-management/plans/${planId}/recovery-steps/recovery`,
      { body },
    );
    expect(again.status).to.equal(202);
  });

  it("uses the appliance error forms for appliance routes", async () => {
    sim.faults.set({ routes: { "POST /api/session": { status: 503, retryAfterSeconds: 2 } } });
    const answer = await call(sim.caCert, "POST", `${sim.applianceUrl}/api/session`, {
      basic: { username: sim.credentials.applianceUsername, password: sim.credentials.appliancePassword },
    });
    expect(answer.status).to.equal(503);
    expect(answer.headers["retry-after"]).to.equal("2");
    expect(answer.json).to.have.property("error_type", "SERVICE_UNAVAILABLE");
  });

  it("never applies a fault with rate 0, and reset() clears everything", async () => {
    sim.faults.set({ routes: { "GET /pairings": { status: 500, rate: 0 } } });
    expect((await caller.get("/pairings")).status).to.equal(200);
    sim.faults.set({ routes: { "GET /pairings": { status: 500 } }, latencyMs: 1 });
    sim.faults.failNextTasks(3);
    expect((await caller.get("/pairings")).status).to.equal(500);
    sim.faults.reset();
    expect(sim.faults.current).to.deep.equal({
      latencyMs: 0,
      routes: {},
      dropConnections: {},
      dropAnswers: {},
    });
    expect((await caller.get("/pairings")).status).to.equal(200);
  });

  it("answers 404 with no body for paths it does not serve", async () => {
    const answer = await caller.get("/protection-groups");
    expect(answer.status).to.equal(404);
    expect(answer.text).to.equal("");
  });
});
