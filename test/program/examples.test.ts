// The per-resource example programs, run under pulumi.runtime.setMocks with every resource forwarded to the
// real dynamic-provider host: registered resources, their outputs, and what SRM holds afterwards.
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { Pairing, RecoveryStepCallout, getRecoveryPlanOutput } from "../../provider/index.js";
import pairingExample = require("../../examples/pairing/index.js");
import calloutExample = require("../../examples/recovery-step-callout/index.js");
import reprotectExample = require("../../examples/reprotect/index.js");
import reconciliationExample = require("../../examples/appliance-reconciliation/index.js");
import inventoryMappingExample = require("../../examples/inventory-mapping/index.js");
import testNetworkMappingExample = require("../../examples/test-network-mapping/index.js");
import placeholderDatastoreExample = require("../../examples/placeholder-datastore/index.js");
import { SECRET_PLACEHOLDER } from "../../examples/local-engine/engine.js";
import { UNKNOWN, type Props } from "../../examples/local-engine/host-process.js";
import { runProgram } from "../../examples/local-engine/program-runner.js";
import { expectNoSecrets, TYPES } from "../host/helpers.js";
import { startProgramFixture, type ProgramFixture } from "./helpers.js";

describe("program: per-resource examples through the host", function () {
  this.timeout(30_000);
  let f: ProgramFixture;

  before(async () => {
    f = await startProgramFixture();
  });
  after(async () => f?.close());

  it("pairing: pairs with the spare site, the password stays secret, destroy unpairs", async () => {
    const spare = f.sim.inventory.remoteSites.find((s) => s.vcGuid === f.sim.ids.spareRemoteVcGuid)!;
    const engine = f.engine("pairing.json", {
      "pairing:remoteVcGuid": spare.vcGuid,
      "pairing:pscUrl": spare.pscUrl,
      ...(spare.pscThumbprint ? { "pairing:pscThumbprint": spare.pscThumbprint } : {}),
      "pairing:pscUsername": spare.username,
      "pairing:pscPassword": spare.password,
    });
    const preview = await engine.preview(pairingExample);
    expect(preview.steps.map((s) => [s.op, s.type, s.name])).to.deep.equal([
      ["create", TYPES.Pairing, "site-c"],
    ]);
    expect(preview.exports.pairingId!.known).to.equal(false);
    expect(f.sim.model.pairingTo(spare.vcGuid)).to.equal(undefined);

    const up = await engine.up(pairingExample);
    const created = f.sim.model.pairingTo(spare.vcGuid);
    expect(up.exports.pairingId!.value).to.equal(created?.id);
    expect(up.exports.remoteVcName!.value).to.equal("vc-c.example.local");
    expect(up.exports.adopted!.value).to.equal(false);
    const [state] = engine.readState().resources;
    expect(state!.secretInputs).to.deep.equal(["pscPassword"]);
    expect(state!.inputs.pscPassword).to.equal(SECRET_PLACEHOLDER);
    expect(state!.additionalSecretOutputs).to.include("pscPasswordDigest");
    expectNoSecrets(f.stateText("pairing.json"), f.passwords, "the state file");

    await engine.destroy();
    expect(f.sim.model.pairingTo(spare.vcGuid)).to.equal(undefined);
  });

  it("recovery-step-callout: finds the pairing and plan by name and inserts the prompt", async () => {
    const engine = f.engine("callout.json");
    const up = await engine.up(calloutExample);
    const planId = f.sim.ids.plans["Tier1-Apps"]!;
    expect(up.exports.planId!.value).to.equal(planId);
    const test = f.sim.model.stepsOf(planId, "test");
    const step = test[test.findIndex((s) => s.builtIn?.title === "Power on priority 1 VMs") - 1];
    expect(step?.callout?.name).to.equal("Confirm the isolated test network");
    expect(up.exports.stepId!.value).to.equal(step!.id);
    expect(up.exports.anchor!.value).to.equal("BEFORE_RECOVER_PRIORITY_1_VMS");
    // The same step is in the failover workflow: custom steps belong to the plan.
    expect(f.sim.model.findStep(planId, "recovery", step!.id)).to.equal(step);
    // Running the same program again changes nothing.
    expect((await engine.up(calloutExample)).summary).to.include({ same: 1, create: 0 });
    await engine.destroy();
    expect(f.sim.model.stepsOf(planId, "test").some((s) => s.callout)).to.equal(false);
  });

  it("inventory-mapping, test-network-mapping, placeholder-datastore: bootstrap site B, then destroy", async () => {
    const pairing = f.sim.model.pairings.get(f.sim.ids.pairingId)!;
    const store = f.sim.model.mappings;
    const mapping = f.engine("mapping.json");
    const up = await mapping.up(inventoryMappingExample);
    expect(up.exports.mapped!.value).to.equal("PG-App-A -> PG-App-B");
    expect(up.exports.reverseMappingType!.value).to.equal("YES");
    const testnet = f.engine("testnet.json");
    expect((await testnet.up(testNetworkMappingExample)).exports.testNetworkName!.value).to.equal(
      "PG-Test-B",
    );
    const placeholder = f.engine("placeholder.json");
    expect((await placeholder.up(placeholderDatastoreExample)).exports.datastore!.value).to.equal(
      "ds-b-local-01",
    );
    expect(store.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal(["datastore-2042"]);
    expect((await mapping.up(inventoryMappingExample)).summary).to.include({ same: 1, create: 0 });
    for (const engine of [placeholder, testnet, mapping]) await engine.destroy();
    expect([store.mappings.size, store.testNetworks.size]).to.deep.equal([0, 0]);
    expect(store.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal([]);
  });

  it("reprotect: runs once on the recovered plan; outputs carry task and statuses", async () => {
    const engine = f.engine("reprotect.json");
    const up = await engine.up(reprotectExample);
    const finance = f.sim.model.plans.get(f.sim.ids.plans.Finance!)!;
    expect(up.exports.taskStatus!.value).to.equal("SUCCESS");
    expect(up.exports.planStatusBefore!.value).to.equal("RECOVERY_COMPLETE");
    expect(up.exports.planStatus!.value).to.equal(finance.status);
    const tasks = f.sim.model.tasks.size;
    expect((await engine.up(reprotectExample)).summary.same).to.equal(1);
    expect(f.sim.model.tasks.size, "an unchanged program runs nothing again").to.equal(tasks);
    await engine.destroy();
    expect(f.sim.model.plans.get(finance.id)!.status, "destroy of an action undoes nothing").to.equal(
      finance.status,
    );
  });

  it("appliance-reconciliation: runs the job with the SSO password as a secret input", async () => {
    const engine = f.engine("reconcile.json", {
      "reconcile:ssoAdminPassword": f.sim.credentials.ssoPassword,
    });
    const up = await engine.up(reconciliationExample);
    expect(up.exports.jobStatus!.value).to.equal("SUCCEEDED");
    expect(up.exports.apiFlavor!.value).to.equal("api");
    expect(f.sim.model.appliance.job?.status).to.equal("SUCCEEDED");
    expect(engine.readState().resources[0]!.secretInputs).to.include("ssoAdminPassword");
    expectNoSecrets(f.stateText("reconcile.json"), f.passwords, "the state file");
    await engine.destroy();
  });

  it("a preview with inputs unknown until up: a callout in a plan of a pairing the program creates", async () => {
    const spare = f.sim.inventory.remoteSites.find((s) => s.vcGuid === f.sim.ids.spareRemoteVcGuid)!;
    const program = () => {
      const pairing = new Pairing("site-c", {
        remoteVcGuid: spare.vcGuid,
        pscUrl: spare.pscUrl,
        pscThumbprint: spare.pscThumbprint ?? undefined,
        pscUsername: spare.username,
        pscPassword: pulumi.secret(spare.password),
      });
      const plan = getRecoveryPlanOutput({ pairingId: pairing.pairingId, name: "Site-C-Apps" });
      const callout = new RecoveryStepCallout("site-c-prompt", {
        pairingId: pairing.pairingId,
        planId: plan.planId,
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
        name: "Confirm",
        content: "Continue?",
        calloutType: "PROMPT",
      });
      return { stepId: callout.stepId };
    };
    const preview = await f.engine("unknowns.json").preview(program);
    expect(preview.steps.map((s) => [s.op, s.name])).to.have.deep.members([
      ["create", "site-c"],
      ["create", "site-c-prompt"],
    ]);
    expect(preview.exports.stepId!.known).to.equal(false);
    expect(f.lines.some((l) => l.includes("site-c-prompt"))).to.equal(true);
    expect(f.sim.model.pairingTo(spare.vcGuid)).to.equal(undefined);
    // What the host's Check got (and accepted, or the preview above would have failed): the unknown marker.
    const seen: Record<string, Props> = {};
    await runProgram(program, {
      preview: true,
      onResource: async (res) => {
        seen[res.name] = res.inputs;
        return { id: "", outputs: {} };
      },
    });
    expect(seen["site-c-prompt"]).to.include({ pairingId: UNKNOWN, planId: UNKNOWN });
  });

  it("no password in anything the engine printed or the host wrote", () => {
    expect(f.lines.length).to.be.greaterThan(0);
    expectNoSecrets(f.lines.join("\n"), f.passwords, "the engine's output");
    expectNoSecrets(f.host.output(), f.passwords, "the host's output");
  });
});
