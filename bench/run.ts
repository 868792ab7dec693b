// Benchmarks (not tests): each prints its figures; nothing here asserts timings.
//   npm run bench                  50 and 200 callouts (1 plan and 20 plans), the same as runbooks, task waiter,
//                                  samples baseline
//   npm run bench -- --runs 3      each of those three times; every figure is the median of the runs
//   npm run bench -- --full        three runs (unless --runs says otherwise), then 1000 callouts over 20 plans once
//                                  (as callouts and as runbooks)
//   npm run bench -- --json        the same; the last line is one JSON object with every figure
//   npm run bench -- --host        through the dynamic-provider host even where the pulumi CLI is installed
import { runRunbooksThroughCli, type RunbookFigures } from "./runbook-up.bench.js";
import { runSamplesBaseline } from "./samples-baseline.bench.js";
import {
  cliAvailable,
  runStackThroughCli,
  runStackThroughHost,
  type StackFigures,
  type StackRun,
} from "./stack-up.bench.js";
import { runEngineAloneThroughCli } from "./engine-alone.bench.js";
import { medianOf, ms, printTable } from "./stats.js";
import { runTaskWaitBench, type WaitFigures } from "./task-wait.bench.js";
import { runVmSettingsThroughCli, runVmSettingsThroughHost } from "./vm-settings.bench.js";

/** SRM task time and network round trip of every run. */
const TASK_MS = 200;
const RTT_MS = 10;
/** Resource operations at once, as `pulumi up --parallel 32`: enough for every plan to progress. */
const PARALLEL = 32;
const PLANS = [1, 20];
/** Runbook stacks measured in every run: callouts and plans (1000 over 20 once more with `--full`). */
const RUNBOOK_SIZES: [number, number][] = [
  [50, 1],
  [200, 20],
];

/** One stack of `resources` callouts over `plans` plans, in this run's conditions. */
const stackRun = (resources: number, plans: number): StackRun => ({
  resources,
  plans,
  taskMs: TASK_MS,
  rttMs: RTT_MS,
  parallel: PARALLEL,
});

const round = (n: number, digits = 2) => Number(n.toFixed(digits));

/** A route as the profile table shows it: `POST steps`, `GET task`, `GET callout-data`. */
function shortRoute(route: string): string {
  const [method, path = ""] = route.split(" ");
  const last =
    path
      .split("/")
      .filter((p) => p && !p.startsWith("{"))
      .pop() ?? path;
  const name = path.endsWith("{taskId}") ? "task" : last === "recovery-steps" ? "steps" : last;
  return `${method} ${name}`;
}

/** The value after `--runs`, else 3 with `--full` and 1 without. */
function runsArg(argv: readonly string[], full: boolean): number {
  const at = argv.indexOf("--runs");
  const n = at >= 0 ? Number(argv[at + 1]) : full ? 3 : 1;
  if (!Number.isInteger(n) || n < 1) throw new Error("--runs takes a whole number of runs, at least 1");
  return n;
}

/** A stack through the CLI, then the engine alone at the same size and parallelism. */
async function withEngineAlone(run: Parameters<typeof runStackThroughCli>[0]): Promise<StackFigures> {
  const figures = await runStackThroughCli(run);
  const alone = await runEngineAloneThroughCli(run);
  return {
    ...figures,
    engine_alone_up_ms: alone.up_ms,
    engine_alone_ratio: figures.floor_ms > 0 ? alone.up_ms / figures.floor_ms : 0,
    engine_alone_state_bytes_per_resource: alone.state_bytes_per_resource,
  };
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  const full = args.has("--full");
  const runs = runsArg(argv, full);
  const sizes = [50, 200];
  // The real CLI where it exists (on PATH or built by .ci/pulumi-cli/build.sh); else the host it would spawn.
  const viaCli = cliAvailable() && !args.has("--host");
  // Through the CLI, each stack is followed by the same number of instant dynamic resources (the engine alone).
  const runStack = viaCli ? withEngineAlone : runStackThroughHost;
  console.log(
    `pulumi-srm benchmarks, node ${process.version}, ${new Date().toISOString()}: SRM tasks ${TASK_MS} ms, ` +
      `round trip ${RTT_MS} ms, TLS pinned by thumbprint, through ${viaCli ? "the pulumi CLI" : "the dynamic-provider host"} ` +
      `(parallel ${PARALLEL}); ${runs} run${runs > 1 ? "s, figures are medians" : ""}` +
      `${full ? ", then 1000 callouts over 20 plans once" : ""}`,
  );

  // Runs side by side: each run measures every stack, the samples script and the waiter once, so load that
  // comes and goes on the machine touches all of them alike.
  const stackRuns = new Map<string, StackFigures[]>();
  const baselineRuns: Awaited<ReturnType<typeof runSamplesBaseline>>[] = [];
  const waitRuns: WaitFigures[][] = [];
  // The same callouts as one RecoveryPlanCallouts per plan (needs the CLI: the engine's cost is the point).
  const runbookSizes = viaCli ? RUNBOOK_SIZES : [];
  const runbookRuns = new Map<string, RunbookFigures[]>();
  const baselineSize = 50;
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`run ${run} of ${runs}`);
    for (const resources of sizes) {
      for (const plans of PLANS) {
        const figures = await runStack(stackRun(resources, plans));
        const key = `${resources}/${plans}`;
        stackRuns.set(key, [...(stackRuns.get(key) ?? []), figures]);
        if (runs > 1) {
          console.log(
            `  ${key}: up ${ms(figures.up_ms)} / floor ${ms(figures.floor_ms)} = ` +
              `${figures.up_overhead_ratio.toFixed(3)}x, ${figures.requests_per_create.toFixed(2)} requests per create`,
          );
        }
      }
    }
    for (const [resources, plans] of runbookSizes) {
      const figures = await runRunbooksThroughCli(stackRun(resources, plans));
      const key = `${resources}/${plans}`;
      runbookRuns.set(key, [...(runbookRuns.get(key) ?? []), figures]);
      if (runs > 1) console.log(`  runbooks ${key}: ${figures.up_overhead_ratio.toFixed(3)}x`);
    }
    baselineRuns.push(await runSamplesBaseline(baselineSize, TASK_MS, RTT_MS));
    waitRuns.push(await runTaskWaitBench(RTT_MS));
  }
  const scaling: StackFigures[] = [...stackRuns.values()].map((list) => medianOf(list));
  if (full) {
    // A thousand callouts in one plan is 200 s of serialized SRM tasks; the 20-plan stack shows that size, once.
    scaling.push(await runStack(stackRun(1000, 20)));
  }
  const runbookScaling = [...runbookRuns.values()].map((list) => medianOf(list));
  if (full && viaCli) {
    runbookScaling.push(await runRunbooksThroughCli(stackRun(1000, 20)));
  }
  const runsNote = runs > 1 ? ` (medians of ${runs} runs${full ? "; 1000 callouts: one run" : ""})` : "";
  printTable(
    `Stack of callouts: preview, up, refresh, destroy (floor = serialized SRM task time of up; engine alone = up of ` +
      `as many dynamic resources that do nothing, same CLI and backend)${runsNote}`,
    [
      "callouts",
      "plans",
      "start",
      "preview",
      "preview req",
      "up",
      "floor",
      "up/floor",
      "engine alone/floor",
      "req/create",
      "TLS conn (full)",
      "refresh",
      "refresh req (bound)",
      "destroy",
      "host peak RSS (preview/up/refresh/destroy)",
      "state/resource",
    ],
    scaling.map((f) => [
      String(f.resources),
      String(f.plans),
      ms(f.process_start_ms),
      ms(f.preview_ms),
      String(f.preview_srm_requests),
      ms(f.up_ms),
      ms(f.floor_ms),
      `${f.up_overhead_ratio.toFixed(3)}x`,
      f.engine_alone_ratio === undefined
        ? "-"
        : `${f.engine_alone_ratio.toFixed(3)}x (${ms(f.engine_alone_up_ms ?? 0)})`,
      f.requests_per_create.toFixed(2),
      `${f.tls_connections} (${f.tls_handshakes})`,
      ms(f.refresh_ms),
      `${f.refresh_srm_requests} (${f.refresh_srm_requests_bound})`,
      ms(f.destroy_ms),
      `${f.host_rss_mb.toFixed(0)} MiB (${["preview", "up", "refresh", "destroy"]
        .map((c) => (f.host_rss_mb_by_command[c] ?? 0).toFixed(0))
        .join("/")})`,
      `${f.state_bytes_per_resource.toFixed(0)} B`,
    ]),
  );
  printTable(
    "Where up spent its time above the floor: idle time of a plan between two of its tasks (median: noticing " +
      "the finished task / listing / next insert), before the first task, after the last; requests by kind",
    ["callouts", "plans", "gap median", "detect/list/post", "gap p95", "lead-in", "tail", "requests"],
    scaling.map((f) => [
      String(f.resources),
      String(f.plans),
      ms(f.up_profile.gap_median_ms),
      [
        f.up_profile.gap_parts_median_ms.detect,
        f.up_profile.gap_parts_median_ms.list,
        f.up_profile.gap_parts_median_ms.post,
      ]
        .map((v) => v.toFixed(0))
        .join("/"),
      ms(f.up_profile.gap_p95_ms),
      ms(f.up_profile.lead_in_ms),
      ms(f.up_profile.tail_ms),
      Object.entries(f.up_profile.requests_by_route)
        .map(([route, n]) => `${n} ${shortRoute(route)}`)
        .join(", "),
    ]),
  );

  const vmSettings = viaCli
    ? await runVmSettingsThroughCli(200, TASK_MS, RTT_MS, PARALLEL)
    : {
        engine: "dynamic-provider host",
        ...(await runVmSettingsThroughHost(200, TASK_MS, RTT_MS, PARALLEL)),
      };
  printTable(
    `Stack of VmRecoverySettings (one plan, ${vmSettings.engine}): preview, up, refresh, destroy (defaults written back)`,
    ["VM settings", "preview", "up", "up req", "refresh", "refresh req", "destroy"],
    [
      [
        String(vmSettings.vms),
        ms(vmSettings.preview_ms),
        ms(vmSettings.up_ms),
        String(vmSettings.up_srm_requests),
        ms(vmSettings.refresh_ms),
        String(vmSettings.refresh_srm_requests),
        ms(vmSettings.destroy_ms),
      ],
    ],
  );

  if (runbookScaling.length > 0) {
    printTable(
      `The same callouts as one RecoveryPlanCallouts per plan (through the CLI): up over the same floor${runsNote}`,
      [
        "callouts",
        "runbooks",
        "up",
        "floor",
        "up/floor",
        "req/callout",
        "refresh",
        "refresh req",
        "host RSS",
      ],
      runbookScaling.map((f) => [
        String(f.callouts),
        String(f.plans),
        ms(f.up_ms),
        ms(f.floor_ms),
        `${f.up_overhead_ratio.toFixed(3)}x`,
        f.requests_per_callout.toFixed(2),
        ms(f.refresh_ms),
        String(f.refresh_srm_requests),
        `${f.host_rss_mb.toFixed(0)} MiB`,
      ]),
    );
  } else {
    console.log("\nRunbooks (one RecoveryPlanCallouts per plan): not measured, they need the pulumi CLI.");
  }

  const baseline = medianOf(baselineRuns);
  const ours = scaling.find((f) => f.resources === baselineSize && f.plans === 1)!;
  printTable(
    `Samples-style script (login per callout, one at a time, polling every ${baseline.poll_ms} ms) vs the provider, ${baselineSize} callouts in 1 plan`,
    ["", "up", "floor", "up/floor", "req/create"],
    [
      [
        "samples script",
        ms(baseline.up_ms),
        ms(baseline.floor_ms),
        `${(baseline.up_ms / baseline.floor_ms).toFixed(3)}x`,
        baseline.requests_per_create.toFixed(2),
      ],
      [
        "pulumi-srm",
        ms(ours.up_ms),
        ms(ours.floor_ms),
        `${ours.up_overhead_ratio.toFixed(3)}x`,
        ours.requests_per_create.toFixed(2),
      ],
    ],
  );

  const waits = waitRuns[0]!.map((_, i) => medianOf(waitRuns.map((r) => r[i]!)));
  printTable(
    "Finished task noticed: lag after SRM completed it, and GET /tasks polls per task (running time ±50 %)",
    ["task", "waiter", "tasks", "median lag", "p95 lag", "median polls"],
    waits.map((w) => [
      `${w.task_s} s`,
      w.waiter,
      String(w.tasks),
      ms(w.lag_median_ms),
      ms(w.lag_p95_ms),
      String(w.polls_median),
    ]),
  );

  if (args.has("--json")) {
    const provider = waits.filter((w) => w.waiter === "provider waiter");
    const key = (s: number) => String(s);
    const one = scaling.filter((f) => f.resources === baselineSize && f.plans === 1)[0]!;
    const many = scaling.filter((f) => f.resources === baselineSize && f.plans === 20)[0]!;
    const largest = scaling[scaling.length - 1]!;
    const summary = {
      engine: one.engine,
      runs,
      up_resources: one.resources,
      up_plans: PLANS,
      task_ms: TASK_MS,
      rtt_ms: RTT_MS,
      parallel: PARALLEL,
      process_start_ms: round(one.process_start_ms, 0),
      up_overhead_ratio: { "1": round(one.up_overhead_ratio, 3), "20": round(many.up_overhead_ratio, 3) },
      // The same ratio for instant dynamic resources: the engine's share, which no provider can remove.
      engine_alone_ratio:
        one.engine_alone_ratio === undefined
          ? undefined
          : { "1": round(one.engine_alone_ratio, 3), "20": round(many.engine_alone_ratio ?? 0, 3) },
      requests_per_create: round(Math.max(...scaling.map((f) => f.requests_per_create))),
      tls_handshakes: Math.max(...scaling.map((f) => f.tls_handshakes)),
      tls_connections: Math.max(...scaling.map((f) => f.tls_connections)),
      refresh_srm_requests: one.refresh_srm_requests,
      refresh_srm_requests_bound: one.refresh_srm_requests_bound,
      refresh_within_bound: scaling.every((f) => f.refresh_srm_requests <= f.refresh_srm_requests_bound),
      preview_srm_requests: Math.max(...scaling.map((f) => f.preview_srm_requests)),
      detect_lag_median_ms: Object.fromEntries(
        provider.map((w) => [key(w.task_s), round(w.lag_median_ms, 1)]),
      ),
      detect_lag_p95_ms: Object.fromEntries(provider.map((w) => [key(w.task_s), round(w.lag_p95_ms, 1)])),
      detect_polls_5s: provider.find((w) => w.task_s === 5)!.polls_median,
      host_rss_mb: round(largest.host_rss_mb, 0),
      host_rss_resources: largest.resources,
      state_bytes_per_resource: round(largest.state_bytes_per_resource, 0),
      provider_bytes: largest.provider_bytes,
      baseline_up_ms: round(baseline.up_ms, 0),
      baseline_overhead_ratio: round(baseline.up_ms / baseline.floor_ms, 3),
      baseline_requests_per_create: round(baseline.requests_per_create),
      baseline_poll_ms: baseline.poll_ms,
      baseline_detect_lag_median_ms: Object.fromEntries(
        waits
          .filter((w) => w.waiter !== "provider waiter")
          .map((w) => [key(w.task_s), round(w.lag_median_ms, 1)]),
      ),
      runbook_up_overhead_ratio: Object.fromEntries(
        runbookScaling.map((f) => [`${f.callouts}/${f.plans}`, round(f.up_overhead_ratio, 3)]),
      ),
      runbooks: runbookScaling.map((f) => ({
        ...f,
        up_ms: round(f.up_ms, 0),
        floor_ms: round(f.floor_ms, 0),
        up_overhead_ratio: round(f.up_overhead_ratio, 3),
        requests_per_callout: round(f.requests_per_callout),
        refresh_ms: round(f.refresh_ms, 0),
        host_rss_mb: round(f.host_rss_mb, 0),
      })),
      scaling: scaling.map((f) => ({
        ...f,
        process_start_ms: round(f.process_start_ms, 0),
        preview_ms: round(f.preview_ms, 0),
        up_ms: round(f.up_ms, 0),
        floor_ms: round(f.floor_ms, 0),
        up_overhead_ratio: round(f.up_overhead_ratio, 3),
        engine_alone_up_ms: f.engine_alone_up_ms === undefined ? undefined : round(f.engine_alone_up_ms, 0),
        engine_alone_ratio: f.engine_alone_ratio === undefined ? undefined : round(f.engine_alone_ratio, 3),
        engine_alone_state_bytes_per_resource:
          f.engine_alone_state_bytes_per_resource === undefined
            ? undefined
            : round(f.engine_alone_state_bytes_per_resource, 0),
        requests_per_create: round(f.requests_per_create),
        refresh_ms: round(f.refresh_ms, 0),
        destroy_ms: round(f.destroy_ms, 0),
        host_rss_mb: round(f.host_rss_mb, 0),
        state_bytes_per_resource: round(f.state_bytes_per_resource, 0),
      })),
    };
    console.log(JSON.stringify(summary));
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
