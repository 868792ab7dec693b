// A stack of VmRecoverySettings (one per VM of one plan) through the real dynamic-provider host, against
// the simulator with SRM tasks taking `taskMs` and SRM `rttMs` away: preview (check + diff), up (check +
// create: read the settings, write them with their change_version, read them back), refresh (read) and
// destroy (SRM's defaults written back). The group and the plan are made in the simulator beforehand. The CLI
// variant runs the same stack through the real pulumi CLI.
import { VmRecoverySettings } from "../provider/index.js";
import { ProviderHost, type Props } from "../test/host/driver/host-process.js";
import { runProgram } from "../test/host/driver/program-runner.js";
import { defaultInventory, startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack } from "../test/cli/harness.js";

const PROJECT_DIR = require("node:path").resolve(__dirname, "..", "..") as string;

/** What one run measured: each command's time and the SRM requests it sent. */
export interface VmSettingsFigures {
  vms: number;
  parallel: number;
  preview_ms: number;
  preview_srm_requests: number;
  up_ms: number;
  up_srm_requests: number;
  refresh_ms: number;
  refresh_srm_requests: number;
  destroy_ms: number;
  destroy_srm_requests: number;
}

/** One command measured: what it returned, how long it took and how many SRM requests it sent. */
interface Measured<T> {
  result: T;
  ms: number;
  requests: number;
}

/** Times `fn` and counts the requests the simulator served meanwhile. */
async function measure<T>(sim: Simulator, fn: () => Promise<T>): Promise<Measured<T>> {
  const before = sim.requests.length;
  const start = performance.now();
  const result = await fn();
  return { result, ms: performance.now() - start, requests: sim.requests.length - before };
}

/** The figures of the four commands of one run. */
function figures(
  vms: number,
  parallel: number,
  runs: Record<"preview" | "up" | "refresh" | "destroy", Measured<unknown>>,
): VmSettingsFigures {
  return {
    vms,
    parallel,
    preview_ms: runs.preview.ms,
    preview_srm_requests: runs.preview.requests,
    up_ms: runs.up.ms,
    up_srm_requests: runs.up.requests,
    refresh_ms: runs.refresh.ms,
    refresh_srm_requests: runs.refresh.requests,
    destroy_ms: runs.destroy.ms,
    destroy_srm_requests: runs.destroy.requests,
  };
}

function inventoryWith(vms: number) {
  const inv = defaultInventory();
  const site = inv.vcenters.find((v) => v.vcGuid === inv.local.vcGuid)!;
  for (let i = 0; i < vms; i++) {
    site.vms.push({
      id: `vm-${5000 + i}`,
      name: `bench-${i}`,
      folder: "group-v1011",
      datastore: "datastore-1040",
      network: "dvportgroup-1021",
      compute: "resgroup-1032",
      replicated: true,
      replicationStatus: "OK",
    });
  }
  return inv;
}

async function pool<T, R>(items: T[], parallel: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
  return results;
}

function planFor(sim: Simulator, vmIds: string[]): string {
  const pairing = sim.model.pairings.get(sim.ids.pairingId)!;
  const group = sim.model.protection.addGroup({
    pairingId: pairing.id,
    name: "Bench",
    description: null,
    replicationType: "HBR",
    protectedVcGuid: sim.ids.localVcGuid,
    recoveryVcGuid: sim.ids.remoteVcGuid,
    protectedSiteName: "Site-A",
    recoverySiteName: "Site-B",
    vms: vmIds,
    arrayPair: null,
    datastores: [],
  });
  return sim.model.addPlan({
    pairingId: pairing.id,
    name: "Bench-plan",
    description: null,
    protectedVcGuid: sim.ids.localVcGuid,
    recoveryVcGuid: sim.ids.remoteVcGuid,
    protectedSiteName: "Site-A",
    recoverySiteName: "Site-B",
    groupIds: [group.id],
    testNetworks: [],
    vmsToSuspend: [],
  }).id;
}

/** One stack of `vms` VM settings: preview, up, refresh, destroy, each through a fresh host. */
export async function runVmSettingsThroughHost(
  vms: number,
  taskMs: number,
  rttMs: number,
  parallel: number,
): Promise<VmSettingsFigures> {
  const sim = await startSimulator({
    inventory: inventoryWith(vms),
    taskQueuedMs: 0,
    taskDurationMs: taskMs,
  });
  sim.faults.set({ latencyMs: rttMs });
  try {
    const vmIds = Array.from({ length: vms }, (_, i) => `vm-${5000 + i}`);
    const planId = planFor(sim, vmIds);
    const program: { urn: string; inputs: Props }[] = [];
    await runProgram(
      () => {
        vmIds.forEach((vmId, i) => {
          new VmRecoverySettings(`vm-${i}`, {
            pairingId: sim.ids.pairingId,
            planId,
            vmId,
            priority: (i % 5) + 1,
            postPowerOnCommands: [{ name: "smoke", content: `/opt/check ${i}`, kind: "RUN_ON_SRM_SERVER" }],
          });
        });
      },
      {
        preview: true,
        onResource: async (res) => {
          program.push({ urn: res.urn, inputs: res.inputs });
          return { id: "", outputs: {} };
        },
      },
    );
    const config = {
      "srm:host": sim.url,
      "srm:thumbprint": sim.thumbprintSha256,
      "srm:username": sim.credentials.username,
      "srm:password": sim.credentials.password,
    };
    // Each command through a fresh host, as each pulumi command starts its own; the host's start is not timed.
    const command = async <T>(fn: (host: ProviderHost) => Promise<T>) => {
      const host = await ProviderHost.start({ projectDir: PROJECT_DIR });
      await host.configure(config);
      try {
        return await measure(sim, () => fn(host));
      } finally {
        await host.close();
      }
    };
    const preview = await command((host) =>
      pool(program, parallel, async ({ urn, inputs }) => {
        const checked = await host.check(urn, {}, inputs);
        return host.diff("", urn, {}, checked.inputs);
      }),
    );
    const up = await command((host) =>
      pool(program, parallel, async ({ urn, inputs }) => {
        const checked = await host.check(urn, {}, inputs);
        return { urn, ...(await host.create(urn, checked.inputs)) };
      }),
    );
    const refresh = await command((host) =>
      pool(up.result, parallel, ({ id, urn, properties }) => host.read(id, urn, properties)),
    );
    const destroy = await command((host) =>
      pool(up.result, parallel, ({ id, urn, properties }) => host.delete(id, urn, properties)),
    );
    return figures(vms, parallel, { preview, up, refresh, destroy });
  } finally {
    await sim.close();
  }
}

/**
 * The same stack through the real pulumi CLI (Automation API inline program, file backend in a temp folder):
 * preview, up, refresh and destroy with `--parallel`, each timed as the whole command (CLI, engine and host
 * start-up included), with the SRM requests each sent.
 */
export async function runVmSettingsThroughCli(
  vms: number,
  taskMs: number,
  rttMs: number,
  parallel: number,
): Promise<VmSettingsFigures & { engine: string }> {
  const sim = await startSimulator({
    inventory: inventoryWith(vms),
    taskQueuedMs: 0,
    taskDurationMs: taskMs,
  });
  sim.faults.set({ latencyMs: rttMs });
  let stack: CliStack | undefined;
  try {
    const vmIds = Array.from({ length: vms }, (_, i) => `vm-${5000 + i}`);
    const planId = planFor(sim, vmIds);
    stack = await CliStack.create({
      sim,
      stackName: `bench-vm-settings-${vms}`,
      program: () => {
        vmIds.forEach((vmId, i) => {
          new VmRecoverySettings(`vm-${i}`, {
            pairingId: sim.ids.pairingId,
            planId,
            vmId,
            priority: (i % 5) + 1,
            postPowerOnCommands: [{ name: "smoke", content: `/opt/check ${i}`, kind: "RUN_ON_SRM_SERVER" }],
          });
        });
      },
    });
    const s = stack;
    const preview = await measure(sim, () => s.preview({ parallel }));
    const up = await measure(sim, () => s.up({ parallel }));
    // The stack itself is one more create.
    const created = up.result.summary.resourceChanges?.create;
    if (created !== vms + 1) throw new Error(`up created ${String(created)} resources, not ${vms + 1}`);
    const refresh = await measure(sim, () => s.refresh({ parallel }));
    const destroy = await measure(sim, () => s.destroy({ parallel }));
    return { engine: "pulumi CLI", ...figures(vms, parallel, { preview, up, refresh, destroy }) };
  } finally {
    stack?.dispose();
    await sim.close();
  }
}

if (require.main === module) {
  // `node dist/bench/vm-settings.bench.js [vms]`: one stack through the CLI, SRM tasks of 200 ms, 10 ms away.
  const vms = Number(process.argv[2] ?? 200);
  runVmSettingsThroughCli(vms, 200, 10, 32)
    .then((f) => process.stdout.write(`${JSON.stringify(f)}\n`))
    .catch((e: unknown) => {
      process.stderr.write(`${String(e)}\n`);
      process.exitCode = 1;
    });
}
