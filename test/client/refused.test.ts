// Whether SRM certainly did not act on a request decides whether a create's journal entry is dropped (nothing
// was made) or kept for the next run to find what SRM made. Only a refusal (4xx) or a failed or cancelled task
// counts; an accepted request whose answer the client could not use may have changed SRM.
import { clearSrmClients, SrmError, srmRefused, type SrmClient } from "../../provider/client/index.js";
import { expect, freshClient, startSim, type Simulator } from "./helpers.js";

describe("client: srmRefused", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let client: SrmClient;

  beforeEach(async () => {
    sim = await startSim();
    client = freshClient(sim);
  });
  afterEach(async () => {
    clearSrmClients();
    await sim.close();
  });

  it("a 4xx answer from SRM is a refusal", async () => {
    // Reprotect without the remote session: SRM answers 403 and runs nothing.
    const e = await client.reprotect(sim.ids.pairingId, sim.ids.plans.Finance!, {}).catch((x: unknown) => x);
    expect(e).to.be.instanceOf(SrmError);
    expect((e as SrmError).status).to.equal(403);
    expect(srmRefused(e)).to.equal(true);
  });

  it("a task that failed is a refusal", async () => {
    await client.remoteLogin(sim.ids.pairingId);
    sim.faults.failNextTasks(1, "Storage array unreachable");
    const task = await client.reprotect(sim.ids.pairingId, sim.ids.plans.Finance!, {});
    const e = await client.waitForTask(task).catch((x: unknown) => x);
    expect((e as SrmError).code).to.equal("TASK_FAILED");
    expect(srmRefused(e)).to.equal(true);
  });

  it("an accepted request whose answer could not be read, a 5xx, or another error is not", () => {
    const accepted = new SrmError("INVALID_RESPONSE", "POST /x answered 202 with a body that is not a task", {
      status: 202,
    });
    const redirect = new SrmError("UNEXPECTED_REDIRECT", "302 to elsewhere", { status: 302 });
    const server = new SrmError("SERVER_ERROR", "500", { status: 500 });
    const lost = new SrmError("NETWORK_ERROR", "socket hang up");
    expect([accepted, redirect, server, lost, new Error("x"), undefined].map(srmRefused)).to.deep.equal([
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
