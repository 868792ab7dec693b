// A stack of callouts through the real dynamic-provider host (spawned as the engine spawns it, driven over
// gRPC with the real serialized `__provider`), against the simulator with SRM's tasks taking `taskMs` and
// SRM `rttMs` away, TLS pinned by thumbprint. Per stack: preview (check + diff), up (check + create, as many
// at once as the engine's parallelism), refresh (read) and destroy (delete). The floor of `up` is the SRM
// task time that must pass one task after another: a plan's step mutations are serialized, plans run side
// by side, so it is the largest per-plan sum of the tasks' queued-to-complete times, from SRM's own stamps.
import { ProviderHost, type Props } from "../test/host/driver/host-process.js";
import { runProgram } from "../test/host/driver/program-runner.js";
import { defaultInventory, startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, findPulumiCli } from "../test/cli/harness.js";
import { installedPackage } from "./installed-package.js";
import { PeakPerPhase } from "./proc-memory.js";
import { upProfile, type UpProfile } from "./up-profile.js";

const TYPE = "pulumi-nodejs:dynamic/srm:RecoveryStepCallout";

/** What one stack run measured. */
export interface StackFigures {
  /** "pulumi CLI" or "provider host". */
  engine: string;
  resources: number;
  plans: number;
  parallel: number;
  /** Until the first SRM request of up: CLI, engine and host start-up, ms (not part of the ratio). */
  process_start_ms: number;
  preview_ms: number;
  preview_srm_requests: number;
  up_ms: number;
  floor_ms: number;
  up_overhead_ratio: number;
  up_srm_requests: number;
  requests_per_create: number;
  /** Full TLS handshakes of up (with a certificate exchange; a resumed session is not one). */
  tls_handshakes: number;
  /** TLS connections up opened (each one a handshake, full or resumed). */
  tls_connections: number;
  refresh_ms: number;
  refresh_srm_requests: number;
  /** The session's login, one listing per plan in use and one read per callout (its content is not in the listing). */
  refresh_srm_requests_bound: number;
  destroy_ms: number;
  host_rss_mb: number;
  /** Peak RSS of the host per command (preview, up, refresh, destroy), MiB. */
  host_rss_mb_by_command: Record<string, number>;
  /** Bytes of state per resource after up (the checkpoint file over the resources), package installed by npm. */
  state_bytes_per_resource: number;
  /** Bytes of one stored serialized provider (`__provider`; the state holds it twice per resource). */
  provider_bytes: number;
  /** Where up spent its time: requests by route, idle gaps between a plan's tasks, lead-in and tail. */
  up_profile: UpProfile;
  /**
   * Through the CLI: `up` of as many dynamic resources whose create returns at once (engine-alone.bench.ts), ms,
   * counted as `up_ms` is. The least any dynamic provider's `up` of this size takes on this machine and backend.
   */
  engine_alone_up_ms?: number;
  /** `engine_alone_up_ms` over this stack's floor: the part of `up_overhead_ratio` no provider can remove. */
  engine_alone_ratio?: number;
  /** Bytes of state per resource of the engine-alone stack (no more than a callout's, so its checkpoints cost no more). */
  engine_alone_state_bytes_per_resource?: number;
}

/** Settings of a stack run. */
export interface StackRun {
  resources: number;
  plans: number;
  taskMs: number;
  rttMs: number;
  /** Resource operations at once (`pulumi up --parallel`). */
  parallel: number;
}

function inventoryWith(plans: number) {
  const inv = defaultInventory();
  const pairing = inv.pairings[0]!;
  const template = pairing.plans.find((p) => p.status === "READY_STATE")!;
  const editable = () => pairing.plans.filter((p) => p.status === "READY_STATE").length;
  for (let i = pairing.plans.length; editable() < plans; i++) {
    pairing.plans.push({ ...template, id: `plan-${2001 + i}`, name: `Bench-${i + 1}`, callouts: [] });
  }
  return inv;
}

/** Plan ids the stack spreads over: the plans that accept step changes, `count` of them. */
export function benchPlans(sim: Simulator, count: number): string[] {
  const editable = sim.inventory.pairings[0]!.plans.filter((p) => p.status === "READY_STATE").map(
    (p) => p.id,
  );
  if (editable.length < count) throw new Error(`the inventory has only ${editable.length} editable plans`);
  return editable.slice(0, count);
}

/**
 * The arguments of the stack's `i`-th callout: callouts go round the plans, each plan's in index order, so
 * every plan holds `resources / plans` of them.
 */
export function calloutArgs(i: number, pairingId: string, plans: readonly string[]) {
  return {
    pairingId,
    planId: plans[i % plans.length]!,
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS" as const,
    index: Math.floor(i / plans.length),
    name: `Step ${i}`,
    content: `Check service ${i} before the next priority group.`,
    calloutType: "PROMPT" as const,
  };
}

/**
 * `pulumi up` of the stack; resolves with the moment of its last output (its summary, printed once the state is
 * saved), before the Automation API's own follow-up commands.
 */
export async function upUntilSummary(stack: CliStack, parallel: number): Promise<number> {
  let lastOutputAt = 0;
  await stack.up({
    parallel,
    onOutput: (text) => {
      lastOutputAt = Date.now();
      stack.log.add(text);
    },
  });
  return lastOutputAt || Date.now();
}

/** Inputs of the stack's callouts, each with the real serialized provider, as the engine would send them. */
async function programInputs(sim: Simulator, run: StackRun): Promise<{ urn: string; inputs: Props }[]> {
  const plans = benchPlans(sim, run.plans);
  const out: { urn: string; inputs: Props }[] = [];
  const { srm } = installedPackage();
  await runProgram(
    () => {
      for (let i = 0; i < run.resources; i++) {
        new srm.RecoveryStepCallout(`step-${i}`, calloutArgs(i, sim.ids.pairingId, plans));
      }
    },
    {
      preview: true,
      onResource: async (res) => {
        out.push({ urn: res.urn, inputs: res.inputs });
        return { id: "", outputs: {} };
      },
    },
  );
  return out;
}

/** Runs `fn` over `items`, at most `parallel` at once. */
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

/** The serialized task floor: per plan, the sum of its tasks' queued-to-complete times; the largest. */
function taskFloorMs(sim: Simulator, since: number): number {
  const perPlan = new Map<string, number>();
  for (const t of sim.model.tasks.values()) {
    if (t.queuedTime < since || t.completeTime === null || !t.entity) continue;
    perPlan.set(t.entity, (perPlan.get(t.entity) ?? 0) + (t.completeTime - t.queuedTime));
  }
  return Math.max(0, ...perPlan.values());
}

function srmConfig(sim: Simulator): Record<string, string> {
  return {
    "srm:host": sim.url,
    "srm:thumbprint": sim.thumbprintSha256,
    "srm:username": sim.credentials.username,
    "srm:password": sim.credentials.password,
  };
}

/** The simulator a stack runs against: enough editable plans, tasks of `run.taskMs`, SRM `run.rttMs` away. */
export async function startBenchSimulator(run: StackRun): Promise<Simulator> {
  const sim = await startSimulator({
    inventory: inventoryWith(Math.max(run.plans, 4)),
    taskQueuedMs: 0,
    taskDurationMs: run.taskMs,
  });
  sim.faults.set({ latencyMs: run.rttMs });
  return sim;
}

/** What `pulumi up` of a bench stack took, counted from its first SRM request to its summary. */
export interface UpMeasure {
  up_ms: number;
  floor_ms: number;
  up_srm_requests: number;
  /** Until the first SRM request: CLI, engine and host start-up, ms. */
  process_start_ms: number;
  up_profile: UpProfile;
}

/** `pulumi up` of `stack` against `sim`, the host's memory noted as the "up" phase of `memory`. */
export async function measureUp(
  sim: Simulator,
  stack: CliStack,
  parallel: number,
  memory: PeakPerPhase,
): Promise<UpMeasure> {
  const mark = sim.requests.length;
  const upStartedAt = Date.now();
  const upEndedAt = await memory.during("up", () => upUntilSummary(stack, parallel));
  const first = sim.requests[mark]?.time ?? upStartedAt;
  return {
    up_ms: upEndedAt - first,
    floor_ms: taskFloorMs(sim, upStartedAt),
    up_srm_requests: sim.requests.length - mark,
    process_start_ms: first - upStartedAt,
    up_profile: upProfile(sim, mark, upStartedAt, upEndedAt),
  };
}

/** One stack: preview, up, refresh, destroy through a fresh host per command, as the CLI runs them. */
export async function runStackThroughHost(run: StackRun): Promise<StackFigures> {
  const sim = await startBenchSimulator(run);
  const memory = new PeakPerPhase("dynamic-provider");
  try {
    const program = await programInputs(sim, run);
    const command = async <T>(fn: (host: ProviderHost) => Promise<T>): Promise<[T, number, number]> => {
      const [host, startMs] = await timed(async () => {
        const h = await ProviderHost.start({ projectDir: installedPackage().dir });
        await h.configure(srmConfig(sim));
        return h;
      });
      try {
        const [result, ms] = await timed(() => fn(host));
        return [result, ms, startMs];
      } finally {
        await host.close();
      }
    };
    const count = () => sim.requests.length;

    let mark = count();
    const [, previewMs] = await memory.during("preview", () =>
      command((host) =>
        pool(program, run.parallel, async ({ urn, inputs }) => {
          const checked = await host.check(urn, {}, inputs);
          return host.diff("", urn, {}, checked.inputs);
        }),
      ),
    );
    const previewRequests = count() - mark;

    mark = count();
    const [connectionsBefore, handshakesBefore] = [sim.tlsHandshakes, sim.tlsFullHandshakes];
    const upStartedAt = Date.now();
    const [created, upMs, startMs] = await memory.during("up", () =>
      command((host) =>
        pool(program, run.parallel, async ({ urn, inputs }) => {
          const checked = await host.check(urn, {}, inputs);
          const made = await host.create(urn, checked.inputs);
          return { urn, ...made };
        }),
      ),
    );
    const profile = upProfile(sim, mark, upStartedAt, Date.now());
    const upRequests = count() - mark;
    const handshakes = sim.tlsFullHandshakes - handshakesBefore;
    const connections = sim.tlsHandshakes - connectionsBefore;
    const floorMs = taskFloorMs(sim, upStartedAt);

    mark = count();
    const [, refreshMs] = await memory.during("refresh", () =>
      command((host) =>
        pool(created, run.parallel, ({ id, urn, properties }) => host.read(id, urn, properties)),
      ),
    );
    const refreshRequests = count() - mark;

    const [, destroyMs] = await memory.during("destroy", () =>
      command((host) =>
        pool(created, run.parallel, ({ id, urn, properties }) => host.delete(id, urn, properties)),
      ),
    );

    return {
      engine: "provider host",
      resources: run.resources,
      plans: run.plans,
      parallel: run.parallel,
      process_start_ms: startMs,
      preview_ms: previewMs,
      preview_srm_requests: previewRequests,
      up_ms: upMs,
      floor_ms: floorMs,
      up_overhead_ratio: floorMs > 0 ? upMs / floorMs : 0,
      up_srm_requests: upRequests,
      requests_per_create: upRequests / run.resources,
      tls_handshakes: handshakes,
      tls_connections: connections,
      refresh_ms: refreshMs,
      refresh_srm_requests: refreshRequests,
      refresh_srm_requests_bound: 1 + Math.min(run.plans, run.resources) + run.resources,
      destroy_ms: destroyMs,
      host_rss_mb: memory.max(),
      host_rss_mb_by_command: { ...memory.peaks },
      state_bytes_per_resource:
        created.reduce((n, c, i) => n + JSON.stringify([program[i]!.inputs, c.properties]).length, 0) /
        run.resources,
      provider_bytes: String(program[0]?.inputs.__provider ?? "").length,
      up_profile: profile,
    };
  } finally {
    await sim.close();
  }
}

/** Whether the real pulumi CLI is here (on PATH or in the build cache). */
export function cliAvailable(): boolean {
  return findPulumiCli() !== undefined;
}

/**
 * One stack through the real pulumi CLI (Automation API inline program, file backend in a temp folder):
 * preview, up, refresh, destroy with `--parallel`. The up time counts from the first SRM request (the CLI,
 * the engine and the host have started by then; that start is reported separately) to the command's last
 * output (its summary, printed once the state is saved); the Automation API's own follow-up commands after it
 * are not counted.
 */
export async function runStackThroughCli(run: StackRun): Promise<StackFigures> {
  const sim = await startBenchSimulator(run);
  const plans = benchPlans(sim, run.plans);
  const memory = new PeakPerPhase("dynamic-provider");
  const { srm, nodeModules } = installedPackage();
  let stack: CliStack | undefined;
  try {
    stack = await CliStack.create({
      sim,
      stackName: `bench-${run.resources}-${run.plans}`,
      nodeModules,
      program: () => {
        for (let i = 0; i < run.resources; i++) {
          new srm.RecoveryStepCallout(`step-${i}`, calloutArgs(i, sim.ids.pairingId, plans));
        }
      },
    });
    const s = stack;
    const count = () => sim.requests.length;
    let mark = count();
    const [, previewMs] = await memory.during("preview", () =>
      timed(() => s.preview({ parallel: run.parallel })),
    );
    const previewRequests = count() - mark;

    const [connectionsBefore, handshakesBefore] = [sim.tlsHandshakes, sim.tlsFullHandshakes];
    const up = await measureUp(sim, s, run.parallel, memory);
    const handshakes = sim.tlsFullHandshakes - handshakesBefore;
    const connections = sim.tlsHandshakes - connectionsBefore;
    const stateBytes = s.checkpointBytes();
    const stored = s.resources("RecoveryStepCallout")[0]?.inputs?.__provider;

    mark = count();
    const [, refreshMs] = await memory.during("refresh", () =>
      timed(() => s.refresh({ parallel: run.parallel })),
    );
    const refreshRequests = count() - mark;
    const [, destroyMs] = await memory.during("destroy", () =>
      timed(() => s.destroy({ parallel: run.parallel })),
    );

    return {
      engine: "pulumi CLI",
      resources: run.resources,
      plans: run.plans,
      parallel: run.parallel,
      process_start_ms: up.process_start_ms,
      preview_ms: previewMs,
      preview_srm_requests: previewRequests,
      up_ms: up.up_ms,
      floor_ms: up.floor_ms,
      up_overhead_ratio: up.floor_ms > 0 ? up.up_ms / up.floor_ms : 0,
      up_srm_requests: up.up_srm_requests,
      requests_per_create: up.up_srm_requests / run.resources,
      tls_handshakes: handshakes,
      tls_connections: connections,
      refresh_ms: refreshMs,
      refresh_srm_requests: refreshRequests,
      refresh_srm_requests_bound: 1 + Math.min(run.plans, run.resources) + run.resources,
      destroy_ms: destroyMs,
      host_rss_mb: memory.max(),
      host_rss_mb_by_command: { ...memory.peaks },
      state_bytes_per_resource: stateBytes / run.resources,
      provider_bytes: typeof stored === "string" ? stored.length : 0,
      up_profile: up.up_profile,
    };
  } finally {
    stack?.dispose();
    await sim.close();
  }
}

export { TYPE as CALLOUT_TYPE };
