// A wait that stops after SRM (or the appliance) accepted the run is a partial failure: the engine records
// the resource with the task or job it started, and the next `pulumi up` follows that same run to its end
// instead of refusing a plan that is no longer reprotectable or starting a second reconciliation.
import { expect } from "chai";
import { ApplianceReconciliation, Reprotect } from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cli: partial failures of Reprotect and ApplianceReconciliation", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("a timed-out wait records the run; the next up follows it to the end without running it again", async () => {
    const finance = suite.sim.ids.plans.Finance!;
    const stack = await suite.stack({
      program: () => {
        new Reprotect("finance-reprotect", {
          pairingId: suite.sim.ids.pairingId,
          planId: finance,
          taskTimeoutSeconds: 1,
        });
        new ApplianceReconciliation("reconcile", {
          ssoAdminUsername: suite.sim.credentials.ssoUsername,
          ssoAdminPassword: suite.sim.credentials.ssoPassword,
          timeoutSeconds: 1,
        });
      },
    });
    // Both runs take longer than their waits.
    suite.sim.faults.set({ taskDurationMs: 5_000 });
    const failed = await stack.up().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failed, "the first up fails").to.be.instanceOf(Error);
    expect(String(failed)).to.include("did not finish within 1 s");

    const reprotect = stack.resources("Reprotect")[0];
    expect(reprotect, "the reprotect is recorded").to.not.equal(undefined);
    const taskId = reprotect!.id!;
    expect(suite.sim.model.tasks.get(taskId)?.descriptionId).to.include("reprotect");
    expect(reprotect!.outputs).to.include({ taskId, taskStatus: "RUNNING" });
    const reconcile = stack.resources("ApplianceReconciliation")[0];
    expect(reconcile, "the reconciliation is recorded").to.not.equal(undefined);
    expect(reconcile!.outputs).to.include({ jobStatus: "RUNNING" });

    // Both finish in SRM and on the appliance while nobody waits.
    while (
      suite.sim.model.tasks.get(taskId)?.status !== "SUCCESS" ||
      suite.sim.model.appliance.job?.status !== "SUCCEEDED"
    ) {
      await sleep(200);
    }
    suite.sim.faults.reset();
    const reprotectPosts = () =>
      suite.sim.requests.filter((r) => r.method === "POST" && r.path.endsWith("/actions/reprotect"));
    const jobPosts = () =>
      suite.sim.requests.filter((r) => r.method === "POST" && r.path.includes("reconciliation/job"));
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
