// The per-resource example programs through the real pulumi CLI, all in one stack (one CLI run per step keeps
// the suite lean): what preview plans, what up makes in SRM and exports, that a second up changes nothing,
// that passwords stay secrets, and that destroy leaves SRM as it was.
import { expect } from "chai";
import pairingExample = require("../../examples/pairing/index.js");
import calloutExample = require("../../examples/recovery-step-callout/index.js");
import runbookExample = require("../../examples/recovery-plan-callouts/index.js");
import reprotectExample = require("../../examples/reprotect/index.js");
import reconciliationExample = require("../../examples/appliance-reconciliation/index.js");
import inventoryMappingExample = require("../../examples/inventory-mapping/index.js");
import testNetworkMappingExample = require("../../examples/test-network-mapping/index.js");
import placeholderDatastoreExample = require("../../examples/placeholder-datastore/index.js");
import { expectNoSecrets, passwordsOf, TYPES } from "../host/helpers.js";
import { useCliSuite, stepOps } from "./harness.js";

describe("cli: the per-resource examples", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("preview, up, an unchanged second up, secrets in state, destroy", async () => {
    const spare = suite.sim.inventory.remoteSites.find((s) => s.vcGuid === suite.sim.ids.spareRemoteVcGuid)!;
    const m = suite.sim.model;
    const pairing = m.pairings.get(suite.sim.ids.pairingId)!;
    const tier1 = suite.sim.ids.plans["Tier1-Apps"]!;
    const finance = suite.sim.ids.plans.Finance!;
    const stack = await suite.stack({
      config: {
        "pairing:remoteVcGuid": spare.vcGuid,
        "pairing:pscUrl": spare.pscUrl,
        ...(spare.pscThumbprint ? { "pairing:pscThumbprint": spare.pscThumbprint } : {}),
        "pairing:pscUsername": spare.username,
        "pairing:pscPassword": spare.password,
        "reconcile:ssoAdminPassword": suite.sim.credentials.ssoPassword,
      },
      secrets: ["pairing:pscPassword", "reconcile:ssoAdminPassword"],
      program: () => ({
        pairing: pairingExample(),
        callout: calloutExample(),
        runbook: runbookExample(),
        mapping: inventoryMappingExample(),
        testnet: testNetworkMappingExample(),
        placeholder: placeholderDatastoreExample(),
        reprotect: reprotectExample(),
        reconcile: reconciliationExample(),
      }),
    });

    await stack.preview();
    expect(stepOps(stack.events)).to.deep.equal({
      "site-c": "create",
      "confirm-test-network": "create",
      "tier2-runbook": "create",
      "app-network": "create",
      "app-test-network": "create",
      placeholders: "create",
      "finance-reprotect": "create",
      "after-restore": "create",
    });
    expect(m.pairingTo(spare.vcGuid), "a preview pairs nothing").to.equal(undefined);

    const up = await stack.up();
    const out = Object.fromEntries(Object.entries(up.outputs).map(([k, v]) => [k, v.value])) as Record<
      string,
      Record<string, unknown>
    >;

    // pairing: pairs with the spare site.
    expect(out.pairing!.pairingId).to.equal(m.pairingTo(spare.vcGuid)?.id);
    expect(out.pairing).to.include({ remoteVcName: "vc-c.example.local", adopted: false });

    // recovery-step-callout: finds the pairing and plan by name and inserts the prompt before priority 1.
    expect(out.callout!.planId).to.equal(tier1);
    const test = m.stepsOf(tier1, "test");
    const prompt = test[test.findIndex((s) => s.builtIn?.title === "Power on priority 1 VMs") - 1];
    expect(prompt?.callout?.name).to.equal("Confirm the isolated test network");
    expect(out.callout!.stepId).to.equal(prompt!.id);
    expect(out.callout!.anchor).to.equal("BEFORE_RECOVER_PRIORITY_1_VMS");
    // The same step is in the failover workflow: custom steps belong to the plan.
    expect(m.findStep(tier1, "recovery", prompt!.id)).to.equal(prompt);

    // recovery-plan-callouts: the Tier2-DB runbook, each anchor's steps in order; the first in a failover only.
    const tier2 = suite.sim.ids.plans["Tier2-DB"]!;
    expect(out.runbook!.planId).to.equal(tier2);
    const names = (
      anchor: "BEFORE_RECOVER_PRIORITY_1_VMS" | "AT_END" | "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS",
    ) => (m.customSteps(tier2)[anchor] ?? []).map((s) => s.callout!.name);
    expect(names("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal(["Check replica lag", "Warm the caches"]);
    expect(names("AT_END")).to.deep.equal(["Rebuild search indexes"]);
    expect(m.stepsOf(tier2, "test").map((s) => s.callout?.name)).to.not.include("Stop application writes");
    expect(Object.keys(out.runbook!.stepIds as object)).to.have.length(4);

    // inventory-mapping, test-network-mapping, placeholder-datastore: site B bootstrapped.
    expect(out.mapping).to.include({ mapped: "PG-App-A -> PG-App-B", reverseMappingType: "YES" });
    expect(out.testnet!.testNetworkName).to.equal("PG-Test-B");
    expect(out.placeholder!.datastore).to.equal("ds-b-local-01");
    expect(m.mappings.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal(["datastore-2042"]);

    // reprotect: runs once on the recovered plan; outputs carry the task and the statuses.
    expect(out.reprotect).to.include({ taskStatus: "SUCCESS", planStatusBefore: "RECOVERY_COMPLETE" });
    const financeAfterUp = m.plans.get(finance)!.status;
    expect(out.reprotect!.planStatus).to.equal(financeAfterUp);

    // appliance-reconciliation: the job ran through the /api form.
    expect(out.reconcile).to.include({ jobStatus: "SUCCEEDED", apiFlavor: "api" });
    expect(m.appliance.job?.status).to.equal("SUCCEEDED");

    // The password inputs are secrets in state; nothing on disk holds one in plain text.
    const state = stack.resources();
    const byName = (n: string) => state.find((r) => r.urn.endsWith(`::${n}`))!;
    expect(byName("site-c").inputs!.pscPassword).to.have.property("ciphertext");
    expect(byName("site-c").additionalSecretOutputs).to.include("pscPasswordDigest");
    expect(byName("after-restore").inputs!.ssoAdminPassword).to.have.property("ciphertext");
    expectNoSecrets(stack.backendText(), passwordsOf(suite.sim), "the state files");

    // Running the same programs again changes nothing and runs no SRM task again but the lookup's query.
    const tasks = m.tasks.size;
    expect((await stack.up()).summary.resourceChanges).to.deep.equal({ same: 9 });
    const ran = [...m.tasks.values()].slice(tasks).map((t) => t.descriptionId);
    expect(ran).to.deep.equal(["com.vmware.dr.placeholderdatastore.querySuitable"]);

    await stack.destroy();
    expect(m.pairingTo(spare.vcGuid)).to.equal(undefined);
    expect(m.stepsOf(tier1, "test").some((s) => s.callout)).to.equal(false);
    expect(m.stepsOf(suite.sim.ids.plans["Tier2-DB"]!, "recovery").some((s) => s.callout)).to.equal(false);
    expect([m.mappings.mappings.size, m.mappings.testNetworks.size]).to.deep.equal([0, 0]);
    expect(m.mappings.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal([]);
    expect(m.plans.get(finance)!.status, "destroy of an action undoes nothing").to.equal(financeAfterUp);
    expectNoSecrets(stack.log.text, passwordsOf(suite.sim), "what the CLI printed");
    expect(state.map((r) => r.type)).to.include.members(Object.values(TYPES));
  });
});
