import * as pulumi from "@pulumi/pulumi";
import {
  lookupPairing,
  getPairingOutput,
  lookupRecoveryPlan,
  getRecoveryPlanOutput,
} from "../../provider/lookups/pairing-and-plan.js";
import { getPlanVmOutput, getProtectionGroupOutput } from "../../provider/lookups/protection.js";
import { getSuitablePlaceholderDatastoresOutput } from "../../provider/lookups/inventory.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, expect, expectNoPasswords, passwordsOf, rejectionOf } from "./helpers.js";

/** The value of an Output outside a deployment. */
function valueOf<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

describe("resources: lookups", () => {
  let sim: Simulator;
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  it("finds a pairing by remote vCenter name (any case) and by guid, with statuses and no credential", async () => {
    const byName = await lookupPairing({ remoteVcName: "VC-B.example.local" }, contextOf(sim));
    expect(byName).to.include({
      pairingId: sim.ids.pairingId,
      remoteVcGuid: sim.ids.remoteVcGuid,
      remoteVcName: "vc-b.example.local",
      localVcName: "vc-a.example.local",
      localVcServerStatus: "OK",
    });
    const byGuid = await lookupPairing({ remoteVcGuid: sim.ids.remoteVcGuid }, contextOf(sim));
    expect(byGuid).to.deep.equal(byName);
    expectNoPasswords(byName, passwordsOf(sim));
  });

  it("lists the pairings that exist when none matches, leaving out the local self-pairing", async () => {
    const e = await rejectionOf(lookupPairing({ remoteVcName: "vc-a.example.local" }, contextOf(sim)));
    expect(e.message).to.include("vc-b.example.local").and.include(sim.ids.pairingId);
    expect(e.message).to.not.include(sim.ids.selfPairingId);
  });

  it("requires the remote site", async () => {
    const e = await rejectionOf(lookupPairing({}, contextOf(sim)));
    expect(e.message).to.include("remoteVcName").and.include("remoteVcGuid");
  });

  it("finds a recovery plan by name with its status", async () => {
    const plan = await lookupRecoveryPlan({ pairingId: sim.ids.pairingId, name: "Finance" }, contextOf(sim));
    expect(plan).to.include({
      planId: sim.ids.plans.Finance,
      name: "Finance",
      status: "RECOVERY_COMPLETE",
      pairingId: sim.ids.pairingId,
    });
  });

  it("lists the plans that exist when the name matches none", async () => {
    const e = await rejectionOf(
      lookupRecoveryPlan({ pairingId: sim.ids.pairingId, name: "Payroll" }, contextOf(sim)),
    );
    for (const name of ["Tier1-Apps", "Tier2-DB", "Finance", "Legacy"])
      expect(e.message).to.include(`"${name}"`);
    expect(e.message).to.include("Payroll");
  });

  it("reads program-time settings from the environment and returns Outputs", async () => {
    const saved = { ...process.env };
    try {
      process.env.SRM_HOST = sim.url;
      process.env.SRM_USERNAME = sim.credentials.username;
      process.env.SRM_PASSWORD = sim.credentials.password;
      process.env.SRM_CA_CERT = sim.caCertPath;
      const pairing = await valueOf(getPairingOutput({ remoteVcName: pulumi.output("vc-b.example.local") }));
      expect(pairing.pairingId).to.equal(sim.ids.pairingId);
      const plan = await valueOf(getRecoveryPlanOutput({ pairingId: pairing.pairingId, name: "Tier1-Apps" }));
      expect(plan.planId).to.equal(sim.ids.plans["Tier1-Apps"]);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("take invoke options and a site: getProtectionGroupOutput, getPlanVmOutput, getSuitablePlaceholderDatastoresOutput", async () => {
    const two = await startSimulator({ serveRemoteSite: true });
    const saved = { ...process.env };
    try {
      const remote = two.remote!;
      process.env.SRM_SITES = JSON.stringify({
        siteA: {
          host: two.url,
          username: two.credentials.username,
          password: two.credentials.password,
          caCert: two.caCertPath,
        },
        siteB: {
          host: remote.url,
          username: remote.credentials.username,
          password: remote.credentials.password,
          caCert: remote.caCertPath,
        },
      });
      const pairingId = two.ids.pairingId;
      // Without a deployment a dependsOn resource never gets an id, so an empty list is what can run here.
      const opts = { dependsOn: [] };
      const settled = <T>(o: pulumi.Output<T>) =>
        (o as unknown as { promise(): Promise<T> }).promise().then(
          (v) => v,
          (e: unknown) => e as Error,
        );
      const before = remote.requests.length;
      const group = await settled(getProtectionGroupOutput({ pairingId, name: "Nope", site: "siteB" }, opts));
      expect(group).to.be.instanceOf(Error);
      expect((group as Error).message).to.include("no protection group with that name");
      const vm = await settled(
        getPlanVmOutput(
          { pairingId, planId: two.ids.plans["Tier1-Apps"], name: "nope-vm", site: "siteB" },
          opts,
        ),
      );
      expect((vm as Error).message).to.include("no VM with that name in the plan");
      // Asked at site B: the listings went to its server, none to site A's.
      const asked = remote.requests.slice(before).map((r) => r.route);
      expect(asked).to.include("GET /pairings/{pairing_id}/protection-management/groups");
      expect(two.requests.some((r) => r.route.includes("protection-management"))).to.equal(false);
      // Site A's remote login for this query is site B's own login, found by the SRM server id.
      const stores = await settled(
        getSuitablePlaceholderDatastoresOutput({ pairingId, site: "siteA" }, opts),
      );
      expect(stores).to.be.an("array").with.length.greaterThan(0);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
      await two.close();
    }
  });
});
