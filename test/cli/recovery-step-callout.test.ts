// RecoveryStepCallout through the real pulumi CLI: the declared order whatever order the engine issues the
// creates in, a create whose answer was lost, and the preview of a moved step.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import {
  getPairingOutput,
  getRecoveryPlanOutput,
  RecoveryStepCallout,
  type CalloutAnchorInput,
} from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli, stepOps } from "./harness.js";

interface Step {
  resource: string;
  anchor: CalloutAnchorInput;
  index: number;
  name: string;
}

/** A runbook of five steps: three before the priority 1 VMs, one at the end, one in a failover only. */
const RUNBOOK: Step[] = [
  { resource: "a", anchor: "BEFORE_RECOVER_PRIORITY_1_VMS", index: 0, name: "Check replication" },
  { resource: "b", anchor: "BEFORE_RECOVER_PRIORITY_1_VMS", index: 1, name: "Stop batch jobs" },
  { resource: "c", anchor: "BEFORE_RECOVER_PRIORITY_1_VMS", index: 2, name: "Confirm DNS" },
  { resource: "d", anchor: "AT_END", index: 0, name: "Rebuild indexes" },
  { resource: "e", anchor: "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS", index: 0, name: "Notify owners" },
];

/** The program: the steps in the given declaration order, in the named plan of the default pairing. */
function program(plan: string, steps: Step[]) {
  return () => {
    const site = getPairingOutput({ remoteVcName: "vc-b.example.local" });
    const planId = getRecoveryPlanOutput({ pairingId: site.pairingId, name: plan }).planId;
    const made = steps.map(
      (s) =>
        new RecoveryStepCallout(s.resource, {
          pairingId: site.pairingId,
          planId,
          anchor: s.anchor,
          index: s.index,
          name: s.name,
          content: `echo ${s.name}`,
          calloutType: "RUN_ON_SRM_SERVER",
          timeoutSeconds: 60,
        }),
    );
    return { stepIds: pulumi.all(made.map((m) => m.stepId)) };
  };
}

/** Titles of a plan's test and recovery step lists. */
function lists(sim: Simulator, plan: string): Record<string, string[]> {
  const planId = sim.ids.plans[plan]!;
  const titles = (view: "test" | "recovery") =>
    sim.model.stepsOf(planId, view).map((s) => s.callout?.name ?? s.builtIn!.title);
  return { test: titles("test"), recovery: titles("recovery") };
}

describe("cli: RecoveryStepCallout", function () {
  this.timeout(10 * 60_000);
  let sim: Simulator;
  const stacks: CliStack[] = [];

  before(function () {
    requireCli(this);
  });
  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    while (stacks.length > 0) stacks.pop()!.dispose();
    await sim?.close();
  });
  const stack = async (name: string, prog: () => Record<string, unknown>) => {
    const s = await CliStack.create({ sim, program: prog, stackName: name });
    stacks.push(s);
    return s;
  };

  it("two fresh stacks, one declaring the steps in a shuffled order, give the same step lists", async () => {
    const inOrder = await stack("in-order", program("Tier1-Apps", RUNBOOK));
    const shuffled = await stack(
      "shuffled",
      program(
        "Tier2-DB",
        [4, 2, 0, 3, 1].map((k) => RUNBOOK[k]!),
      ),
    );
    expect((await inOrder.up()).summary.result).to.equal("succeeded");
    expect((await shuffled.up()).summary.result).to.equal("succeeded");
    const a = lists(sim, "Tier1-Apps");
    expect(lists(sim, "Tier2-DB")).to.deep.equal(a);
    // The shared steps are in both workflows; the failover-only one is not in the test list.
    const p1 = a.test.indexOf("Power on priority 1 VMs");
    expect(a.test.slice(p1 - 3, p1)).to.deep.equal(["Check replication", "Stop batch jobs", "Confirm DNS"]);
    expect(a.test.at(-1)).to.equal("Rebuild indexes");
    expect(a.test).to.not.include("Notify owners");
    expect(a.recovery).to.include("Notify owners");
  });

  it("--parallel 1: the shuffled declaration still ends in the declared order", async () => {
    const s = await stack(
      "one-at-a-time",
      program(
        "Tier2-DB",
        [4, 3, 2, 1, 0].map((k) => RUNBOOK[k]!),
      ),
    );
    expect((await s.up({ parallel: 1 })).summary.result).to.equal("succeeded");
    // The names of lower siblings reach the provider host but not the state, where they would grow with the
    // square of the plan's callouts.
    const stored = s.resources("RecoveryStepCallout");
    expect(stored).to.have.length(5);
    for (const r of stored) expect(r.inputs ?? {}).to.not.have.property("siblingsBefore");
    const { test } = lists(sim, "Tier2-DB");
    const p1 = test.indexOf("Power on priority 1 VMs");
    expect(test.slice(p1 - 3, p1)).to.deep.equal(["Check replication", "Stop batch jobs", "Confirm DNS"]);
    expect(test.at(-1)).to.equal("Rebuild indexes");
  });

  it("a create whose answer was lost, then up: each step exactly once", async () => {
    const s = await stack("lost", program("Tier1-Apps", RUNBOOK));
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    // Slow tasks: when the provider looks right after the lost answer, the step is not there yet.
    sim.faults.set({ dropAnswers: { [route]: 1 }, taskDurationMs: 1_500 });
    const failed = await s.up().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed?.message, "the first up reports the create as pending").to.include("pending");
    expect(sim.requests.some((r) => r.route === route && r.answerDropped === 202)).to.equal(true);
    const pending = s.resources("RecoveryStepCallout").filter((r) => r.outputs?.pendingCreate !== undefined);
    expect(pending, "the engine recorded the pending create").to.have.length(1);
    sim.faults.set({ taskDurationMs: undefined });
    const up = await s.up();
    expect(up.summary.result).to.equal("succeeded");
    const names = [...sim.model.stepsOf(sim.ids.plans["Tier1-Apps"]!, "recovery")]
      .filter((x) => x.callout)
      .map((x) => x.callout!.name);
    expect(names.sort()).to.deep.equal(RUNBOOK.map((r) => r.name).sort());
    const state = s.resources("RecoveryStepCallout");
    expect(state.every((r) => r.outputs?.pendingCreate === undefined)).to.equal(true);
    expect(lists(sim, "Tier1-Apps").test.filter((t) => RUNBOOK.some((r) => r.name === t))).to.deep.equal([
      "Check replication",
      "Stop batch jobs",
      "Confirm DNS",
      "Rebuild indexes",
    ]);
  });

  it("a create whose answer was lost, then refresh and destroy: the pending step is found and removed", async () => {
    const s = await stack("lost-then-destroy", program("Tier1-Apps", RUNBOOK));
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    sim.faults.set({ dropAnswers: { [route]: 1 }, taskDurationMs: 1_500 });
    await s.up().then(
      () => expect.fail("the first up should report the create as pending"),
      () => undefined,
    );
    const pending = s.resources("RecoveryStepCallout").filter((r) => r.outputs?.pendingCreate !== undefined);
    expect(pending, "the engine recorded the pending create").to.have.length(1);
    // A recorded resource the dynamic-provider host can load again: the host finds it by `__provider` alone.
    expect(pending[0]!.outputs, "the pending create's outputs")
      .to.have.property("__provider")
      .that.is.a("string");
    sim.faults.set({ taskDurationMs: undefined });
    expect((await s.refresh()).summary.result, "refresh").to.equal("succeeded");
    expect((await s.destroy()).summary.result, "destroy").to.equal("succeeded");
    const left = [...sim.model.stepsOf(sim.ids.plans["Tier1-Apps"]!, "recovery")]
      .filter((x) => x.callout && RUNBOOK.some((r) => r.name === x.callout!.name))
      .map((x) => x.callout!.name);
    expect(left, "the stack's steps SRM still holds").to.deep.equal([]);
  });

  it("previews a moved step as an update of its anchor, and up moves it", async () => {
    let steps = RUNBOOK;
    const s = await stack("move", () => program("Tier1-Apps", steps)());
    expect((await s.up()).summary.result).to.equal("succeeded");
    // The edited program: step "c" goes from before priority 1 to before priority 2 (the first step there).
    steps = RUNBOOK.map((r) =>
      r.resource === "c" ? { ...r, anchor: "BEFORE_RECOVER_PRIORITY_2_VMS" as const, index: 0 } : r,
    );
    const preview = await s.preview({ diff: true });
    expect(preview.changeSummary).to.deep.include({ update: 1 });
    expect(stepOps(s.events)).to.include({ c: "update" });
    expect(preview.stdout).to.include("anchor").and.include("BEFORE_RECOVER_PRIORITY_2_VMS");
    expect((await s.up()).summary.result).to.equal("succeeded");
    const planId = sim.ids.plans["Tier1-Apps"]!;
    const at = (a: "BEFORE_RECOVER_PRIORITY_1_VMS" | "BEFORE_RECOVER_PRIORITY_2_VMS") =>
      (sim.model.customSteps(planId)[a] ?? []).map((x) => x.callout!.name);
    expect(at("BEFORE_RECOVER_PRIORITY_2_VMS")).to.deep.equal(["Confirm DNS"]);
    expect(at("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal(["Check replication", "Stop batch jobs"]);
  });

  it("an index past the end of its anchor: up fails naming the valid range, and SRM holds no new step", async () => {
    const planId = sim.ids.plans["Tier2-DB"]!;
    sim.model.insertCalloutAt(planId, "AT_END", 0, {
      name: "Made in the SRM UI",
      content: "echo made in the UI",
      callout_type: "RUN_ON_SRM_SERVER",
      timeout_seconds: 60,
    });
    const s = await stack(
      "past-the-end",
      program("Tier2-DB", [{ resource: "too-far", anchor: "AT_END", index: 5, name: "Too far" }]),
    );
    const failed = await s.up().then(
      () => undefined,
      (e: Error) => e,
    );
    expect(failed, "up fails").to.be.instanceOf(Error);
    expect(s.log.text)
      .to.include("index 5 is past the end of anchor AT_END in plan " + planId)
      .and.include("valid range is 0..1");
    const route =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    expect(
      sim.requests.filter((r) => r.route === route),
      "no create task",
    ).to.have.length(0);
    expect((sim.model.customSteps(planId).AT_END ?? []).map((x) => x.callout!.name)).to.deep.equal([
      "Made in the SRM UI",
    ]);
    expect(s.resources("RecoveryStepCallout"), "nothing recorded in the stack").to.have.length(0);
  });
});
