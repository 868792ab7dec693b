// A wait that stops after SRM (or the appliance) accepted the run is a partial failure: the engine records
// the resource with the task or job it started, and the next `pulumi up` follows that same run to its end
// instead of refusing a plan that is no longer reprotectable or starting a second reconciliation.
import { expect } from "chai";
import { ApplianceReconciliation, Reprotect } from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli, stepOps } from "./harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cli: partial failures of Reprotect and ApplianceReconciliation", function () {
  this.timeout(10 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    sim = await startSimulator();
  });
  after(async () => {
    stack?.dispose();
    await sim?.close();
  });

  it("a timed-out wait records the run; the next up follows it to the end without running it again", async () => {
    const finance = sim.ids.plans.Finance!;
    stack = await CliStack.create({
      sim,
      program: () => {
        new Reprotect("finance-reprotect", {
          pairingId: sim.ids.pairingId,
          planId: finance,
          taskTimeoutSeconds: 1,
        });
        new ApplianceReconciliation("reconcile", {
          ssoAdminUsername: sim.credentials.ssoUsername,
          ssoAdminPassword: sim.credentials.ssoPassword,
          timeoutSeconds: 1,
        });
      },
    });
    // Both runs take longer than their waits.
    sim.faults.set({ taskDurationMs: 5_000 });
    const failed = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed, "the first up fails").to.be.instanceOf(Error);
    expect(String(failed)).to.include("did not finish within 1 s");

    const reprotect = stack.resources("Reprotect")[0];
    expect(reprotect, "the reprotect is recorded").to.not.equal(undefined);
    const taskId = reprotect!.id!;
    expect(sim.model.tasks.get(taskId)?.descriptionId).to.include("reprotect");
    expect(reprotect!.outputs).to.include({ taskId, taskStatus: "RUNNING" });
    const reconcile = stack.resources("ApplianceReconciliation")[0];
    expect(reconcile, "the reconciliation is recorded").to.not.equal(undefined);
    expect(reconcile!.outputs).to.include({ jobStatus: "RUNNING" });

    // Both finish in SRM and on the appliance while nobody waits.
    while (
      sim.model.tasks.get(taskId)?.status !== "SUCCESS" ||
      sim.model.appliance.job?.status !== "SUCCEEDED"
    ) {
      await sleep(200);
    }
    sim.faults.reset();
    const reprotectPosts = () =>
      sim.requests.filter((r) => r.method === "POST" && r.path.endsWith("/actions/reprotect"));
    const jobPosts = () =>
      sim.requests.filter((r) => r.method === "POST" && r.path.includes("reconciliation/job"));
    expect(reprotectPosts()).to.have.length(1);
    expect(jobPosts()).to.have.length(1);

    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(stepOps(stack.events)).to.deep.equal({ "finance-reprotect": "update", reconcile: "update" });
    expect(stack.resources("Reprotect")[0]!.outputs).to.include({
      taskId,
      taskStatus: "SUCCESS",
      planStatus: "READY_STATE",
    });
    expect(stack.resources("ApplianceReconciliation")[0]!.outputs).to.include({ jobStatus: "SUCCEEDED" });
    expect(reprotectPosts()).to.have.length(1);
    expect(jobPosts()).to.have.length(1);

    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 3 });
    await stack.destroy();
  });
});
