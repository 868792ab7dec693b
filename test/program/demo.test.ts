// The demo program through the local engine and the real host: the whole flow `npm run demo` shows, plus
// drift made outside Pulumi.
import { expect } from "chai";
import demo = require("../../examples/demo/index.js");
import { demoCallouts } from "../../examples/demo/callouts.js";
import { DEMO_RESOURCES, demoConfig } from "../../examples/demo/run.js";
import { demoVmSettings, SITE_PROTECTION_PLAN } from "../../examples/demo/site-protection.js";
import { expectNoSecrets, TYPES } from "../host/helpers.js";
import { srmSnapshot, startProgramFixture, type ProgramFixture } from "./helpers.js";

describe("program: the demo through the local engine and the host", function () {
  this.timeout(60_000);
  let f: ProgramFixture;
  let initial: string;
  const engine = (edited: boolean) => {
    const { config } = demoConfig(f.sim);
    return f.engine("demo.json", { ...config, "demo:edited": String(edited) });
  };

  before(async () => {
    f = await startProgramFixture();
    initial = srmSnapshot(f.sim);
  });
  after(async () => f?.close());

  it(`preview plans ${DEMO_RESOURCES} creates and changes nothing in SRM`, async () => {
    const preview = await engine(false).preview(demo);
    expect(preview.summary).to.include({ create: DEMO_RESOURCES, update: 0, replace: 0, delete: 0 });
    const types = preview.steps.map((s) => s.type).sort();
    expect(types.filter((t) => t === TYPES.RecoveryStepCallout)).to.have.length(4);
    expect(types).to.include.members([TYPES.Pairing, TYPES.Reprotect, TYPES.ApplianceReconciliation]);
    expect(preview.exports.sitePairingId!.value, "lookups run in previews").to.equal(f.sim.ids.pairingId);
    expect(srmSnapshot(f.sim)).to.equal(initial);
  });

  it("up builds the DR configuration in SRM", async () => {
    const up = await engine(false).up(demo);
    expect(up.summary.create).to.equal(DEMO_RESOURCES);
    const pairing = f.sim.model.pairings.get(f.sim.ids.pairingId)!;
    const kinds = (srm: string) =>
      [...f.sim.model.mappings.mappings.values()]
        .filter((x) => x.srmId === srm)
        .map((x) => x.kind)
        .sort();
    const bothWays = ["folders", "networks", "resources", "storage-policies"];
    expect(kinds(pairing.localSrm.id), "mappings A -> B").to.deep.equal(bothWays);
    expect(kinds(pairing.remoteSrm.id), "mappings B -> A").to.deep.equal(bothWays);
    expect(f.sim.model.mappings.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal(["datastore-2042"]);
    expect(f.sim.model.mappings.testNetworks.size).to.equal(1);
    const m = f.sim.model;
    for (const c of demoCallouts(false)) {
      const at = m.customSteps(f.sim.ids.plans[c.plan]!)[c.anchor] ?? [];
      expect(at[c.index]?.callout, `${c.resource} at ${c.anchor}[${c.index}]`).to.include({
        name: c.name,
        content: c.content,
      });
    }
    expect(m.pairingTo(f.sim.ids.spareRemoteVcGuid)?.id).to.equal(up.exports.sparePairingId!.value);
    expect(up.exports.financeStatus!.value).to.equal(
      `RECOVERY_COMPLETE -> ${m.plans.get(f.sim.ids.plans.Finance!)!.status}`,
    );
    expect(up.exports.reconciliationStatus!.value).to.equal("SUCCEEDED");
    expect(Object.keys(up.exports.calloutStepIds!.value as object)).to.have.length(4);
    const groups = [...m.protection.groups.values()].map((g) => [g.name, g.vms.map((v) => m.vmName(v))]);
    expect(groups).to.have.deep.members([
      ["Apps", ["app-a-01", "app-a-02"]],
      ["Databases", ["db-a-01"]],
    ]);
    expect(vmSettings(), "each VM's priority and recovery address").to.deep.equal({
      "app-a-01": "P1 10.2.0.21",
      "app-a-02": "P2",
      "db-a-01": "P1",
    });
  });

  /** Priority and first NIC's recovery-site address of each VM of the demo's plan, by VM name. */
  const vmSettings = () => {
    const m = f.sim.model;
    const plan = [...m.plans.values()].find((p) => p.name === SITE_PROTECTION_PLAN)!;
    expect(plan.testNetworks, "the plan's test network").to.have.length(1);
    return Object.fromEntries(
      demoVmSettings(false).map((v) => {
        const vmId = m.planVmIds(plan).find((id) => m.vmName(id) === v.vm)!;
        const s = m.protection.settingsOf(plan.id, vmId)!;
        const ip = s.nicSettings[0]?.secondary_ip_settings?.ip_v4?.ip_address;
        return [v.vm, `${s.priority}${ip ? ` ${ip}` : ""}`];
      }),
    );
  };

  it("the edited program previews one edit, one move and one VM's priority and address", async () => {
    const edited = await engine(true).preview(demo);
    const changes = edited.steps.filter((s) => s.op !== "same").map((s) => [s.op, s.name, s.fields]);
    expect(changes).to.have.deep.members([
      ["update", "tier1-notify-owners", ["content"]],
      ["update", "tier2-check-replication", ["anchor"]],
      ["update", "vm-app-a-01", ["nics", "priority"]],
    ]);
    expect(edited.summary).to.include({ same: DEMO_RESOURCES - 3, create: 0, delete: 0 });
  });

  it("up applies the edit: content edited in place, callout moved, VM settings rewritten", async () => {
    const tier1 = f.sim.ids.plans["Tier1-Apps"]!;
    const notify = f.sim.model.customSteps(tier1).BEFORE_SHUTDOWN_PROTECTED_SITE_VMS![0]!;
    const up = await engine(true).up(demo);
    expect(up.summary).to.include({ update: 3, same: DEMO_RESOURCES - 3 });
    expect(vmSettings()["app-a-01"]).to.equal("P2 10.2.0.31");
    for (const c of demoCallouts(true)) {
      const at = f.sim.model.customSteps(f.sim.ids.plans[c.plan]!)[c.anchor] ?? [];
      expect(at[c.index]?.callout, `${c.resource} at ${c.anchor}[${c.index}]`).to.include({
        name: c.name,
        content: c.content,
      });
    }
    const after = f.sim.model.customSteps(tier1).BEFORE_SHUTDOWN_PROTECTED_SITE_VMS![0]!;
    expect(after.id, "an update keeps the step").to.equal(notify.id);
    expect((await engine(true).preview(demo)).summary.same).to.equal(DEMO_RESOURCES);
  });

  it("refresh finds no drift; an edit outside Pulumi shows up and the next up puts it back", async () => {
    const first = await engine(true).refresh();
    expect(first.filter((r) => r.status !== "in-sync").map((r) => r.details)).to.deep.equal([]);
    const planId = f.sim.ids.plans["Tier2-DB"]!;
    const step = f.sim.model.customSteps(planId).AT_END![0]!;
    f.sim.model.editCallout(planId, "recovery", step.id, { content: "/opt/dr/reindex.sh --none" });
    const drift = (await engine(true).refresh()).filter((r) => r.status !== "in-sync");
    expect(drift.map((r) => [r.status, r.name, r.fields])).to.deep.equal([
      ["drifted", "tier2-reindex", ["content"]],
    ]);
    const repair = await engine(true).up(demo);
    expect(repair.summary).to.include({ update: 1, same: DEMO_RESOURCES - 1 });
    expect(f.sim.model.customSteps(planId).AT_END![0]!.callout!.content).to.equal("/opt/dr/reindex.sh --all");
  });

  it("destroy leaves the pairings, step lists and protection as they were", async () => {
    const steps = await engine(true).destroy();
    expect(steps).to.have.length(DEMO_RESOURCES);
    expect(srmSnapshot(f.sim)).to.equal(initial);
    expect(f.sim.model.protection.groups.size, "no protection group left").to.equal(0);
    expect([...f.sim.model.plans.values()].map((p) => p.name)).to.not.include(SITE_PROTECTION_PLAN);
    expect(engine(true).readState().resources).to.deep.equal([]);
  });

  it("no password in the state file, the printed plans or the host output", () => {
    expectNoSecrets(f.stateText("demo.json"), f.passwords, "the state file");
    expectNoSecrets(f.lines.join("\n"), f.passwords, "the engine's output");
    expectNoSecrets(f.host.output(), f.passwords, "the host's output");
  });
});
