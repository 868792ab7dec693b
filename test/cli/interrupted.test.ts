// An update killed while creates are in flight. The engine dies without closing its plugins, and the
// dynamic-provider host still holds the creates queued behind each plan's lock: it must send none of them
// once its engine is gone, and end itself. Then the recovery Pulumi documents for a killed update
// (`pulumi cancel` for the lock, then `pulumi refresh --clear-pending-creates`), and `up`: each declared callout
// exists exactly once in SRM, found through the provider's create journal without `adopt`, and `destroy` leaves
// nothing.
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

describe("cli: an update killed while creates are in flight", function () {
  this.timeout(10 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    // Each create takes a while, so most of them are still queued behind their plan's lock at the kill, and a
    // host that went on after the kill would start a plan's next create while it still lives (2 to 4 s).
    sim = await startSimulator({ taskDurationMs: 1_000 });
  });
  after(async () => {
    if (stack) for (const pid of stack.processes()) process.kill(pid, "SIGKILL");
    stack?.dispose();
    await sim?.close();
  });

  it("SIGKILL of pulumi: the host sends nothing more and exits; refresh --clear-pending-creates then up converge", async () => {
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
    const postRequests = () =>
      sim.requests.filter((r) => r.method === "POST" && r.path.includes("/recovery-steps/"));
    const posts = () => postRequests().length;

    const run = stack.up().then(
      () => "finished",
      (e: unknown) => `failed: ${String(e)}`,
    );
    while (posts() === 0) await sleep(50);
    const pid = stack.pulumiPid();
    expect(pid, "the pulumi process").to.be.a("number");
    process.kill(pid!, "SIGKILL");
    const atKill = posts();
    expect(await run).to.match(/^failed/);

    // The host notices, sends nothing more and ends; so does everything else the CLI had started.
    while (stack.processes().length > 0) await sleep(200);
    const sent = posts();
    // At most the creates that had already passed the check (one per plan lock) reach SRM after the kill.
    const afterKill = postRequests().slice(atKill);
    for (const planId of Object.values(sim.ids.plans)) {
      const ofPlan = afterKill.filter((r) => r.path.includes(`/plans/${planId}/`)).length;
      expect(ofPlan, `creates sent for plan ${planId} after the kill`).to.be.at.most(1);
    }
    expect(sent).to.be.lessThan(lists.length);

    // The killed update still holds the stack's lock; `pulumi cancel` releases it, as the CLI advises.
    await stack.stack.cancel();
    const exported = stack.exportState();
    expect(exported.deployment.pending_operations ?? [], "pending creates in state").to.not.deep.equal([]);
    await stack.refresh({ clearPendingCreates: true });
    expect(stack.exportState().deployment.pending_operations ?? []).to.deep.equal([]);

    // The killed run made some steps that no resource records. The next up finds each of them through the
    // create journal (the step ids that existed before its create), without `adopt`, and makes only the rest.
    const names = lists.map(({ plan, viewMode }) => `Check ${plan} ${viewMode}`).sort();
    const inSrm = () =>
      [...new Set(lists.map(({ plan }) => plan))]
        .flatMap((plan) => Object.values(sim.model.customSteps(sim.ids.plans[plan]!)).flat())
        .filter((s) => s?.callout)
        .map((s) => s.callout!.name)
        .sort();
    const creates = () =>
      sim.requests.filter(
        (r) => r.method === "POST" && /\/recovery-steps\/[a-z]+$/.test(r.path) && r.status === 202,
      ).length;
    // The tasks the killed run started still finish in SRM.
    const busy = () =>
      [...sim.model.tasks.values()].some((t) => t.status === "QUEUED" || t.status === "RUNNING");
    while (busy()) await sleep(100);
    const madeByKilledRun = inSrm().length;
    expect(madeByKilledRun, "steps the killed run made").to.be.greaterThan(0);
    const createsBefore = creates();
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(creates() - createsBefore, "creates the recovery sent").to.equal(lists.length - madeByKilledRun);
    expect(inSrm()).to.deep.equal(names);
    expect(stack.resources("RecoveryStepCallout")).to.have.length(lists.length);

    await stack.destroy();
    expect(inSrm()).to.deep.equal([]);
  });
});
