import { clearSrmClients, withLock, type SrmClient } from "../../provider/client/index.js";
import { expect, freshClient, startSim, type Simulator } from "./helpers.js";

describe("client: plan lock", function () {
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

  it("serializes concurrent createCallout calls on one plan so every callout lands at its position", async () => {
    const { pairingId } = sim.ids;
    const planId = sim.ids.plans["Tier2-DB"];
    const before = await client.listRecoverySteps(pairingId, planId, "recovery");
    const active: string[] = [];
    let overlap = false;
    const names = ["first", "second", "third", "fourth", "fifth"];
    // Each caller inserts at the end of the list as it sees it; without the lock two callers would read
    // the same length and one callout would land before the other's.
    await Promise.all(
      names.map((name) =>
        client.withPlanLock(pairingId, planId, async () => {
          if (active.length > 0) overlap = true;
          active.push(name);
          const steps = await client.listRecoverySteps(pairingId, planId, "recovery");
          const task = await client.createCallout(pairingId, planId, "recovery", {
            name,
            content: "",
            callout_type: "PROMPT",
            timeout_seconds: 0,
            position: steps.length,
          });
          await client.waitForTask(task);
          active.pop();
        }),
      ),
    );
    expect(overlap).to.equal(false);
    const after = await client.listRecoverySteps(pairingId, planId, "recovery");
    expect(after).to.have.length(before.length + names.length);
    const tail = after.slice(before.length);
    const callouts = await Promise.all(
      tail.map((s) => client.getCallout(pairingId, planId, "recovery", s.id)),
    );
    expect(callouts.map((c) => c?.name)).to.deep.equal(names);
  });

  it("lets other plans run in parallel and keeps going after a failure", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const a = withLock("k1", async () => {
      order.push("a-start");
      await gate;
      order.push("a-end");
    });
    const other = withLock("k2", async () => {
      order.push("other");
    });
    const b = withLock("k1", async () => {
      order.push("b");
      throw new Error("b failed");
    });
    const c = withLock("k1", async () => {
      order.push("c");
      return 42;
    });
    await other;
    expect(order).to.deep.equal(["a-start", "other"]);
    release();
    await a;
    await b.then(
      () => expect.fail("b should reject"),
      (e: Error) => expect(e.message).to.equal("b failed"),
    );
    expect(await c).to.equal(42);
    expect(order).to.deep.equal(["a-start", "other", "a-end", "b", "c"]);
  });
});
