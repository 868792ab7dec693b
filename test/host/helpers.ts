// Shared setup of the host-level tests: a simulator, the real dynamic-provider host spawned as the engine
// spawns it and configured from the simulator, the real serialized `__provider` of each resource, and a
// recorder of everything the host says so every test file can check that no password leaks.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { startSimulator, type Simulator, type SimulatorOptions } from "pulumi-srm-simulator";
import { HostCallError, ProviderHost, type CheckResult, type Props } from "./driver/host-process.js";
import { runProgram } from "./driver/program-runner.js";
import {
  ApplianceReconciliation,
  Pairing,
  RecoveryPlanCallouts,
  RecoveryStepCallout,
  Reprotect,
} from "../../provider/index.js";

/** The repository root (the Pulumi project directory the host runs in). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

/** Type tokens of the four resources. */
export const TYPES = {
  Pairing: "pulumi-nodejs:dynamic/srm:Pairing",
  RecoveryStepCallout: "pulumi-nodejs:dynamic/srm:RecoveryStepCallout",
  RecoveryPlanCallouts: "pulumi-nodejs:dynamic/srm:RecoveryPlanCallouts",
  Reprotect: "pulumi-nodejs:dynamic/srm:Reprotect",
  ApplianceReconciliation: "pulumi-nodejs:dynamic/srm:ApplianceReconciliation",
} as const;
export type ResourceKind = keyof typeof TYPES;

/** Passwords only these tests use (for inputs that must fail), on top of the simulator's. */
export const WRONG_PASSWORD = "Wrong-Host-Test-Pw-4d2e!";

/** Stack config pointing at `sim`: TLS pinned by thumbprint, passwords as the engine sends them. */
export function srmConfig(sim: Simulator): Record<string, string> {
  const c = sim.credentials;
  return {
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
  };
}

/** Every password of the simulator plus the tests' own. */
export function passwordsOf(sim: Simulator): string[] {
  const c = sim.credentials;
  const sites = sim.inventory.remoteSites.map((s) => s.password);
  return [
    ...new Set([c.password, c.remotePassword, c.appliancePassword, c.ssoPassword, ...sites, WRONG_PASSWORD]),
  ];
}

/** Inputs that hold passwords; Check passes them through, nothing else may return them. */
export const SECRET_INPUTS = ["pscPassword", "ssoAdminPassword", "appliancePassword"];

/** Asserts that `text` contains none of `secrets`. */
export function expectNoSecrets(text: string, secrets: readonly string[], where: string): void {
  for (const s of secrets) expect(text.includes(s), `${where} contains a password`).to.equal(false);
}

/** Serialized providers, captured once per process from the real Resource classes. */
const providerCache = new Map<ResourceKind, string>();

/**
 * The `__provider` string the closure serializer produces for a resource, captured the way the engine
 * receives it (under mocks: `newResource(args).inputs.__provider`).
 */
export async function serializedProvider(kind: ResourceKind): Promise<string> {
  const cached = providerCache.get(kind);
  if (cached) return cached;
  const build: Record<ResourceKind, () => void> = {
    Pairing: () =>
      new Pairing("p", { remoteVcGuid: "g", pscUrl: "u", pscUsername: "u", pscPassword: "capture-only-1" }),
    RecoveryStepCallout: () =>
      new RecoveryStepCallout("c", {
        pairingId: "p",
        planId: "q",
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
        name: "n",
        content: "c",
        calloutType: "PROMPT",
      }),
    RecoveryPlanCallouts: () =>
      new RecoveryPlanCallouts("rb", {
        pairingId: "p",
        planId: "q",
        callouts: { AT_END: [{ name: "n", content: "c", calloutType: "PROMPT" }] },
      }),
    Reprotect: () => new Reprotect("r", { pairingId: "p", planId: "q" }),
    ApplianceReconciliation: () =>
      new ApplianceReconciliation("a", { ssoAdminUsername: "u", ssoAdminPassword: "capture-only-2" }),
  };
  let captured: string | undefined;
  await runProgram(build[kind], {
    preview: true,
    onResource: async (res) => {
      captured = res.inputs.__provider as string;
      return { id: "", outputs: {} };
    },
  });
  if (typeof captured !== "string") throw new Error(`no __provider captured for ${kind}`);
  providerCache.set(kind, captured);
  return captured;
}

/** Where the committed serialized providers of an earlier build live (read from the source tree). */
export const FIXTURE_PATH = path.join(PROJECT_DIR, "test", "host", "fixtures", "serialized-providers.json");

/** The committed `__provider` strings (written by `UPDATE_PROVIDER_FIXTURES=1` runs of host-rules). */
export function fixtureProviders(): Record<ResourceKind, string> {
  return JSON.parse(fs.readFileSync(FIXTURE_PATH, "utf8")) as Record<ResourceKind, string>;
}

/** A simulator and a configured host for one test file; everything the host answers is recorded. */
export interface HostFixture {
  sim: Simulator;
  host: ProviderHost;
  config: Record<string, string>;
  passwords: string[];
  /** JSON of every response and the text of every error the host returned. */
  seen: string[];
  /** Runs a host call and records its result or error. */
  rec<T>(p: Promise<T>): Promise<T>;
  /**
   * Check, recorded without the secret inputs it must hand back unchanged (the engine re-marks them
   * secret); everything else it returns, failures included, is checked for leaks.
   */
  check(urn: string, olds: Props, news: Props): Promise<CheckResult>;
  /** Runs a host call that must fail; returns the error (recorded). */
  fails(p: Promise<unknown>): Promise<HostCallError>;
  /** Asserts no password in anything recorded, nor in the host's stdout/stderr. */
  expectNoLeaks(): void;
  close(): Promise<void>;
}

/** Starts the simulator and the host; sends Configure unless told not to. */
export async function startHostFixture(
  options: { configure?: boolean; simulator?: SimulatorOptions } = {},
): Promise<HostFixture> {
  const sim = await startSimulator(options.simulator);
  let host: ProviderHost;
  try {
    host = await ProviderHost.start({ projectDir: PROJECT_DIR });
  } catch (e) {
    await sim.close();
    throw e;
  }
  const config = srmConfig(sim);
  const seen: string[] = [];
  const passwords = passwordsOf(sim);
  const f: HostFixture = {
    sim,
    host,
    config,
    passwords,
    seen,
    async rec(p) {
      try {
        const r = await p;
        seen.push(JSON.stringify(r ?? null));
        return r;
      } catch (e) {
        seen.push(e instanceof Error ? `${e.message}\n${e.stack ?? ""}` : String(e));
        throw e;
      }
    },
    async check(urn, olds, news) {
      const res = await host.check(urn, olds, news).catch((e: unknown) => {
        seen.push(e instanceof Error ? e.message : String(e));
        throw e;
      });
      const shown = Object.entries(res.inputs).filter(([k]) => !SECRET_INPUTS.includes(k));
      seen.push(JSON.stringify({ ...res, inputs: Object.fromEntries(shown) }));
      return res;
    },
    async fails(p) {
      const err = await f.rec(p).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, "the call should fail").to.be.instanceOf(HostCallError);
      return err as HostCallError;
    },
    expectNoLeaks() {
      expect(seen.length).to.be.greaterThan(0);
      expectNoSecrets(seen.join("\n"), passwords, "a host response or error");
      expectNoSecrets(host.output(), passwords, "the host's stdout/stderr");
    },
    async close() {
      await host.close();
      await sim.close();
    },
  };
  if (options.configure !== false) await host.configure(config);
  return f;
}

/** Outputs without `__provider`, for comparisons. */
export function withoutProvider(p: Props): Props {
  return Object.fromEntries(Object.entries(p).filter(([k]) => k !== "__provider"));
}
