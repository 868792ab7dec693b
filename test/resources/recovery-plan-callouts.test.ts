import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recoveryPlanCalloutsImplementation as impl } from "../../provider/resources/recovery-plan-callouts.js";
import { recoveryStepCalloutImplementation as single } from "../../provider/resources/recovery-step-callout.js";
import { UNKNOWN } from "../../provider/dynamic/unknowns.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, expect, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;
type Step = { name: string; content: string; calloutType: string; timeoutSeconds?: number };

const prompt = (name: string): Step => ({ name, content: `Confirm: ${name}`, calloutType: "PROMPT" });
const command = (name: string): Step => ({
  name,
  content: `/opt/dr/${name.replace(/\W+/g, "-")}.sh`,
  calloutType: "RUN_ON_SRM_SERVER",
  timeoutSeconds: 60,
});

describe("resources: RecoveryPlanCallouts", () => {
  let sim: Simulator;
  let planId: string;

  const inputsOf = (callouts: Record<string, Step[]>, patch: Props = {}): Props => ({
    resourceName: "runbook",
    pairingId: sim?.ids.pairingId ?? "pairing-1",
    planId: planId ?? "plan-1",
    callouts,
    ...patch,
  });
  async function checked(news: Props): Promise<Props> {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  }

  const RUNBOOK = {
    BEFORE_RECOVER_PRIORITY_1_VMS: [
      prompt("Check replication"),
      command("Stop batch jobs"),
      prompt("Confirm DNS"),
    ],
    AT_END: [command("Rebuild indexes")],
    BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: [command("Notify owners")],
  };

  describe("check and diff (no server)", () => {
    it("turns the lists into steps keyed by name, with anchor, index and the timeout default", async () => {
      const inputs = await checked(inputsOf(RUNBOOK));
      expect(inputs).to.not.have.property("callouts");
      expect(inputs.taskTimeoutSeconds).to.equal(300);
      expect(inputs.adopt).to.equal(false);
      expect((inputs.steps as Props)["Confirm DNS"]).to.deep.equal({
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 2,
        calloutType: "PROMPT",
        content: "Confirm: Confirm DNS",
        timeoutSeconds: 0,
      });
      expect(Object.keys(inputs.steps as Props)[0], "listed in SRM's anchor order").to.equal("Notify owners");
    });

    const bad: [string, Props, string][] = [
      ["an anchor no view lists", { callouts: { AT_BEGIN: [prompt("x")] } }, "callouts.AT_BEGIN"],
      [
        "a name used twice",
        { callouts: { AT_END: [prompt("Same")], BEFORE_RECOVER_PRIORITY_2_VMS: [prompt("Same")] } },
        "callouts.BEFORE_RECOVER_PRIORITY_2_VMS[0].name",
      ],
      [
        "a PROMPT with a timeout",
        { callouts: { AT_END: [{ ...prompt("p"), timeoutSeconds: 30 }] } },
        "callouts.AT_END[0].timeoutSeconds",
      ],
      [
        "an unknown callout type",
        { callouts: { AT_END: [{ ...prompt("p"), calloutType: "RUN" }] } },
        "callouts.AT_END[0].calloutType",
      ],
      ["a missing planId", { planId: undefined }, "planId"],
    ];
    for (const [what, patch, field] of bad) {
      it(`fails on ${what}, naming ${field}`, async () => {
        const result = await impl.check({}, { ...inputsOf(RUNBOOK), ...patch });
        expect(result.failures?.map((f) => f.property)).to.deep.equal([field]);
        expect(result.failures?.[0].reason.startsWith(`${field}: `)).to.equal(true);
      });
    }

    it("diff: no change for the same runbook, an update for a moved step, a replacement (delete first) for another plan", async () => {
      const old = { ...(await checked(inputsOf(RUNBOOK))), stepIds: {}, schemaVersion: 1 };
      expect((await impl.diff("x", old, await checked(inputsOf(RUNBOOK)))).changes).to.equal(false);
      const moved = { ...RUNBOOK, AT_END: [...RUNBOOK.AT_END, RUNBOOK.BEFORE_RECOVER_PRIORITY_1_VMS[2]] };
      moved.BEFORE_RECOVER_PRIORITY_1_VMS = RUNBOOK.BEFORE_RECOVER_PRIORITY_1_VMS.slice(0, 2);
      const d = await impl.diff("x", old, await checked(inputsOf(moved)));
      expect(d).to.include({ changes: true });
      expect(d.replaces).to.deep.equal([]);
      const other = await impl.diff("x", old, await checked(inputsOf(RUNBOOK, { planId: "plan-9" })));
      expect(other.replaces).to.deep.equal(["planId"]);
      expect(other.deleteBeforeReplace).to.equal(true);
      const unknown = await impl.diff(
        "x",
        old,
        (await impl.check({}, inputsOf({ AT_END: [{ ...prompt("u"), content: UNKNOWN }] }))).inputs as Props,
      );
      expect(unknown.changes).to.equal(true);
    });
  });

  describe("lifecycle against the simulator", () => {
    let journal: string;
    const saved = process.env.PULUMI_SRM_JOURNAL_DIR;
    beforeEach(async () => {
      sim = await startSimulator();
      planId = sim.ids.plans["Tier1-Apps"];
      journal = fs.mkdtempSync(path.join(os.tmpdir(), "srm-journal-"));
      process.env.PULUMI_SRM_JOURNAL_DIR = journal;
    });
    afterEach(async () => {
      if (saved === undefined) delete process.env.PULUMI_SRM_JOURNAL_DIR;
      else process.env.PULUMI_SRM_JOURNAL_DIR = saved;
      fs.rmSync(journal, { recursive: true, force: true });
      await sim.close();
    });

    const route = (tail: string) =>
      `/pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}${tail}`;
    const count = (method: string, tail: string) =>
      sim.requests.filter((r) => r.route === `${method} ${route(tail)}` && r.status < 400).length;
    const mutations = () => ({
      creates: count("POST", ""),
      deletes: count("DELETE", "/{recovery_step_id}"),
      edits: count("POST", "/{recovery_step_id}/callout-data/actions/edit"),
    });
    const titles = (view: "test" | "recovery") =>
      sim.model.stepsOf(planId, view).map((s) => s.callout?.name ?? `[${s.builtIn!.title}]`);
    const namesAt = (anchor: string) =>
      (sim.model.customSteps(planId)[anchor as "AT_END"] ?? []).map((s) => s.callout!.name);
    const withKey = (p: Props) => ({ ...p, journalKey: "proj/stack/srm:RecoveryPlanCallouts/runbook" });

    it("creates the runbook in the declared order, in the test and the recovery lists", async () => {
      const made = await impl.create(contextOf(sim), await checked(inputsOf(RUNBOOK)));
      expect(made.id).to.equal(`${sim.ids.pairingId}/${planId}`);
      const test = titles("test");
      const p1 = test.indexOf("[Power on priority 1 VMs]");
      expect(test.slice(p1 - 3, p1)).to.deep.equal(["Check replication", "Stop batch jobs", "Confirm DNS"]);
      expect(test.at(-1)).to.equal("Rebuild indexes");
      expect(test).to.not.include("Notify owners");
      expect(titles("recovery")).to.include("Notify owners");
      const outs = made.outs as Props;
      expect(Object.keys(outs.stepIds as Props).sort()).to.deep.equal(
        ["Check replication", "Stop batch jobs", "Confirm DNS", "Rebuild indexes", "Notify owners"].sort(),
      );
      // The stored steps are what the program declared: the next preview shows no change.
      expect((await impl.diff(made.id, outs, await checked(inputsOf(RUNBOOK)))).changes).to.equal(false);
    });

    it("update makes exactly the changes declared: one insert, one edit, one move, one delete; other steps keep their ids", async () => {
      const ctx = contextOf(sim);
      const made = await impl.create(ctx, await checked(inputsOf(RUNBOOK)));
      const before = mutations();
      const ids = (made.outs as Props).stepIds as Record<string, number>;
      const next = {
        // "Stop batch jobs" deleted, "Drain queues" inserted first, "Confirm DNS" moved to priority 2.
        BEFORE_RECOVER_PRIORITY_1_VMS: [command("Drain queues"), prompt("Check replication")],
        BEFORE_RECOVER_PRIORITY_2_VMS: [prompt("Confirm DNS")],
        AT_END: [{ ...command("Rebuild indexes"), content: "/opt/dr/reindex.sh --all" }],
        BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: [command("Notify owners")],
      };
      const updated = await impl.update(ctx, made.id, made.outs as Props, await checked(inputsOf(next)));
      const after = mutations();
      expect({
        creates: after.creates - before.creates,
        deletes: after.deletes - before.deletes,
        edits: after.edits - before.edits,
      }).to.deep.equal({ creates: 2, deletes: 2, edits: 1 });
      expect(namesAt("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal(["Drain queues", "Check replication"]);
      expect(namesAt("BEFORE_RECOVER_PRIORITY_2_VMS")).to.deep.equal(["Confirm DNS"]);
      const now = (updated.outs as Props).stepIds as Record<string, number>;
      for (const kept of ["Check replication", "Rebuild indexes", "Notify owners"])
        expect(now[kept]).to.equal(ids[kept]);
      expect(now["Confirm DNS"]).to.not.equal(ids["Confirm DNS"]);
      expect(
        (await impl.diff(made.id, updated.outs as Props, await checked(inputsOf(next)))).changes,
      ).to.equal(false);
    });

    it("refresh shows a step added and one moved outside Pulumi; the next update removes and moves back", async () => {
      const ctx = contextOf(sim);
      const made = await impl.create(ctx, await checked(inputsOf(RUNBOOK)));
      sim.model.insertCalloutAt(planId, "BEFORE_RECOVER_PRIORITY_1_VMS", 0, {
        name: "Hand-made",
        content: "echo hi",
        callout_type: "RUN_ON_SRM_SERVER",
        timeout_seconds: 30,
      });
      const read = await impl.read(ctx, made.id, made.outs as Props);
      const steps = (read.inputs as Props).steps as Record<string, Props>;
      expect(steps["Hand-made"]).to.include({ anchor: "BEFORE_RECOVER_PRIORITY_1_VMS", index: 0 });
      expect(steps["Confirm DNS"]).to.include({ index: 3 });
      const d = await impl.diff(made.id, read.props as Props, await checked(inputsOf(RUNBOOK)));
      expect(d.changes).to.equal(true);
      await impl.update(ctx, made.id, read.props as Props, await checked(inputsOf(RUNBOOK)));
      expect(namesAt("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal([
        "Check replication",
        "Stop batch jobs",
        "Confirm DNS",
      ]);
    });

    it("refuses a plan with custom steps it did not make, naming them and adopt: true; adopt takes them over", async () => {
      const ctx = contextOf(sim);
      const hand = sim.model.insertCalloutAt(planId, "AT_END", 0, {
        name: "Legacy step",
        content: "echo legacy",
        callout_type: "RUN_ON_SRM_SERVER",
        timeout_seconds: 30,
      });
      const e = await rejectionOf(impl.create(ctx, await checked(inputsOf(RUNBOOK))));
      expect(e.message).to.include(`step ${hand.id}`).and.include("adopt: true").and.include("Legacy step");
      expect(mutations().creates).to.equal(0);
      await impl.create(ctx, await checked(inputsOf(RUNBOOK, { adopt: true })));
      expect(namesAt("AT_END")).to.deep.equal(["Rebuild indexes"]);
    });

    it("a create whose answer was lost, then the engine lost the resource: the next create finds its steps, no duplicate, no adopt", async () => {
      const ctx = contextOf(sim);
      sim.faults.set({ dropAnswers: { [`POST ${route("")}`]: 1 }, taskDurationMs: 300 });
      const inputs = withKey(await checked(inputsOf(RUNBOOK)));
      await rejectionOf(impl.create(ctx, inputs));
      sim.faults.set({ taskDurationMs: undefined });
      // Meanwhile another insert moves the step that first create made.
      const made = await impl.create(ctx, inputs);
      const all = Object.values(sim.model.customSteps(planId))
        .flat()
        .map((s) => s!.callout!.name);
      expect(all.sort()).to.deep.equal(Object.keys((made.outs as Props).stepIds as Props).sort());
      expect(all).to.have.length(5);
      await impl.delete(ctx, made.id, made.outs as Props);
      expect(Object.values(sim.model.customSteps(planId)).flat()).to.have.length(0);
      expect(fs.readdirSync(journal)).to.deep.equal([]);
    });

    it("never shares a plan with RecoveryStepCallout resources, whichever comes first", async () => {
      const ctx = contextOf(sim);
      const one = await single.check(
        {},
        {
          resourceName: "single",
          journalKey: "proj/stack/srm:RecoveryStepCallout/single",
          pairingId: sim.ids.pairingId,
          planId,
          anchor: "AT_END",
          name: "Single",
          content: "echo single",
          calloutType: "RUN_ON_SRM_SERVER",
        },
      );
      const made = await single.create(ctx, one.inputs as Props);
      const e = await rejectionOf(impl.create(ctx, withKey(await checked(inputsOf(RUNBOOK)))));
      expect(e.message).to.include(`RecoveryStepCallout "single"`).and.include("remove");
      expect(namesAt("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal([]);
      await single.delete(ctx, made.id, made.outs as Props);
      // The other way round, on another plan.
      planId = sim.ids.plans["Tier2-DB"];
      await impl.create(ctx, withKey(await checked(inputsOf(RUNBOOK))));
      const refused = await rejectionOf(single.create(ctx, { ...(one.inputs as Props), planId }));
      expect(refused.message).to.include(`RecoveryPlanCallouts "runbook"`).and.include("callouts");
      expect(namesAt("AT_END")).to.deep.equal(["Rebuild indexes"]);
    });

    it("delete removes its steps and leaves the plan as before", async () => {
      const ctx = contextOf(sim);
      const start = titles("recovery");
      const made = await impl.create(ctx, await checked(inputsOf(RUNBOOK)));
      await impl.delete(ctx, made.id, made.outs as Props);
      expect(titles("recovery")).to.deep.equal(start);
      await impl.delete(ctx, made.id, made.outs as Props);
    });

    const many = (n: number) => Array.from({ length: n }, (_, k) => prompt(`Check ${k + 1}`));
    const requestsDuring = async <T>(fn: () => Promise<T>): Promise<[T, Record<string, number>]> => {
      const mark = sim.requests.length;
      const result = await fn();
      const by: Record<string, number> = {};
      for (const r of sim.requests.slice(mark)) by[r.route] = (by[r.route] ?? 0) + 1;
      return [result, by];
    };
    /** Runs `fn` while `during` is called once, as soon as `ready` holds (checked every millisecond). */
    async function meanwhile<T>(fn: () => Promise<T>, ready: () => boolean, during: () => void): Promise<T> {
      let done = false;
      const watch = (async () => {
        while (!done && !ready()) await new Promise((r) => setTimeout(r, 1));
        if (!done) during();
      })();
      try {
        return await fn();
      } finally {
        done = true;
        await watch;
      }
    }

    it("a runbook of 12 steps reads no callout back and lists each view at most twice, however many steps", async () => {
      const [made, by] = await requestsDuring(async () =>
        impl.create(contextOf(sim), await checked(inputsOf({ BEFORE_RECOVER_PRIORITY_1_VMS: many(12) }))),
      );
      expect(namesAt("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal(many(12).map((s) => s.name));
      expect(Object.keys((made.outs as Props).stepIds as Props)).to.have.length(12);
      expect(by[`POST ${route("")}`]).to.equal(12);
      // The listing after the last insert confirms the steps; their callout data is what the inserts wrote, so
      // it is not read back (not every step again before each insert either).
      expect(by[`GET ${route("/{recovery_step_id}/callout-data")}`] ?? 0).to.equal(0);
      // The views before the first insert (which it is placed with) and the views after the last.
      expect(by[`GET ${route("")}`]).to.be.at.most(6);
    });

    it("a step deleted outside Pulumi while the runbook is created is made again: the plan ends as declared", async () => {
      sim.faults.set({ taskDurationMs: 40 });
      const declared = many(6);
      const ours = () => namesAt("BEFORE_RECOVER_PRIORITY_1_VMS");
      const made = await meanwhile(
        async () =>
          impl.create(contextOf(sim), await checked(inputsOf({ BEFORE_RECOVER_PRIORITY_1_VMS: declared }))),
        () => ours().length >= 3,
        () => {
          const second = sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS![1];
          expect(sim.model.deleteStep(planId, "recovery", second.id)).to.equal(true);
        },
      );
      expect(ours()).to.deep.equal(declared.map((s) => s.name));
      const stored = (made.outs as Props).stepIds as Record<string, number>;
      expect(Object.keys(stored)).to.have.length(6);
      expect(
        (
          await impl.diff(
            made.id,
            made.outs as Props,
            await checked(inputsOf({ BEFORE_RECOVER_PRIORITY_1_VMS: declared })),
          )
        ).changes,
      ).to.equal(false);
    });

    /** The create fails part-way through `fault`; the update the next `up` makes from the recorded outputs converges. */
    async function convergesAfter(fault: () => void): Promise<void> {
      sim.faults.set({ taskDurationMs: 40 });
      const ctx = contextOf(sim);
      const declared = { BEFORE_RECOVER_PRIORITY_1_VMS: many(6) };
      const inputs = withKey(await checked(inputsOf(declared)));
      const e = (await rejectionOf(
        meanwhile(
          () => impl.create(ctx, inputs),
          () => namesAt("BEFORE_RECOVER_PRIORITY_1_VMS").length >= 2,
          fault,
        ),
      )) as Error & { id?: string; properties?: Props };
      // Steps were made before the failure: the engine records the resource with what SRM holds.
      expect(e.id).to.equal(`${sim.ids.pairingId}/${planId}`);
      sim.faults.set({ taskDurationMs: undefined });
      const updated = await impl.update(ctx, e.id!, e.properties!, inputs);
      expect(namesAt("BEFORE_RECOVER_PRIORITY_1_VMS")).to.deep.equal(
        declared.BEFORE_RECOVER_PRIORITY_1_VMS.map((s) => s.name),
      );
      expect(Object.keys((updated.outs as Props).stepIds as Props)).to.have.length(6);
      expect((await impl.diff(e.id!, updated.outs as Props, inputs)).changes).to.equal(false);
    }

    it("an insert task that fails part-way: the steps made are recorded, and the next up adds the rest in order", async () => {
      await convergesAfter(() => sim.faults.failNextTasks(1));
    });

    it("an insert whose answer is lost part-way: the next up finds the step it made, no duplicate", async () => {
      await convergesAfter(() => sim.faults.set({ dropAnswers: { [`POST ${route("")}`]: 1 } }));
    });

    it("a step someone adds to the plan while the runbook is created is refused by name, with what to do", async () => {
      sim.faults.set({ taskDurationMs: 40 });
      const ctx = contextOf(sim);
      let hand: { id: number } | undefined;
      const e = await rejectionOf(
        meanwhile(
          async () => impl.create(ctx, await checked(inputsOf({ BEFORE_RECOVER_PRIORITY_1_VMS: many(6) }))),
          () => namesAt("BEFORE_RECOVER_PRIORITY_1_VMS").length >= 2,
          () => {
            hand = sim.model.insertCalloutAt(planId, "BEFORE_RECOVER_PRIORITY_1_VMS", 0, {
              name: "Hand-made",
              content: "echo hi",
              callout_type: "RUN_ON_SRM_SERVER",
              timeout_seconds: 30,
            });
          },
        ),
      );
      expect(e.message).to.include(`"Hand-made" (step ${hand!.id}`).and.include("adopt: true");
      // The steps made so far are recorded (a partial failure): the next `up` continues from there.
      expect((e as Error & { id?: string }).id).to.equal(`${sim.ids.pairingId}/${planId}`);
      expect(namesAt("BEFORE_RECOVER_PRIORITY_1_VMS")).to.include("Hand-made");
    });
  });
});
