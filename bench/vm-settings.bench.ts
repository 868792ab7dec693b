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

/** What one run measured. */
export interface VmSettingsFigures {
  vms: number;
  parallel: number;
  preview_ms: number;
  up_ms: number;
  up_srm_requests: number;
  refresh_ms: number;
  refresh_srm_requests: number;
  destroy_ms: number;
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

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await fn();
  return [result, performance.now() - start];
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
    const command = async <T>(fn: (host: ProviderHost) => Promise<T>): Promise<[T, number]> => {
      const host = await ProviderHost.start({ projectDir: PROJECT_DIR });
      await host.configure(config);
      try {
        return await timed(() => fn(host));
      } finally {
        await host.close();
      }
    };
    const count = () => sim.requests.length;
    const [, previewMs] = await command((host) =>
      pool(program, parallel, async ({ urn, inputs }) => {
        const checked = await host.check(urn, {}, inputs);
        return host.diff("", urn, {}, checked.inputs);
      }),
    );
    let mark = count();
    const [created, upMs] = await command((host) =>
      pool(program, parallel, async ({ urn, inputs }) => {
        const checked = await host.check(urn, {}, inputs);
        return { urn, ...(await host.create(urn, checked.inputs)) };
      }),
    );
    const upRequests = count() - mark;
    mark = count();
    const [, refreshMs] = await command((host) =>
      pool(created, parallel, ({ id, urn, properties }) => host.read(id, urn, properties)),
    );
    const refreshRequests = count() - mark;
    const [, destroyMs] = await command((host) =>
      pool(created, parallel, ({ id, urn, properties }) => host.delete(id, urn, properties)),
    );
    return {
      vms,
      parallel,
      preview_ms: previewMs,
      up_ms: upMs,
      up_srm_requests: upRequests,
      refresh_ms: refreshMs,
      refresh_srm_requests: refreshRequests,
      destroy_ms: destroyMs,
    };
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
    const count = () => sim.requests.length;
    const [, previewMs] = await timed(() => s.preview({ parallel }));
    let mark = count();
    const [up, upMs] = await timed(() => s.up({ parallel }));
    // The stack itself is one more create.
    const created = up.summary.resourceChanges?.create;
    if (created !== vms + 1) throw new Error(`up created ${String(created)} resources, not ${vms + 1}`);
    const upRequests = count() - mark;
    mark = count();
    const [, refreshMs] = await timed(() => s.refresh({ parallel }));
    const refreshRequests = count() - mark;
    const [, destroyMs] = await timed(() => s.destroy({ parallel }));
    return {
      engine: "pulumi CLI",
      vms,
      parallel,
      preview_ms: previewMs,
      up_ms: upMs,
      up_srm_requests: upRequests,
      refresh_ms: refreshMs,
      refresh_srm_requests: refreshRequests,
      destroy_ms: destroyMs,
    };
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
