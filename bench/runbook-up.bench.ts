// The same callouts as the stack of RecoveryStepCallout resources, declared as one RecoveryPlanCallouts per plan
// (the whole runbook of a plan as one resource), through the real pulumi CLI against the simulator: up and
// refresh. With one resource per plan the engine's per-resource cost (a whole-state checkpoint per step) no
// longer grows with the number of callouts, so the ratio shows what the provider itself adds above the floor.
import type { PlanCalloutLists } from "../provider/index.js";
import { CliStack } from "../test/cli/harness.js";
import { installedPackage } from "./installed-package.js";
import { PeakPerPhase } from "./proc-memory.js";
import type { UpProfile } from "./up-profile.js";
import { benchPlans, calloutArgs, measureUp, startBenchSimulator, type StackRun } from "./stack-up.bench.js";

/** What one stack of runbooks measured. */
export interface RunbookFigures {
  /** Callouts in all, spread over `plans` runbooks. */
  callouts: number;
  plans: number;
  /** From the first SRM request of up to its summary (as the callout stack's `up_ms`), ms. */
  up_ms: number;
  floor_ms: number;
  up_overhead_ratio: number;
  up_srm_requests: number;
  requests_per_callout: number;
  refresh_ms: number;
  refresh_srm_requests: number;
  host_rss_mb: number;
  /** Where up spent its time: requests by route, idle gaps between a plan's tasks, lead-in and tail. */
  up_profile: UpProfile;
}

/** Each plan's runbook: the callouts `calloutArgs` gives that plan, in index order at their anchor. */
function runbooks(callouts: number, pairingId: string, plans: readonly string[]) {
  const byPlan = new Map<string, { name: string; content: string; calloutType: "PROMPT" }[]>();
  let anchor: ReturnType<typeof calloutArgs>["anchor"] = "BEFORE_RECOVER_PRIORITY_1_VMS";
  for (let i = 0; i < callouts; i++) {
    const args = calloutArgs(i, pairingId, plans);
    anchor = args.anchor;
    const { name, content, calloutType } = args;
    byPlan.set(args.planId, [...(byPlan.get(args.planId) ?? []), { name, content, calloutType }]);
  }
  return new Map(
    [...byPlan].map(([planId, list]): [string, PlanCalloutLists] => [planId, { [anchor]: list }]),
  );
}

/** Up and refresh of `run.resources` callouts as `run.plans` RecoveryPlanCallouts, through the CLI. */
export async function runRunbooksThroughCli(run: StackRun): Promise<RunbookFigures> {
  const sim = await startBenchSimulator(run);
  const plans = benchPlans(sim, run.plans);
  const memory = new PeakPerPhase("dynamic-provider");
  const { srm, nodeModules } = installedPackage();
  let stack: CliStack | undefined;
  try {
    const declared = runbooks(run.resources, sim.ids.pairingId, plans);
    stack = await CliStack.create({
      sim,
      stackName: `bench-runbooks-${run.resources}-${run.plans}`,
      nodeModules,
      program: () => {
        for (const [planId, callouts] of declared)
          new srm.RecoveryPlanCallouts(`runbook-${planId}`, {
            pairingId: sim.ids.pairingId,
            planId,
            callouts,
          });
      },
    });
    const s = stack;
    const up = await measureUp(sim, s, run.parallel, memory);
    const mark = sim.requests.length;
    const refreshStartedAt = Date.now();
    await memory.during("refresh", () => s.refresh({ parallel: run.parallel }));
    const refreshMs = Date.now() - refreshStartedAt;
    return {
      callouts: run.resources,
      plans: run.plans,
      up_ms: up.up_ms,
      floor_ms: up.floor_ms,
      up_overhead_ratio: up.floor_ms > 0 ? up.up_ms / up.floor_ms : 0,
      up_srm_requests: up.up_srm_requests,
      requests_per_callout: up.up_srm_requests / run.resources,
      refresh_ms: refreshMs,
      refresh_srm_requests: sim.requests.length - mark,
      host_rss_mb: memory.max(),
      up_profile: up.up_profile,
    };
  } finally {
    stack?.dispose();
    await sim.close();
  }
}
