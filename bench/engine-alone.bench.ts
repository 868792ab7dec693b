// What the Pulumi engine alone costs for a stack of a given size: the same number of dynamic resources, with the
// same inputs as the callouts, through the same CLI, backend and parallelism, but with a provider whose create
// returns at once and talks to nothing. Its `up` time is the least any dynamic provider's `up` of that many
// resources can take here; beside the SRM stack's floor it shows how much of the overhead is the engine's.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { defaultInventory } from "pulumi-srm-simulator";
import { CliStack } from "../test/cli/harness.js";
import { installedPackage } from "./installed-package.js";
import { calloutArgs, upUntilSummary } from "./stack-up.bench.js";

/** What one engine-alone run measured. */
export interface EngineAloneFigures {
  /** From the first create reaching the provider to the end of `pulumi up` (as the SRM stack's up is counted), ms. */
  up_ms: number;
  /** Bytes of state per resource after up. */
  state_bytes_per_resource: number;
}

// The SRM stack's pairing, so both stacks carry the same inputs (stack-up.bench.ts uses the default inventory).
const PAIRING_ID = defaultInventory().pairings[0]!.id;

/**
 * The provider that does nothing, as the whole export of a module under the stack's node_modules: Pulumi then
 * stores it in state as a `require` of that module, as it stores this package's shims, so its state is no
 * larger than a callout's. Its create notes the first moment a create reached the host (in the file named by
 * the host's SRM_BENCH_FIRST_CREATE) and answers at once.
 */
function instantProvider(nodeModules: string): import("@pulumi/pulumi").dynamic.ResourceProvider {
  const folder = path.join(nodeModules, "srm-bench-instant-provider");
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(
    path.join(folder, "package.json"),
    JSON.stringify({ name: "srm-bench-instant-provider", version: "1.0.0", main: "index.js" }),
  );
  fs.writeFileSync(
    path.join(folder, "index.js"),
    [
      'const fs = require("node:fs");',
      "module.exports = {",
      "  async create(inputs) {",
      "    const mark = process.env.SRM_BENCH_FIRST_CREATE;",
      "    if (mark && !fs.existsSync(mark)) fs.writeFileSync(mark, String(Date.now()));",
      "    return { id: String(inputs.name), outs: inputs };",
      "  },",
      "};",
      "",
    ].join("\n"),
  );
  return require(path.join(folder, "index.js")) as import("@pulumi/pulumi").dynamic.ResourceProvider;
}

/** `up` of `resources` instant dynamic resources through the real CLI, `--parallel` as given. */
export async function runEngineAloneThroughCli(run: {
  resources: number;
  plans: number;
  parallel: number;
}): Promise<EngineAloneFigures> {
  const { dir, nodeModules } = installedPackage();
  // The SDK copy the installed package uses, so the inline program registers with the running engine.
  const pulumi = require(
    require.resolve("@pulumi/pulumi", { paths: [dir] }),
  ) as typeof import("@pulumi/pulumi");
  const marks = fs.mkdtempSync(path.join(os.tmpdir(), "srm-bench-engine-alone-"));
  const firstCreate = path.join(marks, "first-create");
  const instant = instantProvider(nodeModules);
  // Ids of the same length as the simulator's: nothing reads them, but they weigh the same in state.
  const plans = Array.from({ length: run.plans }, (_, k) => `plan-${2001 + k}`);
  class Instant extends pulumi.dynamic.Resource {
    constructor(name: string, props: Record<string, unknown>) {
      super(instant, name, props);
    }
  }
  let stack: CliStack | undefined;
  try {
    stack = await CliStack.create({
      stackName: `engine-alone-${run.resources}-${run.plans}`,
      env: { SRM_BENCH_FIRST_CREATE: firstCreate },
      nodeModules,
      program: () => {
        for (let i = 0; i < run.resources; i++) new Instant(`step-${i}`, calloutArgs(i, PAIRING_ID, plans));
      },
    });
    const upEndedAt = await upUntilSummary(stack, run.parallel);
    const first = Number(fs.readFileSync(firstCreate, "utf8"));
    return {
      up_ms: upEndedAt - first,
      state_bytes_per_resource: stack.checkpointBytes() / run.resources,
    };
  } finally {
    stack?.dispose();
    fs.rmSync(marks, { recursive: true, force: true });
  }
}
