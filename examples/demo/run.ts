// `npm run demo`: starts the SRM simulator with both SRM servers of its pairing (site A and site B) and runs the
// demo program against them with the `pulumi` CLI (file backend in a temp dir; both sites in `srm:sites`, the
// passwords as secrets): preview, up, the edited program's preview (one edit, one move, one VM's settings), up,
// refresh (no drift), destroy. Exits non-zero on any failure, the program's own included, and with one message
// saying how to install the CLI where there is none.
import * as fs from "node:fs";
import {
  CommandError,
  LocalWorkspace,
  PulumiCommand,
  type EngineEvent,
  type PreviewResult,
  type Stack,
} from "@pulumi/pulumi/automation";
import * as os from "node:os";
import * as path from "node:path";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { demoCallouts } from "./callouts.js";
import { SITE_BOOTSTRAP_RESOURCES } from "./site-bootstrap.js";
import { SITE_PROTECTION_RESOURCES } from "./site-protection.js";
import { SITE_A, SITE_B } from "./sites.js";
import demo = require("./index.js");

const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

/** Resources the demo program declares: pairing, 2 runbooks, reprotect, reconciliation, site bootstrap and protection. */
export const DEMO_RESOURCES = 5 + SITE_BOOTSTRAP_RESOURCES + SITE_PROTECTION_RESOURCES;

/** The sites of `srm:sites` for the demo against `sim` (started with `serveRemoteSite`): name -> field -> value. */
export function demoSites(sim: Simulator): Record<string, Record<string, string>> {
  const remote = sim.remote;
  if (!remote) throw new Error("the demo needs the simulator's second SRM server (serveRemoteSite: true)");
  const c = sim.credentials;
  return {
    [SITE_A]: { host: sim.url, username: c.username, password: c.password, thumbprint: sim.thumbprintSha256 },
    [SITE_B]: {
      host: remote.url,
      username: remote.credentials.username,
      password: remote.credentials.password,
      thumbprint: remote.thumbprintSha256,
    },
  };
}

/**
 * Stack config for the demo against `sim`, and which keys are secret; `srm:sites` is one JSON value here (the
 * demo sets it field by field, `pulumi config set --path` style).
 */
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
    "srm:sites": JSON.stringify(demoSites(sim)),
  };
  if (spare.pscThumbprint) config["demo:sparePscThumbprint"] = spare.pscThumbprint;
  const secretKeys = [
    "srm:password",
    "srm:remotePassword",
    "srm:appliancePassword",
    "demo:sparePscPassword",
    "demo:ssoAdminPassword",
    "srm:sites",
  ];
  return { config, secretKeys };
}

/** What SRM holds now: the servers, pairings, plans with their custom steps, the bootstrap and protection per server. */
export function srmState(sim: Simulator): string[] {
  const m = sim.model;
  const home = m.pairings.get(sim.ids.pairingId);
  const siteOfSrm = new Map<string, string>();
  const lines = ["  SRM servers:"];
  if (home) {
    siteOfSrm.set(home.localSrm.id, SITE_A).set(home.remoteSrm.id, SITE_B);
    lines.push(`    ${SITE_A} ${home.localSrm.name.padEnd(20)} ${sim.url}`);
    if (sim.remote) lines.push(`    ${SITE_B} ${home.remoteSrm.name.padEnd(20)} ${sim.remote.url}`);
  }
  lines.push("  pairings (as site A lists them):");
  for (const p of m.listPairings().filter((x) => !x.isLocal)) {
    lines.push(
      `    ${p.remoteVc.name.padEnd(20)} ${p.id}  vCenter ${p.remoteVc.server_status}, SRM ${p.remoteSrm.server_status}`,
    );
  }
  lines.push("  recovery plans (status; custom steps as anchor/index:name):");
  for (const pairing of m.listPairings().filter((x) => !x.isLocal)) {
    for (const plan of m.plansOf(pairing.id)) {
      const steps = Object.entries(m.customSteps(plan.id)).flatMap(([anchor, list]) =>
        (list ?? []).map((s, i) => `${anchor}/${i}:"${s.callout?.name ?? s.id}"`),
      );
      lines.push(
        `    ${plan.name.padEnd(11)} ${plan.status.padEnd(18)} ${steps.join(", ") || "no custom steps"}`,
      );
    }
  }
  lines.push(`  vCenter reconciliation job: ${m.appliance.job?.status ?? "none"}`);
  lines.push("  site bootstrap, per SRM server (inventory mappings, test networks, placeholder datastores):");
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
    const site = siteOfSrm.get(srmId);
    if (all.length > 0) lines.push(`    ${site ? `${site} ` : ""}${srmName}: ${all.join("; ")}`);
  }
  lines.push("  protection (groups: VMs; plans built from groups: VM priority and recovery address):");
  for (const g of m.protection.groups.values())
    lines.push(`    group ${g.name}: ${g.vms.map(name).join(", ")}`);
  for (const plan of [...m.plans.values()].filter((p) => p.groupIds.length > 0)) {
    const vms = [...(m.protection.settings.get(plan.id)?.entries() ?? [])].map(([vm, s]) => {
      const ip = s.nicSettings[0]?.secondary_ip_settings?.ip_v4?.ip_address;
      return `${name(vm)} ${s.priority}${ip ? ` ${ip}` : ""}`;
    });
    lines.push(`    plan ${plan.name}: ${vms.join(", ")}`);
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

/** Where `pulumi` is: on PATH, else where `.ci/pulumi-cli/build.sh` caches the one it builds. */
export function pulumiCliDir(): string | undefined {
  const onPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .find((dir) => dir !== "" && fs.existsSync(path.join(dir, "pulumi")));
  if (onPath) return onPath;
  const bin = path.join(cliCache(), "bin");
  return fs.existsSync(path.join(bin, "pulumi")) ? bin : undefined;
}

function cliCache(): string {
  return (
    process.env.PULUMI_SRM_CLI_CACHE ??
    path.join(
      process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
      "pulumi-srm",
      "pulumi-cli",
      "v3.248.0",
    )
  );
}

/** Temp folders of this run, removed on exit and on Ctrl-C, so an interrupted demo leaves nothing behind. */
const tempDirs = new Set<string>();
function removeTempDir(d: string): void {
  tempDirs.delete(d);
  // The CLI may still be writing there (Ctrl-C reaches it too): retry, and never let cleanup itself fail the run.
  try {
    fs.rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  } catch {
    // A fresh folder per run: a leftover in the temp folder cannot affect the next run.
  }
}

/**
 * Passes the CLI's lines on, without its note that it found the dynamic-provider plugin on PATH (expected
 * here: the plugin ships in @pulumi/pulumi's npm package) and without a Diagnostics section that held nothing
 * else.
 */
function cliLinePrinter(out: (line: string) => void): (line: string) => void {
  let header = false; // "Diagnostics:" seen and not printed yet
  let section: string[] | undefined; // one resource's diagnostics (its name line, then entries), held back
  return (l) => {
    if (l.includes("using pulumi-resource-pulumi-nodejs from $PATH")) return;
    if (l === "Diagnostics:") {
      header = true;
      section = [];
      return;
    }
    if (section === undefined) return out(l);
    if (/^ {2}\S/.test(l)) {
      section = [l];
      return;
    }
    if (/^ {4}/.test(l)) {
      section.push(l);
      return;
    }
    const held = section.length > 1;
    if (held) {
      if (header) out("Diagnostics:");
      header = false;
      section.forEach(out);
    }
    if (l === "") {
      if (held) out(l);
      section = [];
      return;
    }
    // The whole block was dropped: keep one blank line where it was.
    if (header) out("");
    section = undefined;
    header = false;
    out(l);
  };
}

/** The demo's steps, in order. */
export type DemoStep = "preview" | "up" | "edited-preview" | "edited-up" | "refresh" | "destroy";

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Where the demo's lines go; default stdout. */
  print?: (line: string) => void;
  /**
   * Called after each step with the stack and the engine events of that step, before the next step runs
   * (tests look at the state and SRM there); the temp folder is removed only after the last call.
   */
  afterStep?: (step: DemoStep, stack: Stack, events: EngineEvent[]) => Promise<void> | void;
}

/**
 * The demo with the real Pulumi CLI in `cliDir` against `sim`. The program runs inline (the Automation API's
 * `--client` mode, so no Node.js language host is needed), in a project folder and file backend of its own
 * under the temp folder, so nothing is written to the checkout and no earlier run's stack or passphrase can
 * get in the way. Throws when a step does something other than what its plan said.
 */
export async function runDemo(sim: Simulator, cliDir: string, options: DemoOptions = {}): Promise<void> {
  const say = (line = ""): void => (options.print ?? ((l) => void process.stdout.write(`${l}\n`)))(line);
  const { config, secretKeys } = demoConfig(sim);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-demo-cli-"));
  tempDirs.add(dir);
  try {
    const work = path.join(dir, "project");
    fs.mkdirSync(work);
    // The repository's Pulumi.yaml points `main` at the compiled program; inline programs need no `main`.
    fs.writeFileSync(path.join(work, "Pulumi.yaml"), "name: pulumi-srm-demo\nruntime: nodejs\n");
    // The dynamic-provider host resolves `require("pulumi-srm")` from the project folder, as in a user's project.
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(work, "node_modules"), "dir");
    const envVars: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${path.join(dir, "state")}`,
      PULUMI_CONFIG_PASSPHRASE: `demo-${process.pid}-${Date.now()}`,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: path.join(dir, "home"),
      // The demo's stack lives only in this folder, and so does the provider's create journal for it.
      PULUMI_SRM_JOURNAL_DIR: path.join(dir, "journal"),
      PATH: [
        cliDir,
        path.join(PROJECT_DIR, "node_modules", "@pulumi", "pulumi"),
        process.env.PATH ?? "",
      ].join(path.delimiter),
    };
    fs.mkdirSync(path.join(dir, "state"));
    const pulumiCommand = await PulumiCommand.get(
      path.basename(cliDir) === "bin"
        ? { root: path.dirname(cliDir), skipVersionCheck: true }
        : { skipVersionCheck: true },
    );
    say(`Using the pulumi CLI (${path.join(cliDir, "pulumi")}) with a file backend in ${dir}.`);
    const stack = await LocalWorkspace.createOrSelectStack(
      { stackName: "demo", projectName: "pulumi-srm-demo", program: async () => demo() },
      { workDir: work, envVars, pulumiCommand },
    );
    const all: Record<string, { value: string; secret: boolean }> = {};
    for (const [k, v] of Object.entries(config)) {
      if (k !== "srm:sites") all[k] = { value: v, secret: secretKeys.includes(k) };
    }
    await stack.setAllConfig({ ...all, "demo:edited": { value: "false", secret: false } });
    // Both sites as a user sets them: `pulumi config set --path [--secret] srm:sites.<site>.<field> <value>`.
    const sites: Record<string, { value: string; secret: boolean }> = {};
    for (const [site, fields] of Object.entries(demoSites(sim))) {
      for (const [field, value] of Object.entries(fields)) {
        sites[`srm:sites.${site}.${field}`] = { value, secret: field === "password" };
      }
    }
    await stack.setAllConfig(sites, true);
    // What the CLI prints, line by line and indented.
    let pending = "";
    let events: EngineEvent[] = [];
    const line = cliLinePrinter((l) => say(`  | ${l}`));
    const print = {
      suppressProgress: true,
      color: "never" as const,
      onOutput: (s: string) => {
        const lines = (pending + s).split("\n");
        pending = lines.pop() ?? "";
        lines.forEach(line);
      },
      onEvent: (e: EngineEvent) => void events.push(e),
    };
    const step = async <T>(name: DemoStep, title: string, run: () => Promise<T>): Promise<T> => {
      say();
      say(title);
      events = [];
      const result = await run();
      await options.afterStep?.(name, stack, events);
      return result;
    };
    const before = srmFingerprint(sim);

    const preview: PreviewResult = await step(
      "preview",
      "1. pulumi preview  (what `up` would do; nothing changes in SRM)",
      () => stack.preview(print),
    );
    expectThat(
      preview.changeSummary.create === DEMO_RESOURCES + 1,
      `the first preview should create ${DEMO_RESOURCES} resources`,
    );
    expectThat(srmFingerprint(sim) === before, "a preview changed SRM");

    const up = await step("up", "2. pulumi up  (every SRM task is waited for)", () => stack.up(print));
    expectThat(
      up.summary.resourceChanges?.create === DEMO_RESOURCES + 1,
      `up should create ${DEMO_RESOURCES} resources`,
    );
    say();
    say("SRM after up:");
    srmState(sim).forEach((l) => say(l));
    checkCallouts(sim, false);

    await stack.setConfig("demo:edited", { value: "true" });
    const edited = await step(
      "edited-preview",
      "3. pulumi preview --diff of the edited program (demo:edited=true: one command changes, one step moves,\n   app-a-01 moves to priority 2 with another address at site B)",
      () => stack.preview({ ...print, diff: true }),
    );
    expectThat(
      edited.changeSummary.update === 3 && (edited.changeSummary.replace ?? 0) === 0,
      `the edited preview should show one edit, one move and one VM's new settings, got ${JSON.stringify(edited.changeSummary)}`,
    );

    const up2 = await step("edited-up", "4. pulumi up (edited)", () => stack.up(print));
    expectThat(
      up2.summary.resourceChanges?.update === 3,
      "the second up should update 3 (one edit, one move, one VM's settings)",
    );
    checkCallouts(sim, true);

    const refresh = await step("refresh", "5. pulumi refresh  (reads every resource back from SRM)", () =>
      stack.refresh(print),
    );
    const changes = refresh.summary.resourceChanges ?? {};
    expectThat(
      Object.keys(changes).every((k) => k === "same"),
      `refresh should find no drift, got ${JSON.stringify(changes)}`,
    );

    await step(
      "destroy",
      "6. pulumi destroy  (Reprotect and ApplianceReconciliation are actions: nothing to undo)",
      () => stack.destroy(print),
    );
    expectThat(
      srmFingerprint(sim) === before,
      "destroy should leave the pairings, callouts and inventory mappings as they were",
    );
  } finally {
    removeTempDir(dir);
  }
}

const NO_CLI =
  "npm run demo needs the pulumi CLI (v3.248 or newer) on PATH, and there is none: install it as " +
  "https://www.pulumi.com/docs/install/ says (or build it from Go modules with `bash .ci/pulumi-cli/build.sh`), " +
  "then run `npm run demo` again.";

/**
 * The failure in one line or a few: a CLI step's error lines (the CLI's whole output, which the error repeats,
 * is already printed above them), else the message.
 */
export function failureText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof CommandError)) return message;
  const command = /Command failed with exit code \d+: \S*pulumi (\w+)/.exec(message)?.[1];
  const errors = [
    ...new Set(
      message
        .split("\n")
        .map((l) => /\berror: (.*)$/.exec(l)?.[1]?.trim())
        .filter((l): l is string => l !== undefined && l !== "" && !/^\d+ errors?/.test(l)),
    ),
  ];
  const what = command ? `pulumi ${command} failed` : "a pulumi command failed";
  return errors.length > 0 ? `${what}:\n  ${errors.join("\n  ")}` : `${what} (its output is above)`;
}

async function main(): Promise<void> {
  const cliDir = pulumiCliDir();
  if (!cliDir) {
    process.stderr.write(`${NO_CLI}\n`);
    process.exitCode = 1;
    return;
  }
  const say = (line = ""): void => void process.stdout.write(`${line}\n`);
  const sim = await startSimulator({ serveRemoteSite: true });
  try {
    say(`SRM simulator: site A's SRM at ${sim.url}, site B's at ${sim.remote!.url}`);
    say(
      `TLS verified by pinning each server's certificate: srm:sites.${SITE_A}.thumbprint = ` +
        `${sim.thumbprintSha256.slice(0, 23)}..., srm:sites.${SITE_B}.thumbprint = ${sim.remote!.thumbprintSha256.slice(0, 23)}...`,
    );
    say();
    say("SRM before:");
    srmState(sim).forEach((l) => say(l));
    say();
    await runDemo(sim, cliDir);
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
  // Ctrl-C: remove this run's temp folders (state, stack config, passphrase) before leaving.
  process.once("SIGINT", () => {
    for (const d of [...tempDirs]) removeTempDir(d);
    process.exit(130);
  });
  main().catch((err: unknown) => {
    for (const d of [...tempDirs]) removeTempDir(d);
    process.stderr.write(`demo failed: ${failureText(err)}\n`);
    // Exit now, whatever a failed program or CLI step left open (the inline program's server, sockets, timers).
    process.exit(1);
  });
}
