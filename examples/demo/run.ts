// `npm run demo`: starts the SRM simulator and runs the demo program against it. With the `pulumi` CLI on
// PATH it uses the CLI for real (file backend in a temp dir); without it, it drives the same program
// through Pulumi's dynamic-provider host with the local engine: preview, up, the edited program's preview
// (one edit and one move), up, refresh (no drift), destroy. Exits non-zero on any failure.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { LocalEngine, formatSummary, type DeploymentResult } from "../local-engine/engine.js";
import { ProviderHost } from "../local-engine/host-process.js";
import { demoCallouts } from "./callouts.js";
import { SITE_BOOTSTRAP_RESOURCES } from "./site-bootstrap.js";
import demo = require("./index.js");

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

/** Resources the demo program declares: pairing, 4 callouts, reprotect, reconciliation, site bootstrap. */
export const DEMO_RESOURCES = 7 + SITE_BOOTSTRAP_RESOURCES;

/** Stack config for the demo against `sim`, and which keys are secret. */
export function demoConfig(sim: Simulator): { config: Record<string, string>; secretKeys: string[] } {
  const spare = sim.inventory.remoteSites.find((s) => s.vcGuid === sim.ids.spareRemoteVcGuid);
  if (!spare) throw new Error("the simulator inventory has no unpaired spare site");
  const c = sim.credentials;
  const config: Record<string, string> = {
    "srm:host": sim.url,
    "srm:thumbprint": sim.thumbprintSha256,
    "srm:username": c.username,
    "srm:password": c.password,
    "srm:remoteUsername": c.remoteUsername,
    "srm:remotePassword": c.remotePassword,
    "srm:applianceHost": sim.applianceUrl,
    "srm:applianceThumbprint": sim.thumbprintSha256,
    "srm:applianceUsername": c.applianceUsername,
    "srm:appliancePassword": c.appliancePassword,
    "demo:spareVcGuid": spare.vcGuid,
    "demo:sparePscUrl": spare.pscUrl,
    "demo:sparePscUsername": spare.username,
    "demo:sparePscPassword": spare.password,
    "demo:ssoAdminUsername": c.ssoUsername,
    "demo:ssoAdminPassword": c.ssoPassword,
  };
  if (spare.pscThumbprint) config["demo:sparePscThumbprint"] = spare.pscThumbprint;
  const secretKeys = [
    "srm:password",
    "srm:remotePassword",
    "srm:appliancePassword",
    "demo:sparePscPassword",
    "demo:ssoAdminPassword",
  ];
  return { config, secretKeys };
}

/** What SRM holds now: pairings, callouts per plan and view mode, plan statuses, the reconciliation job. */
export function srmState(sim: Simulator): string[] {
  const m = sim.model;
  const lines = ["  pairings:"];
  for (const p of m.listPairings().filter((x) => !x.isLocal)) {
    lines.push(
      `    ${p.remoteVc.name.padEnd(20)} ${p.id}  vCenter ${p.remoteVc.server_status}, SRM ${p.remoteSrm.server_status}`,
    );
  }
  lines.push("  recovery plans (status; callouts by view mode as position:name):");
  for (const pairing of m.listPairings().filter((x) => !x.isLocal)) {
    for (const plan of m.plansOf(pairing.id)) {
      const modes: string[] = [];
      for (const mode of ["test", "recovery", "cleanup", "reprotect"] as const) {
        const callouts = m
          .stepsOf(plan.id, mode)
          .map((s, i) => (s.callout ? `${i}:"${s.callout.name}"` : ""))
          .filter(Boolean);
        if (callouts.length > 0) modes.push(`${mode} ${callouts.join(", ")}`);
      }
      lines.push(
        `    ${plan.name.padEnd(11)} ${plan.status.padEnd(18)} ${modes.join("; ") || "no callouts"}`,
      );
    }
  }
  lines.push(`  vCenter reconciliation job: ${m.appliance.job?.status ?? "none"}`);
  lines.push("  site bootstrap (inventory mappings per SRM, test networks, placeholder datastores):");
  const name = (id: string) =>
    [...m.vcenters.values()].map((vc) => vc.find(id)?.name).find((n) => n !== undefined) ?? id;
  const srms = new Map<string, string>();
  for (const p of m.listPairings()) for (const s of [p.localSrm, p.remoteSrm]) srms.set(s.id, s.name);
  for (const [srmId, srmName] of srms) {
    const maps = [...m.mappings.mappings.values()]
      .filter((x) => x.srmId === srmId)
      .map(
        (x) =>
          `${x.kind} ${name(x.primary)}->${name(x.secondary)}${x.ipMapping ? ` (${x.ipMapping.rules?.length ?? 0} IP rule)` : ""}`,
      );
    const tests = m.mappings
      .testNetworksOf(srmId)
      .map((t) => `test ${name(t.targetNetwork)}->${name(t.testNetwork)}`);
    const placeholders = m.mappings.placeholdersOf(srmId).map((d) => `placeholder ${name(d)}`);
    const all = [...maps, ...tests, ...placeholders];
    if (all.length > 0) lines.push(`    ${srmName}: ${all.join("; ")}`);
  }
  return lines;
}

/** Snapshot of everything the demo touches, to compare before and after. */
function srmFingerprint(sim: Simulator): string {
  const m = sim.model;
  const pairings = m.listPairings().map((p) => p.remoteVcGuid);
  const steps = [...m.plans.values()].map((p) =>
    (["test", "recovery", "cleanup", "reprotect"] as const).map((mode) =>
      m.stepsOf(p.id, mode).map((s) => s.callout?.name ?? s.id),
    ),
  );
  const mappings = [...m.mappings.mappings.values()].map((x) => [x.srmId, x.kind, x.primary, x.secondary]);
  const bootstrap = [
    mappings,
    [...m.mappings.testNetworks.values()].length,
    [...m.mappings.placeholders.values()].flat(),
  ];
  return JSON.stringify({ pairings, steps, bootstrap });
}

class DemoFailure extends Error {}

function expectThat(ok: boolean, what: string): void {
  if (!ok) throw new DemoFailure(`unexpected result: ${what}`);
}

const say = (line = ""): void => void process.stdout.write(`${line}\n`);

function printExports(result: DeploymentResult): void {
  say("  Outputs:");
  for (const [k, v] of Object.entries(result.exports)) {
    const text = v.secret ? "[secret]" : v.known ? JSON.stringify(v.value) : "(known after up)";
    say(`    ${k.padEnd(22)} ${text}`);
  }
}

/** The demo through the real dynamic-provider host and the local engine. */
async function runLocal(sim: Simulator): Promise<void> {
  const { config, secretKeys } = demoConfig(sim);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-demo-"));
  const statePath = path.join(dir, "state.json");
  const before = srmFingerprint(sim);
  say("No `pulumi` CLI on PATH: running examples/demo through Pulumi's dynamic-provider host");
  say(`(@pulumi/pulumi cmd/dynamic-provider, driven over gRPC) with a local engine; state in ${statePath}.`);

  // Each step spawns a fresh host, as every `pulumi` command does, so later steps run the stored `__provider`.
  const step = async <T>(title: string, edited: boolean, fn: (e: LocalEngine) => Promise<T>): Promise<T> => {
    say();
    say(title);
    const host = await ProviderHost.start({
      projectDir: PROJECT_DIR,
      onStderr: (line) => say(`    | ${line}`),
    });
    try {
      const engineConfig = { ...config, "demo:edited": String(edited) };
      return await fn(
        new LocalEngine({ host, statePath, config: engineConfig, secretConfigKeys: secretKeys, log: say }),
      );
    } finally {
      await host.close();
    }
  };

  const preview = await step("1. pulumi preview  (what `up` would do; nothing changes in SRM)", false, (e) =>
    e.preview(demo),
  );
  say(`  Plan: ${formatSummary(preview.summary)}`);
  expectThat(
    preview.summary.create === DEMO_RESOURCES && preview.steps.length === DEMO_RESOURCES,
    `the first preview should create ${DEMO_RESOURCES} resources`,
  );
  expectThat(srmFingerprint(sim) === before, "a preview changed SRM");

  const up = await step(
    "2. pulumi up  (every SRM task is waited for; the host prints progress of long ones)",
    false,
    (e) => e.up(demo),
  );
  say(`  Done: ${formatSummary(up.summary, true)}`);
  printExports(up);
  expectThat(up.summary.create === DEMO_RESOURCES, `up should create ${DEMO_RESOURCES} resources`);
  say();
  say("SRM after up:");
  srmState(sim).forEach((l) => say(l));
  checkCallouts(sim, false);

  const edited = await step(
    "3. pulumi preview of the edited program (DEMO_EDITED=1: tier1-notify-owners' command changes,\n   tier2-check-replication moves from before priority 1 to before priority 2)",
    true,
    (e) => e.preview(demo),
  );
  say(`  Plan: ${formatSummary(edited.summary)}`);
  const changed = edited.steps
    .filter((s) => s.op !== "same")
    .map((s) => `${s.op} ${s.name}`)
    .sort();

  expectThat(
    JSON.stringify(changed) ===
      JSON.stringify(["update tier1-notify-owners", "update tier2-check-replication"]),
    `the edited preview should show one edit and one move, got ${JSON.stringify(changed)}`,
  );

  const up2 = await step("4. pulumi up (edited)", true, (e) => e.up(demo));
  say(`  Done: ${formatSummary(up2.summary, true)}`);
  expectThat(
    up2.summary.update === 2 && (up2.summary.replace ?? 0) === 0,
    "the second up should update 2 (one edit, one move)",
  );
  checkCallouts(sim, true);

  const refresh = await step("5. pulumi refresh  (reads every resource back from SRM)", true, (e) =>
    e.refresh(),
  );
  const drift = refresh.filter((r) => r.status !== "in-sync");
  say(
    `  ${drift.length === 0 ? `No drift: ${refresh.length} resources in sync` : `${drift.length} drifted`}`,
  );
  expectThat(drift.length === 0, "refresh should find no drift");

  const destroyed = await step(
    "6. pulumi destroy  (Reprotect and ApplianceReconciliation are actions: nothing to undo)",
    true,
    (e) => e.destroy(),
  );
  say(`  Done: ${destroyed.length} deleted`);
  expectThat(
    srmFingerprint(sim) === before,
    "destroy should leave the pairings, callouts and inventory mappings as they were",
  );
  fs.rmSync(dir, { recursive: true, force: true });
}

/** The callouts of the (edited) program are in SRM where the program put them. */
function checkCallouts(sim: Simulator, edited: boolean): void {
  for (const c of demoCallouts(edited)) {
    const planId = sim.ids.plans[c.plan]!;
    const found = sim.model.customSteps(planId)[c.anchor]?.[c.index];
    expectThat(
      found?.callout?.content === c.content,
      `callout "${c.name}" in ${c.plan} at ${c.anchor}[${c.index}] should hold the program's content`,
    );
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? "")
    .split(path.delimiter)
    .some((dir) => dir !== "" && fs.existsSync(path.join(dir, command)));
}

/** Runs one pulumi CLI command. Asynchronous on purpose: the simulator serves from this very process. */
function pulumiCommand(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<void> {
  say(`$ pulumi ${args.join(" ")}`);
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], {
      cwd: PROJECT_DIR,
      env,
      stdio: [input === undefined ? "ignore" : "pipe", "inherit", "inherit"],
    });
    if (input !== undefined) child.stdin?.end(input);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new DemoFailure(`pulumi ${args[0]} failed (exit ${code})`)),
    );
  });
}

/** The demo with the real Pulumi CLI and a throwaway file backend. */
async function runCli(sim: Simulator): Promise<void> {
  const { config, secretKeys } = demoConfig(sim);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-demo-cli-"));
  const env = {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${dir}`,
    PULUMI_CONFIG_PASSPHRASE: `demo-${process.pid}-${Date.now()}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
  };
  const pulumi = (args: string[], input?: string) => pulumiCommand(args, env, input);
  say(`Using the pulumi CLI with a file backend in ${dir}.`);
  try {
    await pulumi(["stack", "init", "demo"]);
    for (const [k, v] of Object.entries(config)) {
      // Secrets go through stdin, never on a command line.
      if (secretKeys.includes(k)) await pulumi(["config", "set", "--secret", k], v);
      else await pulumi(["config", "set", k, v]);
    }
    await pulumi(["up", "--yes"]);
    say("SRM after up:");
    srmState(sim).forEach((l) => say(l));
    checkCallouts(sim, false);
    await pulumi(["destroy", "--yes"]);
    await pulumi(["stack", "rm", "--yes", "demo"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const sim = await startSimulator();
  try {
    say(`SRM simulator at ${sim.url}`);
    say(`TLS verified by pinning its certificate: srm:thumbprint = ${sim.thumbprintSha256.slice(0, 23)}...`);
    say();
    say("SRM before:");
    srmState(sim).forEach((l) => say(l));
    say();
    if (onPath("pulumi") && process.env.SRM_DEMO_ENGINE !== "local") await runCli(sim);
    else await runLocal(sim);
    say();
    say("SRM at the end:");
    srmState(sim).forEach((l) => say(l));
    say();
    say("Demo finished: every step did what the plan said.");
  } finally {
    await sim.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
