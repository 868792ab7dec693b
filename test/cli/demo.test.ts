// `npm run demo` with the real Pulumi CLI. The whole run (preview, up, the edited program's preview, up,
// refresh, destroy) is driven once against both SRM servers of the pairing, with checks of the stack and SRM
// after each step; a Ctrl-C in the middle, or a program that throws, leaves nothing behind, in the checkout or
// in the temp folder; without a CLI the demo says how to install one.
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { EngineEvent } from "@pulumi/pulumi/automation";
import { expect } from "chai";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { demoCallouts } from "../../examples/demo/callouts.js";
import { DEMO_RESOURCES, runDemo, type DemoStep } from "../../examples/demo/run.js";
import { demoVmSettings, SITE_PROTECTION_PLAN } from "../../examples/demo/site-protection.js";
import { expectNoSecrets, passwordsOf, TYPES } from "../host/helpers.js";
import { PROJECT_DIR, requireCli } from "./harness.js";

interface DemoRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the demo (or `script`, a copy of it) in a process group of its own; `interruptWhen` sends SIGINT to the
 * group, as Ctrl-C does.
 */
function runDemoProcess(
  env: Record<string, string | undefined>,
  interruptWhen?: (output: string) => boolean,
  script = path.join(PROJECT_DIR, "dist/examples/demo/run.js"),
): Promise<DemoRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script], {
      cwd: PROJECT_DIR,
      env: { ...process.env, ...env },
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    let interrupted = false;
    const check = () => {
      if (interruptWhen && !interrupted && interruptWhen(stdout)) {
        interrupted = true;
        process.kill(-child.pid!, "SIGINT");
      }
    };
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      check();
    });
    child.stderr.on("data", (d: Buffer) => void (stderr += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

/** What git sees changed or added in the checkout (ignored files included). */
function checkoutChanges(): string {
  return execFileSync("git", ["status", "--porcelain", "--ignored"], {
    cwd: PROJECT_DIR,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  })
    .split("\n")
    .filter(
      (l) =>
        l !== "" && !/ (node_modules|dist|simulator\/dist)\//.test(l) && !/ (node_modules|dist)\/?$/.test(l),
    )
    .join("\n");
}

/** What the demo touches in SRM (pairings, every step list, the site bootstrap), to compare before and after. */
function srmSnapshot(sim: Simulator): string {
  const m = sim.model;
  const steps = [...m.plans.values()].map((p) =>
    (["test", "recovery", "cleanup", "reprotect"] as const).map((mode) =>
      m.stepsOf(p.id, mode).map((s) => (s.callout ? `${s.callout.name}|${s.callout.content}` : s.id)),
    ),
  );
  const bootstrap = {
    mappings: [...m.mappings.mappings.values()].map((x) => [
      x.srmId,
      x.kind,
      x.primary,
      x.secondary,
      x.ipMapping,
    ]),
    testNetworks: [...m.mappings.testNetworks.values()].map((t) => [t.srmId, t.targetNetwork, t.testNetwork]),
    placeholders: [...m.mappings.placeholders.entries()].filter(([, l]) => l.length > 0),
  };
  return JSON.stringify({ pairings: m.listPairings().map((p) => p.remoteVcGuid), steps, bootstrap });
}

/** Steps of the program's resources (not the stack, not the provider) in `events`: op, name, type, diffs. */
function steps(events: EngineEvent[]): { op: string; name: string; type: string; diffs: string[] }[] {
  return events
    .map((e) => e.resourcePreEvent?.metadata)
    .filter((m) => m !== undefined && m.type.startsWith("pulumi-nodejs:dynamic/"))
    .map((m) => ({
      op: m!.op,
      name: m!.urn.slice(m!.urn.lastIndexOf("::") + 2),
      type: m!.type,
      diffs: changedKeys(m!.old?.inputs, m!.new?.inputs),
    }));
}

/** Top-level keys whose values differ between two property bags (the dynamic-provider host sends no diff keys). */
function changedKeys(a: Record<string, unknown> = {}, b: Record<string, unknown> = {}): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => k !== "__provider" && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .sort();
}

/** Resources a refresh found changed in SRM, with the changed keys, from the step results in `events`. */
function drifted(events: EngineEvent[]): [string, string[]][] {
  return events
    .map((e) => e.resOutputsEvent?.metadata)
    .filter((m) => m !== undefined && m.type.startsWith("pulumi-nodejs:dynamic/"))
    .map((m): [string, string[]] => [
      m!.urn.slice(m!.urn.lastIndexOf("::") + 2),
      changedKeys(m!.old?.outputs, m!.new?.outputs),
    ])
    .filter(([, keys]) => keys.length > 0);
}

describe("cli: npm run demo without a pulumi CLI", function () {
  it("exits 1 with one message saying how to install the CLI, and starts nothing", async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "srm-no-cli-"));
    try {
      const run = await runDemoProcess({
        PATH: path.dirname(process.execPath),
        PULUMI_SRM_CLI_CACHE: empty,
      });
      expect(run.code, run.stderr).to.equal(1);
      expect(run.stdout).to.equal("");
      expect(run.stderr.trim().split("\n")).to.have.length(1);
      expect(run.stderr)
        .to.include("needs the pulumi CLI")
        .and.include("https://www.pulumi.com/docs/install/");
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe("cli: npm run demo", function () {
  this.timeout(10 * 60_000);
  let cliDir: string;
  // A create journal folder the demo must NOT use (its stack is temporary, so its journal lives beside it):
  // set for the whole process, which the CLI and its provider host would inherit.
  const savedJournal = process.env.PULUMI_SRM_JOURNAL_DIR;
  let journal: string | undefined;

  before(function () {
    cliDir = requireCli(this);
    journal = fs.mkdtempSync(path.join(os.tmpdir(), "srm-demo-journal-"));
    process.env.PULUMI_SRM_JOURNAL_DIR = journal;
  });
  after(() => {
    if (savedJournal === undefined) delete process.env.PULUMI_SRM_JOURNAL_DIR;
    else process.env.PULUMI_SRM_JOURNAL_DIR = savedJournal;
    if (journal) fs.rmSync(journal, { recursive: true, force: true });
  });

  it("Ctrl-C during up exits non-zero and leaves nothing behind", async () => {
    const before = checkoutChanges();
    const interrupted = await runDemoProcess({}, (out) => out.includes("2. pulumi up"));
    expect(interrupted.code, interrupted.stdout + interrupted.stderr).to.not.equal(0);
    const dir = /with a file backend in (\S+)\./.exec(interrupted.stdout)?.[1];
    expect(dir, "the demo names its temp folder").to.be.a("string");
    expect(fs.existsSync(dir!), `${dir} is removed`).to.equal(false);
    expect(checkoutChanges()).to.equal(before);
  });

  it("a program that throws: exits 1 with the program's error and leaves nothing behind", async () => {
    // The demo as built, with its program replaced by one that throws (as a user's edit might make it).
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), "srm-demo-copy-"));
    try {
      const built = path.join(PROJECT_DIR, "dist", "examples", "demo");
      const demoDir = path.join(copy, "dist", "examples", "demo");
      fs.mkdirSync(demoDir, { recursive: true });
      for (const f of fs.readdirSync(built).filter((n) => n.endsWith(".js")))
        fs.copyFileSync(path.join(built, f), path.join(demoDir, f));
      fs.writeFileSync(
        path.join(demoDir, "index.js"),
        '"use strict";\nmodule.exports = () => { throw new Error("the program failed on purpose"); };\n',
      );
      fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(copy, "node_modules"), "dir");
      const before = checkoutChanges();
      const run = await runDemoProcess({}, undefined, path.join(demoDir, "run.js"));
      expect(run.code, run.stdout + run.stderr).to.equal(1);
      expect(run.stderr).to.match(/^demo failed: pulumi preview failed:\n/);
      expect(run.stderr).to.include("the program failed on purpose");
      const dir = /with a file backend in (\S+)\./.exec(run.stdout)?.[1];
      expect(dir, "the demo names its temp folder").to.be.a("string");
      expect(fs.existsSync(dir!), `${dir} is removed`).to.equal(false);
      expect(checkoutChanges()).to.equal(before);
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
  });

  it("the next run: creates, the edited preview (one edit, one move, one VM's settings), refresh and drift, destroy", async () => {
    const sim = await startSimulator({ serveRemoteSite: true });
    const remote = sim.remote!;
    const lines: string[] = [];
    const checked: DemoStep[] = [];
    const checkout = checkoutChanges();
    const initial = srmSnapshot(sim);
    const m = sim.model;
    const calloutsAsDeclared = (edited: boolean) => {
      for (const c of demoCallouts(edited)) {
        const at = m.customSteps(sim.ids.plans[c.plan]!)[c.anchor] ?? [];
        expect(at[c.index]?.callout, `${c.resource} at ${c.anchor}[${c.index}]`).to.include({
          name: c.name,
          content: c.content,
        });
      }
    };
    /** Priority and first NIC's recovery-site address of each VM of the demo's plan, by VM name. */
    const vmSettings = () => {
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
    const tier1 = sim.ids.plans["Tier1-Apps"]!;
    let notifyStepId: number | undefined;
    try {
      await runDemo(sim, cliDir, {
        print: (l) => {
          lines.push(l);
          if (process.env.SRM_CLI_TESTS_VERBOSE === "1") process.stdout.write(`${l}\n`);
        },
        afterStep: async (step, stack, events) => {
          checked.push(step);
          const backend = () => {
            const url = stack.workspace.envVars.PULUMI_BACKEND_URL!.replace(/^file:\/\//, "");
            return fs
              .readdirSync(url, { recursive: true, withFileTypes: true })
              .filter((e) => e.isFile())
              .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), "utf8"))
              .join("\n");
          };
          if (step === "preview") {
            const planned = steps(events);
            expect(planned.map((s) => s.op)).to.deep.equal(Array(DEMO_RESOURCES).fill("create"));
            const types = planned.map((s) => s.type);
            expect(types.filter((t) => t === TYPES.RecoveryPlanCallouts)).to.have.length(2);
            expect(types).to.include.members([TYPES.Pairing, TYPES.Reprotect, TYPES.ApplianceReconciliation]);
            expect(srmSnapshot(sim), "a preview changes nothing in SRM").to.equal(initial);
          }
          if (step === "up") {
            const pairing = m.pairings.get(sim.ids.pairingId)!;
            const kinds = (srm: string) =>
              [...m.mappings.mappings.values()]
                .filter((x) => x.srmId === srm)
                .map((x) => x.kind)
                .sort();
            const bothWays = ["folders", "networks", "resources", "storage-policies"];
            expect(kinds(pairing.localSrm.id), "mappings A -> B").to.deep.equal(bothWays);
            expect(kinds(pairing.remoteSrm.id), "mappings B -> A").to.deep.equal(bothWays);
            // Site B's own server made B's mappings, with site B's login from srm:sites; site A's made none there.
            const mappingPosts = (served: typeof sim.requests) =>
              served.filter((r) => r.method === "POST" && r.route.includes("/inventory-mappings/")).length;
            expect(
              mappingPosts(remote.requests),
              "mappings made at site B's server",
            ).to.be.greaterThanOrEqual(4);
            const deployed = (await stack.exportStack()).deployment as {
              resources: { urn: string; outputs?: { site?: string } }[];
            };
            expect(
              deployed.resources
                .filter((r) => r.outputs?.site === "siteB")
                .map((r) => r.urn.slice(r.urn.lastIndexOf("::") + 2))
                .sort(),
            ).to.deep.equal([
              "map-folder-apps-back",
              "map-network-app-back",
              "map-policy-gold-back",
              "map-pool-prod-back",
            ]);
            const ipRule = (srm: string) =>
              [...m.mappings.mappings.values()].find((x) => x.srmId === srm && x.kind === "networks")
                ?.ipMapping?.rules?.[0];
            expect(ipRule(pairing.localSrm.id)).to.include({ name: "app-subnet" });
            expect(ipRule(pairing.remoteSrm.id)).to.include({ name: "app-subnet" });
            // The reprotect ran at site A and logged in at the other end of the pairing (site B).
            expect(
              sim.requests
                .filter((r) => r.route === "POST /pairings/{pairing_id}/remote-session")
                .map((r) => r.status),
            ).to.include(204);
            // Both sites' passwords are secrets in the stack's config file.
            const stackFile = fs.readFileSync(path.join(stack.workspace.workDir, "Pulumi.demo.yaml"), "utf8");
            expect(stackFile).to.include("srm:sites").and.include("secure:");
            expectNoSecrets(stackFile, passwordsOf(sim), "the stack config file");
            expect(m.mappings.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal(["datastore-2042"]);
            expect(m.mappings.testNetworks.size).to.equal(1);
            calloutsAsDeclared(false);
            const out = await stack.outputs();
            expect(out.sitePairingId!.value).to.equal(sim.ids.pairingId);
            expect(out.sparePairingId!.value).to.equal(m.pairingTo(sim.ids.spareRemoteVcGuid)?.id);
            expect(out.financeStatus!.value).to.equal(
              `RECOVERY_COMPLETE -> ${m.plans.get(sim.ids.plans.Finance!)!.status}`,
            );
            expect(out.reconciliationStatus!.value).to.equal("SUCCEEDED");
            expect(Object.keys(out.calloutStepIds!.value as object)).to.have.length(4);
            const groups = [...m.protection.groups.values()].map((g) => [
              g.name,
              g.vms.map((v) => m.vmName(v)),
            ]);
            expect(groups).to.have.deep.members([
              ["Apps", ["app-a-01", "app-a-02"]],
              ["Databases", ["db-a-01"]],
            ]);
            expect(vmSettings(), "each VM's priority and recovery address").to.deep.equal({
              "app-a-01": "P1 10.2.0.21",
              "app-a-02": "P2",
              "db-a-01": "P1",
            });
            // The password inputs are secrets in state: encrypted on disk, never in plain text.
            const state = (await stack.exportStack()).deployment as { resources: { urn: string }[] };
            expect(state.resources.length).to.be.greaterThan(DEMO_RESOURCES);
            expectNoSecrets(backend(), passwordsOf(sim), "the state files after up");
            notifyStepId = m.customSteps(tier1).BEFORE_SHUTDOWN_PROTECTED_SITE_VMS![0]!.id;
          }
          if (step === "edited-preview") {
            const changed = steps(events)
              .filter((s) => s.op !== "same")
              .map((s) => [s.op, s.name, s.diffs]);
            expect(changed).to.have.deep.members([
              ["update", "tier1-apps-runbook", ["steps"]],
              ["update", "tier2-db-runbook", ["steps"]],
              ["update", "vm-app-a-01", ["nics", "priority"]],
            ]);
            expect(steps(events).filter((s) => s.op === "same")).to.have.length(DEMO_RESOURCES - 3);
          }
          if (step === "edited-up") {
            calloutsAsDeclared(true);
            expect(vmSettings()["app-a-01"]).to.equal("P2 10.2.0.31");
            const after = m.customSteps(tier1).BEFORE_SHUTDOWN_PROTECTED_SITE_VMS![0]!;
            expect(after.id, "an update keeps the step").to.equal(notifyStepId);
            expect((await stack.preview()).changeSummary).to.deep.equal({ same: DEMO_RESOURCES + 1 });
          }
          if (step === "refresh") {
            // An edit made in SRM's UI: refresh reports it on that one callout, and the next up puts it back.
            const planId = sim.ids.plans["Tier2-DB"]!;
            const reindex = m.customSteps(planId).AT_END![0]!;
            m.editCallout(planId, "recovery", reindex.id, { content: "/opt/dr/reindex.sh --none" });
            const drift: EngineEvent[] = [];
            const refreshed = await stack.refresh({ onEvent: (e) => drift.push(e) });
            expect(refreshed.summary.resourceChanges).to.deep.equal({ same: DEMO_RESOURCES, update: 1 });
            expect(drifted(drift)).to.deep.equal([["tier2-db-runbook", ["steps"]]]);
            const repair = await stack.up();
            expect(repair.summary.resourceChanges).to.deep.equal({ same: DEMO_RESOURCES, update: 1 });
            expect(m.customSteps(planId).AT_END![0]!.callout!.content).to.equal("/opt/dr/reindex.sh --all");
          }
          if (step === "destroy") {
            expect(srmSnapshot(sim), "destroy leaves SRM as it was").to.equal(initial);
            expect(m.protection.groups.size, "no protection group left").to.equal(0);
            expect([...m.plans.values()].map((p) => p.name)).to.not.include(SITE_PROTECTION_PLAN);
            const state = (await stack.exportStack()).deployment as { resources?: unknown[] };
            expect(state.resources ?? []).to.deep.equal([]);
            expectNoSecrets(backend(), passwordsOf(sim), "the state files and their history");
          }
        },
      });
    } finally {
      await sim.close();
    }
    expect(checked).to.deep.equal(["preview", "up", "edited-preview", "edited-up", "refresh", "destroy"]);
    const printed = lines.join("\n");
    expect(printed).to.include("Resources:");
    // The CLI's note about the plugin on PATH is left out, with the Diagnostics section it alone filled.
    expect(printed).to.not.include("pulumi-resource-pulumi-nodejs from $PATH");
    expect(printed).to.not.match(/\| Diagnostics:\n {2}\| {3}\S[^\n]*\n {2}\| ?\n/);
    expectNoSecrets(lines.join("\n"), passwordsOf(sim), "what the CLI printed");
    expect(checkoutChanges(), "nothing is written to the checkout").to.equal(checkout);
  });

  it("keeps the provider's create journal in its own temp folder, not where the environment points", () => {
    expect(fs.readdirSync(journal!)).to.deep.equal([]);
  });
});
