// The real `pulumi` CLI against the simulator. Programs run as Automation API inline programs (the CLI's
// `--client` mode), so the CLI needs no Node.js language host; everything else (the engine, state, secrets,
// the dynamic-provider host it spawns) is the real thing. Each stack gets a temp folder of its own with a
// copy of the project's Pulumi.yaml, a file backend and a passphrase, so nothing is written to the checkout.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  LocalWorkspace,
  PulumiCommand,
  type DestroyResult,
  type EngineEvent,
  type PreviewResult,
  type RefreshResult,
  type Stack,
  type UpResult,
} from "@pulumi/pulumi/automation";
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-srm-simulator";
import { isolateEngineChannels } from "./engine-channels.js";

isolateEngineChannels();

/** The repository root. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");
/** The pulumi version the CLI must have: the one of the locked @pulumi/pulumi. */
export const PULUMI_VERSION = "v3.248.0";
/** Passphrase of every test stack's secrets provider. */
export const PASSPHRASE = "srm-cli-tests-passphrase";

let cliDir: string | null | undefined;

/**
 * Where the `pulumi` CLI is: on PATH, else in the cache folder `.ci/pulumi-cli/build.sh` builds into.
 * Undefined when neither has one.
 */
export function findPulumiCli(): string | undefined {
  if (cliDir !== undefined) return cliDir ?? undefined;
  const onPath = (process.env.PATH ?? "")
    .split(path.delimiter)
    .find((dir) => dir !== "" && fs.existsSync(path.join(dir, "pulumi")));
  const cacheRoot = process.env.PULUMI_SRM_CLI_CACHE
    ? process.env.PULUMI_SRM_CLI_CACHE
    : path.join(
        process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"),
        "pulumi-srm",
        "pulumi-cli",
        PULUMI_VERSION,
      );
  const cached = path.join(cacheRoot, "bin");
  cliDir = onPath ?? (fs.existsSync(path.join(cached, "pulumi")) ? cached : null);
  return cliDir ?? undefined;
}

/**
 * Skips the calling suite, saying why, where no CLI exists; fails instead where `PULUMI_SRM_REQUIRE_CLI=1`
 * (CI sets it, so the CLI suite can never be skipped there).
 */
export function requireCli(ctx: Mocha.Context): string {
  const dir = findPulumiCli();
  if (dir) return dir;
  const why =
    "the pulumi CLI is neither on PATH nor in the build cache (run `bash .ci/pulumi-cli/build.sh`, or install it: https://www.pulumi.com/docs/install/)";
  if (process.env.PULUMI_SRM_REQUIRE_CLI === "1") throw new Error(`CLI tests cannot run: ${why}`);
  console.log(`      skipped: ${why}`);
  ctx.skip();
}

/** What {@link useCliSuite} gives a suite. */
export interface CliSuite {
  /** The suite's simulator, started before its first test. */
  readonly sim: Simulator;
  /** A stack on the suite's simulator (or `options.sim`), removed after the suite with every other. */
  stack(options: CliStackOptions): Promise<CliStack>;
}

/**
 * The set-up of a suite that drives the CLI: skipped (saying why) without one, a simulator started with
 * `simulator` before the first test, and every stack made through {@link CliSuite.stack} removed afterwards.
 */
export function useCliSuite(simulator: SimulatorOptions = {}): CliSuite {
  let sim: Simulator | undefined;
  const stacks: CliStack[] = [];
  before(async function () {
    requireCli(this);
    sim = await startSimulator(simulator);
  });
  after(async () => {
    for (const s of stacks.splice(0)) s.dispose();
    await sim?.close();
  });
  const suite: CliSuite = {
    get sim(): Simulator {
      if (!sim) throw new Error("the suite's simulator starts before its first test; use it inside one");
      return sim;
    },
    async stack(options) {
      const s = await CliStack.create({ sim: suite.sim, ...options });
      stacks.push(s);
      return s;
    },
  };
  return suite;
}

/** Stack config pointing at `sim`, TLS pinned by thumbprint, and which keys are secrets. */
export function simulatorConfig(sim: Simulator): { config: Record<string, string>; secrets: string[] } {
  const c = sim.credentials;
  return {
    config: {
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
    },
    secrets: ["srm:password", "srm:remotePassword", "srm:appliancePassword"],
  };
}

/** Options of {@link CliStack.create}. */
export interface CliStackOptions {
  /** The program, run inline in this process each time the CLI runs it. */
  program: () => Promise<Record<string, unknown> | void> | Record<string, unknown> | void;
  /** Simulator the stack talks to: its connection settings become stack config. */
  sim?: Simulator;
  /** More stack config. */
  config?: Record<string, string>;
  /** Keys of {@link config} to store as secrets. */
  secrets?: string[];
  /** Project folder whose Pulumi.yaml is used (copied); default a project named `srm-cli-test`. */
  project?: string;
  /** Stack name; default `test`. */
  stackName?: string;
  /** Extra environment of the CLI and the provider host. */
  env?: Record<string, string>;
  /**
   * The folder linked as the project's node_modules, where the provider host resolves `pulumi-srm`; default the
   * checkout's (whose `pulumi-srm` is a link to the checkout). A folder from `installCopy` makes the state hold
   * what a user's does.
   */
  nodeModules?: string;
}

/** Everything the CLI printed, for checks (secrets) and for failure messages. */
export class OutputLog {
  readonly chunks: string[] = [];
  add = (s: string): void => {
    this.chunks.push(s);
    if (process.env.SRM_CLI_TESTS_VERBOSE === "1") process.stdout.write(s);
  };
  get text(): string {
    return this.chunks.join("");
  }
}

/** One stack in a temp folder with its own file backend; `dispose()` removes it all. */
export class CliStack {
  /** Everything every command of this stack printed. */
  readonly log = new OutputLog();
  /** Engine events of the last command. */
  events: EngineEvent[] = [];

  private constructor(
    readonly stack: Stack,
    /** The stack's temp folder: `work/` (project), `state/` (file backend). */
    readonly dir: string,
    readonly env: Record<string, string>,
    readonly cliBin: string,
  ) {}

  /** The project folder (workDir) of the stack. */
  get workDir(): string {
    return path.join(this.dir, "work");
  }
  /** The provider's create-journal folder (PULUMI_SRM_JOURNAL_DIR of the CLI and its provider host). */
  get journalDir(): string {
    return this.env.PULUMI_SRM_JOURNAL_DIR ?? path.join(this.dir, "journal");
  }
  /** The file backend's folder. */
  get stateDir(): string {
    return path.join(this.dir, "state");
  }

  static async create(opts: CliStackOptions): Promise<CliStack> {
    const bin = findPulumiCli();
    if (!bin) throw new Error("no pulumi CLI (call requireCli first)");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-cli-"));
    const work = path.join(dir, "work");
    const state = path.join(dir, "state");
    fs.mkdirSync(work);
    fs.mkdirSync(state);
    const projectYaml = opts.project ? path.join(opts.project, "Pulumi.yaml") : undefined;
    if (projectYaml && fs.existsSync(projectYaml))
      fs.copyFileSync(projectYaml, path.join(work, "Pulumi.yaml"));
    else fs.writeFileSync(path.join(work, "Pulumi.yaml"), "name: srm-cli-test\nruntime: nodejs\n");
    // The provider host resolves `require("pulumi-srm")` from the project folder, as in a user's project.
    fs.symlinkSync(
      opts.nodeModules ?? path.join(PROJECT_DIR, "node_modules"),
      path.join(work, "node_modules"),
      "dir",
    );
    const env: Record<string, string> = {
      PULUMI_BACKEND_URL: `file://${state}`,
      PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_HOME: path.join(dir, "home"),
      // The provider's create journal, kept with the stack so a test never writes to the home folder.
      PULUMI_SRM_JOURNAL_DIR: path.join(dir, "journal"),
      // The dynamic-provider plugin ships in @pulumi/pulumi's npm package; the CLI finds it on PATH.
      PATH: [bin, path.join(PROJECT_DIR, "node_modules", "@pulumi", "pulumi"), process.env.PATH ?? ""].join(
        path.delimiter,
      ),
      ...opts.env,
    };
    const cmd = await PulumiCommand.get(
      path.basename(bin) === "bin"
        ? { root: path.dirname(bin), skipVersionCheck: true }
        : { skipVersionCheck: true },
    );
    const stack = await LocalWorkspace.createOrSelectStack(
      {
        stackName: opts.stackName ?? "test",
        projectName: "srm-cli-test",
        program: async () => opts.program(),
      },
      { workDir: work, envVars: env, pulumiCommand: cmd },
    );
    const s = new CliStack(stack, dir, env, bin);
    const config: Record<string, { value: string; secret: boolean }> = {};
    const base = opts.sim ? simulatorConfig(opts.sim) : { config: {}, secrets: [] };
    const secrets = new Set([...base.secrets, ...(opts.secrets ?? [])]);
    for (const [k, v] of Object.entries({ ...base.config, ...opts.config }))
      config[k] = { value: v, secret: secrets.has(k) };
    if (Object.keys(config).length > 0) await stack.setAllConfig(config);
    return s;
  }

  private common() {
    this.events = [];
    return {
      onOutput: this.log.add,
      onError: this.log.add,
      onEvent: (e: EngineEvent) => this.events.push(e),
    };
  }

  /** `pulumi preview` (with `--diff` when asked). */
  preview(opts: Parameters<Stack["preview"]>[0] = {}): Promise<PreviewResult> {
    return this.stack.preview({ ...this.common(), ...opts });
  }

  /** `pulumi up --yes`. */
  up(opts: Parameters<Stack["up"]>[0] = {}): Promise<UpResult> {
    return this.stack.up({ ...this.common(), ...opts });
  }

  /** `pulumi refresh --yes`. */
  refresh(opts: Parameters<Stack["refresh"]>[0] = {}): Promise<RefreshResult> {
    return this.stack.refresh({ ...this.common(), ...opts });
  }

  /** `pulumi destroy --yes`. */
  destroy(opts: Parameters<Stack["destroy"]>[0] = {}): Promise<DestroyResult> {
    return this.stack.destroy({ ...this.common(), ...opts });
  }

  /** Runs the plain CLI in the project folder (commands that run no program: config, stack export/import, state). */
  cli(args: string[], input?: string): string {
    const out = execFileSync(path.join(this.cliBin, "pulumi"), [...args, "--non-interactive"], {
      cwd: this.workDir,
      env: { ...process.env, ...this.env },
      input,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    this.log.add(out);
    return out;
  }

  /** `pulumi stack export` as the file backend holds it (secrets stay encrypted). */
  exportState(): StackExport {
    return JSON.parse(this.cli(["stack", "export", "--stack", this.stack.name])) as StackExport;
  }

  /** The stack's resources of one `srm:` type (e.g. `RecoveryStepCallout`), from {@link exportState}. */
  resources(typeName?: string): StateResource[] {
    const all = this.exportState().deployment.resources ?? [];
    return typeName ? all.filter((r) => r.type === `pulumi-nodejs:dynamic/srm:${typeName}`) : all;
  }

  /** URN of the resource named `name` (of `srm:` type `typeName`). */
  urn(typeName: string, name: string): string {
    const r = this.resources(typeName).find((x) => x.urn.endsWith(`::${name}`));
    if (!r) throw new Error(`no ${typeName} "${name}" in the stack's state`);
    return r.urn;
  }

  /** Size in bytes of the stack's checkpoint file, the state the engine rewrites after each step. */
  checkpointBytes(): number {
    const file = path.join(this.stateDir, ".pulumi", "stacks", "srm-cli-test", `${this.stack.name}.json`);
    return fs.statSync(file).size;
  }

  /** Every file of the backend, concatenated: state, history and backups, as on disk. */
  backendText(): string {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile()) out.push(fs.readFileSync(p).toString("utf8"));
      }
    };
    walk(this.stateDir);
    return out.join("\n");
  }

  /**
   * Pids of this stack's live processes: the `pulumi` CLI and everything it started (the provider host), found
   * by the stack's own PULUMI_HOME in their environment.
   */
  processes(): number[] {
    const marker = `PULUMI_HOME=${this.env.PULUMI_HOME}`;
    const pids: number[] = [];
    for (const entry of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const environ = fs.readFileSync(`/proc/${entry}/environ`, "latin1");
        const stat = fs.readFileSync(`/proc/${entry}/stat`, "latin1");
        if (environ.split("\0").includes(marker) && !/\) Z /.test(stat)) pids.push(Number(entry));
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
    return pids;
  }

  /** The `pulumi` process running a command of this stack now, if any. */
  pulumiPid(): number | undefined {
    return this.processes().find((pid) => {
      try {
        return fs.readFileSync(`/proc/${pid}/comm`, "latin1").trim() === "pulumi";
      } catch {
        return false;
      }
    });
  }

  /** Removes the stack's temp folder (state included). Never throws. */
  dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One resource in `pulumi stack export`. */
export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
}

/** `pulumi stack export` output. */
export interface StackExport {
  version: number;
  deployment: { resources?: StateResource[]; pending_operations?: unknown[] };
}

/** Resource changes of a preview or an update, without the stack itself: e.g. `{ create: 3, same: 1 }`. */
export function changesOf(summary: Record<string, number> | undefined): Record<string, number> {
  return { ...(summary ?? {}) };
}

/** The step operations the engine reported, per resource name (e.g. `{ "notify": "update" }`). */
export function stepOps(events: EngineEvent[]): Record<string, string> {
  const ops: Record<string, string> = {};
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || m.type === "pulumi:pulumi:Stack" || m.type === "pulumi:providers:pulumi-nodejs") continue;
    const name = m.urn.slice(m.urn.lastIndexOf("::") + 2);
    ops[name] = m.op;
  }
  return ops;
}

/** Every step operation the engine reported for each resource, in order (e.g. `["delete-replaced", ...]`). */
export function stepOpLists(events: EngineEvent[]): Record<string, string[]> {
  const ops: Record<string, string[]> = {};
  for (const e of events) {
    const m = e.resourcePreEvent?.metadata;
    if (!m || m.type === "pulumi:pulumi:Stack" || m.type === "pulumi:providers:pulumi-nodejs") continue;
    const name = m.urn.slice(m.urn.lastIndexOf("::") + 2);
    (ops[name] ??= []).push(m.op);
  }
  return ops;
}
