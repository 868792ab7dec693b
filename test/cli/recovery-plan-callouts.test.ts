// RecoveryPlanCallouts through the real pulumi CLI: a plan's whole runbook created by up; the preview of an edited
// program shows exactly the inserted, moved and deleted steps; an empty preview after up; steps added or deleted
// outside Pulumi are reported by refresh and repaired by up; a RecoveryStepCallout on the same plan is refused;
// destroy leaves the plan's steps as before.
import { expect } from "chai";
import {
  getPairingOutput,
  getRecoveryPlanOutput,
  RecoveryPlanCallouts,
  RecoveryStepCallout,
  type PlanCalloutLists,
} from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

const prompt = (name: string) => ({ name, content: `Confirm: ${name}`, calloutType: "PROMPT" as const });
const command = (name: string) => ({
  name,
  content: `/opt/dr/${name.toLowerCase().replace(/\W+/g, "-")}.sh`,
  calloutType: "RUN_ON_SRM_SERVER" as const,
  timeoutSeconds: 60,
});

const RUNBOOK: PlanCalloutLists = {
  BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: [command("Notify owners")],
  BEFORE_RECOVER_PRIORITY_1_VMS: [
    prompt("Check replication"),
    command("Stop batch jobs"),
    prompt("Confirm DNS"),
  ],
  AT_END: [command("Rebuild indexes")],
};
/** The edited runbook: "Drain queues" inserted, "Confirm DNS" moved to priority 2, "Stop batch jobs" deleted. */
const EDITED: PlanCalloutLists = {
  BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: [command("Notify owners")],
  BEFORE_RECOVER_PRIORITY_1_VMS: [command("Drain queues"), prompt("Check replication")],
  BEFORE_RECOVER_PRIORITY_2_VMS: [prompt("Confirm DNS")],
  AT_END: [command("Rebuild indexes")],
};

describe("cli: RecoveryPlanCallouts", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  /** Titles of the plan's test and recovery lists, built-in steps in brackets. */
  const lists = () => {
    const planId = suite.sim.ids.plans["Tier1-Apps"]!;
    const titles = (view: "test" | "recovery") =>
      suite.sim.model.stepsOf(planId, view).map((s) => s.callout?.name ?? `[${s.builtIn!.title}]`);
    return { test: titles("test"), recovery: titles("recovery") };
  };
  /** Custom step names at each anchor, in SRM's order. */
  const anchors = () =>
    Object.fromEntries(
      Object.entries(suite.sim.model.customSteps(suite.sim.ids.plans["Tier1-Apps"]!))
        .filter(([, steps]) => (steps ?? []).length > 0)
        .map(([a, steps]) => [a, steps!.map((s) => s.callout!.name)]),
    );
  const expected = (r: PlanCalloutLists) =>
    Object.fromEntries(
      Object.entries(r).map(([a, steps]) => [a, (steps as { name: string }[]).map((s) => s.name)]),
    );

  it("up, the preview of an insert, a move and a delete, up, empty preview, drift, destroy", async () => {
    let runbook = RUNBOOK;
    let extraCallout = false;
    const start = lists();
    const stack = await suite.stack({
      program: () => {
        const site = getPairingOutput({ remoteVcName: "vc-b.example.local" });
        const planId = getRecoveryPlanOutput({ pairingId: site.pairingId, name: "Tier1-Apps" }).planId;
        const r = new RecoveryPlanCallouts("runbook", {
          pairingId: site.pairingId,
          planId,
          callouts: runbook,
        });
        if (extraCallout) {
          new RecoveryStepCallout("single", {
            pairingId: site.pairingId,
            planId,
            anchor: "AT_END",
            index: 1,
            name: "Single step",
            content: "echo single",
            calloutType: "RUN_ON_SRM_SERVER",
          });
        }
        return { stepIds: r.stepIds };
      },
    });

    const mark = suite.sim.requests.length;
    expect((await stack.up()).summary.result).to.equal("succeeded");
    expect(anchors()).to.deep.equal(expected(RUNBOOK));
    const calloutReads = suite.sim.requests
      .slice(mark)
      .filter(
        (r) =>
          r.route ===
          "GET /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}/{recovery_step_id}/callout-data",
      );
    expect(
      calloutReads,
      "what up wrote is not read back; the listing after the inserts confirms the steps",
    ).to.have.length(0);
    const p1 = lists().test.indexOf("[Power on priority 1 VMs]");
    expect(lists().test.slice(p1 - 3, p1)).to.deep.equal([
      "Check replication",
      "Stop batch jobs",
      "Confirm DNS",
    ]);
    expect(lists().test, "failover only").to.not.include("Notify owners");
    const firstIds = (await stack.stack.outputs()).stepIds.value as Record<string, number>;

    runbook = EDITED;
    const preview = await stack.preview({ diff: true });
    expect(preview.changeSummary).to.deep.include({ update: 1 });
    expect(stepOps(stack.events)).to.include({ runbook: "update" });
    const out = preview.stdout;
    expect(out).to.match(/\+\s+Drain queues\s*:/);
    expect(out).to.match(/-\s+Stop batch jobs\s*:/);
    expect(out).to.match(
      /~\s+Confirm DNS\s*:[\s\S]*?~\s+anchor\s*:\s*"BEFORE_RECOVER_PRIORITY_1_VMS"\s*=>\s*"BEFORE_RECOVER_PRIORITY_2_VMS"/,
    );
    expect(out, "unchanged steps are not shown").to.not.match(/[~+-]\s+(Notify owners|Rebuild indexes)\s*:/);

    expect((await stack.up()).summary.result).to.equal("succeeded");
    expect(anchors()).to.deep.equal(expected(EDITED));
    const ids = (await stack.stack.outputs()).stepIds.value as Record<string, number>;
    for (const kept of ["Notify owners", "Check replication", "Rebuild indexes"])
      expect(ids[kept]).to.equal(firstIds[kept]);
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 2 });

    // Outside Pulumi: a step added before priority 1, and one of the runbook's deleted.
    const planId = suite.sim.ids.plans["Tier1-Apps"]!;
    suite.sim.model.insertCalloutAt(planId, "BEFORE_RECOVER_PRIORITY_1_VMS", 0, {
      name: "Hand-made",
      content: "echo by hand",
      callout_type: "RUN_ON_SRM_SERVER",
      timeout_seconds: 30,
    });
    suite.sim.model.deleteStep(planId, "recovery", ids["Rebuild indexes"]!);
    const refresh = await stack.refresh();
    expect(refresh.summary.resourceChanges).to.deep.include({ update: 1 });
    const refreshed = stack.resources("RecoveryPlanCallouts")[0]!;
    expect(Object.keys(refreshed.outputs?.steps as object))
      .to.include("Hand-made")
      .and.not.include("Rebuild indexes");
    const drift = await stack.preview({ diff: true });
    expect(drift.changeSummary).to.deep.include({ update: 1 });
    expect(drift.stdout)
      .to.match(/-\s+Hand-made\s*:/)
      .and.match(/\+\s+Rebuild indexes\s*:/);
    expect((await stack.up()).summary.result).to.equal("succeeded");
    expect(anchors()).to.deep.equal(expected(EDITED));

    // A single callout on a plan the runbook owns is refused, and SRM is left as it was.
    extraCallout = true;
    const refused = await stack.up().then(
      () => "",
      (e: Error) => e.message,
    );
    expect(refused).to.include('RecoveryPlanCallouts "runbook"').and.include("callouts");
    expect(anchors()).to.deep.equal(expected(EDITED));
    extraCallout = false;

    await stack.destroy();
    expect(lists()).to.deep.equal(start);
  });
});
