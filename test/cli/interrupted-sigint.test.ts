// An update interrupted with SIGINT (Ctrl-C once) while creates are in flight. Pulumi documents that the
// first Ctrl-C cancels the update gracefully: no new operation starts, the ones in flight finish and are
// recorded, and the state stays consistent. Then the recovery Pulumi documents, and `up`: each declared
// callout exists exactly once in SRM, and `destroy` leaves nothing.
import { expect } from "chai";
import { RecoveryStepCallout } from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli } from "./harness.js";

/** An anchor of each workflow: test and failover, failover only, test cleanup, reprotect. */
const ANCHOR_IN = {
  test: "BEFORE_RECOVER_PRIORITY_1_VMS",
  recovery: "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS",
  cleanup: "BEFORE_POWER_OFF_RECOVERY_SITE_VMS",
  reprotect: "BEFORE_REVERSE_REPLICATION",
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cli: an update interrupted with SIGINT while creates are in flight", function () {
  this.timeout(10 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    // Each create takes a while, so most of them are still in flight (queued behind their plan's lock) at the
    // interrupt.
    sim = await startSimulator({ taskDurationMs: 1_500 });
  });
  after(async () => {
    if (stack) for (const pid of stack.processes()) process.kill(pid, "SIGKILL");
    stack?.dispose();
    await sim?.close();
  });

  it("SIGINT to pulumi up: in-flight creates finish and are recorded; up then creates the rest, each once", async () => {
    // One callout per workflow: 4 plans x 4 view modes, each at an anchor only that view shows.
    const lists = Object.keys(sim.ids.plans).flatMap((plan) =>
      (["test", "recovery", "cleanup", "reprotect"] as const).map((viewMode) => ({ plan, viewMode })),
    );
    stack = await CliStack.create({
      sim,
      program: () => {
        for (const { plan, viewMode } of lists) {
          new RecoveryStepCallout(`${plan}-${viewMode}`, {
            pairingId: sim.ids.pairingId,
            planId: sim.ids.plans[plan]!,
            anchor: ANCHOR_IN[viewMode],
            index: 0,
            name: `Check ${plan} ${viewMode}`,
            content: `Confirm ${plan} before the ${viewMode} continues`,
            calloutType: "PROMPT",
          });
        }
      },
    });
    const posts = () =>
      sim.requests.filter((r) => r.method === "POST" && r.path.includes("/recovery-steps/")).length;
    const names = lists.map(({ plan, viewMode }) => `Check ${plan} ${viewMode}`).sort();
    const inSrm = () =>
      Object.values(sim.ids.plans)
        .flatMap((planId) => Object.values(sim.model.customSteps(planId)).flat())
        .filter((s) => s?.callout)
        .map((s) => s.callout!.name)
        .sort();

    const run = stack.up().then(
      (r) => `finished: ${r.summary.result}`,
      (e: unknown) => `failed: ${String(e)}`,
    );
    while (posts() === 0) await sleep(50);
    const pid = stack.pulumiPid();
    expect(pid, "the pulumi process").to.be.a("number");
    process.kill(pid!, "SIGINT");
    const atInterrupt = posts();
    const outcome = await run;
    expect(outcome, "the update reports that it was cancelled").to.match(/^failed: .*cancel/is);

    // Graceful: the CLI and the provider host have ended, the lock is released and no operation is pending.
    expect(stack.processes(), "processes of the stack still running").to.deep.equal([]);
    const exported = stack.exportState();
    expect(exported.deployment.pending_operations ?? [], "pending operations in state").to.deep.equal([]);

    // Every step in SRM is recorded in state: nothing was made that the stack does not know of.
    const recorded = stack
      .resources("RecoveryStepCallout")
      .map((r) => r.outputs!.name as string)
      .sort();
    expect(recorded).to.deep.equal(inSrm());
    expect(recorded.length, "creates in flight at the interrupt finished").to.be.greaterThan(atInterrupt);
    expect(recorded.length, "no create started after the interrupt").to.be.lessThan(lists.length);

    // Pulumi's recovery for an interrupted update: refresh (state matches SRM: nothing changes), then up.
    const refreshed = await stack.refresh();
    expect(Object.keys(refreshed.summary.resourceChanges ?? {})).to.deep.equal(["same"]);
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges?.create ?? 0).to.equal(lists.length - recorded.length);
    expect(inSrm(), "each declared step exactly once").to.deep.equal(names);
    expect(stack.resources("RecoveryStepCallout")).to.have.length(lists.length);

    await stack.destroy();
    expect(inSrm()).to.deep.equal([]);
  });
});
