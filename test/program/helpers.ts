// Setup of the program-level tests: a simulator, one real dynamic-provider host, and local engines over a
// temp state file that run example programs under mocks and forward every resource to that host.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { LocalEngine } from "../../examples/local-engine/engine.js";
import { ProviderHost } from "../../examples/local-engine/host-process.js";
import { PROJECT_DIR, passwordsOf, srmConfig } from "../host/helpers.js";

/** Config keys holding passwords. */
export const SECRET_KEYS = [
  "srm:password",
  "srm:remotePassword",
  "srm:appliancePassword",
  "pairing:pscPassword",
  "reconcile:ssoAdminPassword",
  "demo:sparePscPassword",
  "demo:ssoAdminPassword",
];

/** One test file's simulator and host. */
export interface ProgramFixture {
  sim: Simulator;
  host: ProviderHost;
  passwords: string[];
  /** Lines the engines printed. */
  lines: string[];
  dir: string;
  /** An engine over `state` (a file name in the temp dir) with the SRM config plus `extra`. */
  engine(state: string, extra?: Record<string, string>): LocalEngine;
  /** The state file's text. */
  stateText(state: string): string;
  close(): Promise<void>;
}

export async function startProgramFixture(): Promise<ProgramFixture> {
  const sim = await startSimulator();
  let host: ProviderHost;
  try {
    host = await ProviderHost.start({ projectDir: PROJECT_DIR });
  } catch (e) {
    await sim.close();
    throw e;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-program-"));
  const lines: string[] = [];
  return {
    sim,
    host,
    dir,
    lines,
    passwords: passwordsOf(sim),
    engine(state, extra = {}) {
      return new LocalEngine({
        host,
        statePath: path.join(dir, state),
        config: { ...srmConfig(sim), ...extra },
        secretConfigKeys: SECRET_KEYS,
        log: (l) => lines.push(l),
      });
    },
    stateText(state) {
      return fs.readFileSync(path.join(dir, state), "utf8");
    },
    async close() {
      await host.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What the demo touches in SRM (pairings and every step list), to compare before and after. */
export function srmSnapshot(sim: Simulator): string {
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
