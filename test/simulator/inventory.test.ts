import { DEFAULT_IDS, defaultInventory, parseInventory, startSimulator } from "pulumi-srm-simulator";
import { expect, SrmCaller } from "./https-client.js";

describe("simulator: inventory", () => {
  it("has the documented default ids and names", () => {
    const inv = defaultInventory();
    expect(inv.local.vcName).to.equal("vc-a.example.local");
    expect(inv.local.srmName).to.equal("srm-a.example.local");
    expect(inv.remoteSites.map((s) => s.vcName)).to.deep.equal(["vc-b.example.local", "vc-c.example.local"]);
    expect(inv.pairings[0].id).to.equal(DEFAULT_IDS.pairingId);
    expect(inv.pairings[0].plans.map((p) => `${p.name}:${p.status}`)).to.deep.equal([
      "Tier1-Apps:READY_STATE",
      "Tier2-DB:READY_STATE",
      "Finance:RECOVERY_COMPLETE",
      "Legacy:TEST_COMPLETE",
    ]);
  });

  it("rejects a bad inventory naming the fields", () => {
    const inv = JSON.parse(JSON.stringify(defaultInventory()));
    inv.pairings[0].plans[0].status = "ALMOST_READY";
    delete inv.credentials.password;
    expect(() => parseInventory(inv)).to.throw(
      /pairings\.0\.plans\.0\.status.*credentials\.password|credentials\.password.*pairings\.0\.plans\.0\.status/,
    );
  });

  it("serves a loaded inventory with its own plans and pre-placed callouts", async () => {
    const base = JSON.parse(JSON.stringify(defaultInventory()));
    base.pairings[0].plans = [
      {
        id: "plan-x",
        name: "Only",
        status: "INCOMPLETE_REPROTECT",
        callouts: [
          { viewMode: "recovery", position: 0, name: "Pre", content: "echo", calloutType: "PROMPT" },
          { anchor: "AT_END", name: "Post", content: "echo", calloutType: "PROMPT" },
        ],
      },
    ];
    const sim = await startSimulator({ inventory: parseInventory(base) });
    try {
      expect(sim.ids.plans).to.deep.equal({ Only: "plan-x" });
      const caller = await new SrmCaller(sim).login();
      const steps = await caller.get<{ list: { title: string }[] }>(
        `/pairings/${sim.ids.pairingId}/recovery-management/plans/plan-x/recovery-steps/recovery`,
      );
      expect(steps.json.list[0].title).to.equal("Pre");
      expect(steps.json.list[steps.json.list.length - 1].title).to.equal("Post");
      const plan = await caller.get<{ status: string }>(
        `/pairings/${sim.ids.pairingId}/recovery-management/plans/plan-x`,
      );
      expect(plan.json.status).to.equal("INCOMPLETE_REPROTECT");
    } finally {
      await sim.close();
    }
  });
});
