import { clearSrmClients, type SrmClient } from "../../provider/client/index.js";
import { expect, expectSrmError, freshClient, requestsTo, startSim, type Simulator } from "./helpers.js";

describe("client: SRM calls", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let client: SrmClient;
  let pairingId: string;

  beforeEach(async () => {
    sim = await startSim({ pageLimit: 2, maxPageLimit: 2 });
    client = freshClient(sim);
    pairingId = sim.ids.pairingId;
  });
  afterEach(async () => {
    clearSrmClients();
    await sim.close();
  });

  it("listPairings follows paging and returns every pairing", async () => {
    sim.faults.set({}); // no faults
    const pairings = await client.listPairings();
    expect(pairings.map((p) => p.pairing_id).sort()).to.deep.equal([...sim.model.pairings.keys()].sort());
    expect(pairings.length).to.be.greaterThanOrEqual(2);
  });

  it("getPairing returns the pairing and undefined for an unknown id", async () => {
    const p = await client.getPairing(pairingId);
    expect(p?.pairing_id).to.equal(pairingId);
    expect(p?.remote_vc_server?.id).to.equal(sim.ids.remoteVcGuid);
    expect(await client.getPairing("no-such-pairing")).to.equal(undefined);
  });

  it("createPairing, reconnectPairing and deletePairing run tasks to SUCCESS", async () => {
    const spec = {
      pair_psc_info: {
        url: "vc-c.example.local",
        port: 443,
        thumbprint: null,
        username: sim.credentials.remoteUsername,
        password: sim.credentials.remotePassword,
      },
      pair_vc_guid: sim.ids.spareRemoteVcGuid,
    };
    const created = await client.waitForTask(await client.createPairing(spec), {
      what: "creating the pairing",
    });
    expect(created.status).to.equal("SUCCESS");
    const pairing = (await client.listPairings()).find(
      (p) => p.remote_vc_server?.id === sim.ids.spareRemoteVcGuid,
    );
    expect(pairing, "new pairing listed").to.not.equal(undefined);
    const id = pairing!.pairing_id;

    const reconnected = await client.waitForTask(await client.reconnectPairing(id, spec));
    expect(reconnected.status).to.equal("SUCCESS");

    await client.remoteLogin(id);
    const deleted = await client.waitForTask(await client.deletePairing(id));
    expect(deleted.status).to.equal("SUCCESS");
    expect(await client.getPairing(id)).to.equal(undefined);
  });

  it("a pairing task with wrong PSC credentials fails with the task's message and no password", async () => {
    const wrong = "Wrong-Psc-Pw-for-test-77!";
    const spec = {
      pair_psc_info: {
        url: "vc-c.example.local",
        port: 443,
        thumbprint: null,
        username: "x@vsphere.local",
        password: wrong,
      },
      pair_vc_guid: sim.ids.spareRemoteVcGuid,
    };
    const task = await client.createPairing(spec);
    const err = await expectSrmError(sim, client.waitForTask(task), "TASK_FAILED");
    expect(err.taskId).to.equal(task.id);
    expect(err.message).not.to.include(wrong);
  });

  it("listPlans and getPlan read plans; an unknown plan is undefined", async () => {
    const plans = await client.listPlans(pairingId);
    expect(plans.map((p) => p.name)).to.include.members(["Tier1-Apps", "Tier2-DB", "Finance", "Legacy"]);
    const finance = await client.getPlan(pairingId, sim.ids.plans["Finance"]);
    expect(finance?.status).to.equal("RECOVERY_COMPLETE");
    expect(await client.getPlan(pairingId, "no-such-plan")).to.equal(undefined);
  });

  it("creates, reads, edits and deletes a callout", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const before = await client.listRecoverySteps(pairingId, planId, "recovery");
    expect(before.length).to.be.greaterThan(0);

    const task = await client.createCallout(pairingId, planId, "recovery", {
      name: "Notify ops",
      content: "Tell the on-call team",
      callout_type: "PROMPT",
      timeout_seconds: 0,
      position: 1,
    });
    const done = await client.waitForTask(task);
    const after = await client.listRecoverySteps(pairingId, planId, "recovery");
    expect(after).to.have.length(before.length + 1);
    const stepId = after[1].id;
    expect((done.result as { recovery_step_id?: unknown } | null)?.recovery_step_id ?? stepId).to.satisfy(
      (v: unknown) => String(v) === String(stepId),
    );

    const callout = await client.getCallout(pairingId, planId, "recovery", stepId);
    expect(callout).to.include({
      name: "Notify ops",
      content: "Tell the on-call team",
      callout_type: "PROMPT",
    });

    await client.waitForTask(
      await client.editCallout(pairingId, planId, "recovery", stepId, {
        name: "Notify ops",
        content: "/opt/notify.sh",
        callout_type: "RUN_ON_SRM_SERVER",
        timeout_seconds: 120,
      }),
    );
    const edited = await client.getCallout(pairingId, planId, "recovery", stepId);
    expect(edited).to.include({
      content: "/opt/notify.sh",
      callout_type: "RUN_ON_SRM_SERVER",
      timeout_seconds: 120,
    });

    await client.waitForTask(await client.deleteRecoveryStep(pairingId, planId, "recovery", stepId));
    expect(await client.getCallout(pairingId, planId, "recovery", stepId)).to.equal(undefined);
    expect(await client.listRecoverySteps(pairingId, planId, "recovery")).to.have.length(before.length);
  });

  it("checks request bodies before sending them", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const bad = {
      name: "",
      content: "x",
      callout_type: "PROMPT",
      timeout_seconds: 70000,
      position: -1,
    } as never;
    const err = await expectSrmError(
      sim,
      client.createCallout(pairingId, planId, "recovery", bad),
      "INVALID_REQUEST",
    );
    expect(err.message).to.include("timeout_seconds").and.include("position").and.include("name");
    expect(requestsTo(sim, "POST", "/recovery-steps/recovery")).to.have.length(0);
  });

  it("reprotect needs the remote login and then runs to SUCCESS", async () => {
    const planId = sim.ids.plans["Finance"];
    const err = await expectSrmError(sim, client.reprotect(pairingId, planId, { forced: false }), undefined);
    expect(err.errorCode).to.equal("REMOTE_SITE_NOT_AUTHENTICATED");
    expect(err.opId).to.be.a("string");
    await client.remoteLogin(pairingId);
    const task = await client.waitForTask(await client.reprotect(pairingId, planId, { forced: false }));
    expect(task.status).to.equal("SUCCESS");
    expect((await client.getPlan(pairingId, planId))?.status).to.equal("READY_STATE");
  });

  it("maps an SRM 400 keeping error_code and op_id", async () => {
    const planId = sim.ids.plans["Tier1-Apps"];
    const steps = await client.listRecoverySteps(pairingId, planId, "recovery");
    const builtIn = steps[0].id;
    const err = await expectSrmError(
      sim,
      client.deleteRecoveryStep(pairingId, planId, "recovery", builtIn),
      "BAD_REQUEST",
    );
    expect(err.status).to.equal(400);
    expect(err.errorCode).to.be.a("string").and.not.equal("");
    expect(err.opId).to.be.a("string").and.not.equal("");
    expect(err.message).to.include(err.errorCode!).and.include(err.opId!);
    expect(err.method).to.equal("DELETE");
    expect(err.path).to.include(`/recovery-steps/recovery/${builtIn}`);
  });

  it("getTask reads a task by id and waitForTask accepts the id", async () => {
    const planId = sim.ids.plans["Tier2-DB"];
    const task = await client.createCallout(pairingId, planId, "recovery", {
      name: "by id",
      content: "",
      callout_type: "PROMPT",
      timeout_seconds: 0,
      position: 0,
    });
    const read = await client.getTask(task.id);
    expect(read.id).to.equal(task.id);
    const done = await client.waitForTask(task.id);
    expect(done.status).to.equal("SUCCESS");
    expect(done.complete_time).to.be.a("number");
  });
});

describe("client: page size of listings", function () {
  this.timeout(20_000);
  let sim: Simulator | undefined;
  afterEach(async () => {
    clearSrmClients();
    await sim?.close();
  });

  const withCallouts = async (options: Parameters<typeof startSim>[0], count: number) => {
    sim = await startSim(options);
    const planId = sim.ids.plans["Tier1-Apps"]!;
    for (let n = 0; n < count; n++) {
      sim.model.insertCalloutAt(planId, "AT_END", n, {
        name: `Step ${n}`,
        content: `echo ${n}`,
        callout_type: "RUN_ON_SRM_SERVER",
        timeout_seconds: 60,
      });
    }
    return { client: freshClient(sim), planId };
  };
  const stepListings = (s: Simulator) =>
    s.requests.filter((r) =>
      r.route.startsWith("GET /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps"),
    ).length;

  it("reads a plan of 250 steps in one request (the spec gives the steps listing no paging)", async () => {
    const { client, planId } = await withCallouts({}, 250);
    const steps = await client.listRecoverySteps(sim!.ids.pairingId, planId, "recovery");
    expect(steps.filter((s) => s.plan_callout_position_spec)).to.have.length(250);
    expect(stepListings(sim!)).to.equal(1);
  });

  it("pages on with the page size a server that caps it answers, and reads every item", async () => {
    sim = await startSim({ maxPageLimit: 2 });
    const pairings = await freshClient(sim).listPairings();
    expect(pairings.map((p) => p.pairing_id).sort()).to.deep.equal([...sim.model.pairings.keys()].sort());
    const pages = sim.requests.filter((r) => r.route === "GET /pairings");
    expect(pages.length).to.equal(Math.ceil(pairings.length / 2));
    expect(pages[0]!.query.limit).to.equal("1000");
  });
});
