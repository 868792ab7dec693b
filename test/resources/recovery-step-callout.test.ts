import fc from "fast-check";
import { CALLOUT_TYPES, VIEW_MODES } from "../../provider/api/index.js";
import { recoveryStepCalloutImplementation as impl } from "../../provider/resources/recovery-step-callout.js";
import { UNKNOWN } from "../../provider/resources/unknowns.js";
import { srmClientFor } from "../../provider/resources/provider-context.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, errorText, expect, expectNoPasswords, passwordsOf, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

describe("resources: RecoveryStepCallout", () => {
  let sim: Simulator;
  let planId: string;

  const inputsOf = (patch: Props = {}): Props => ({
    resourceName: "notify",
    pairingId: sim?.ids.pairingId ?? "pairing-1",
    planId: planId ?? "plan-1",
    viewMode: "test",
    position: 1,
    name: "Notify DBA",
    content: "/opt/dr/notify.sh --plan Tier1",
    calloutType: "RUN_ON_SRM_SERVER",
    timeoutSeconds: 120,
    ...patch,
  });

  async function checked(news: Props): Promise<Props> {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  }

  const stepsOf = (viewMode: "test" | "recovery" = "test") => sim.model.stepsOf(planId, viewMode);

  describe("check (no server)", () => {
    it("defaults timeoutSeconds to 0 for a PROMPT and 300 for commands, and taskTimeoutSeconds to 300", async () => {
      const prompt = await checked(inputsOf({ calloutType: "PROMPT", timeoutSeconds: undefined }));
      expect(prompt).to.include({ timeoutSeconds: 0, taskTimeoutSeconds: 300 });
      const command = await checked(inputsOf({ calloutType: "RUN_ON_VM", timeoutSeconds: undefined }));
      expect(command).to.include({ timeoutSeconds: 300 });
    });

    const bad: [string, Props, string][] = [
      ["an unknown view mode", { viewMode: "failover" }, "viewMode"],
      ["an unknown callout type", { calloutType: "RUN_ON_HOST" }, "calloutType"],
      ["a negative position", { position: -1 }, "position"],
      ["a fractional position", { position: 1.5 }, "position"],
      ["timeoutSeconds 60000", { timeoutSeconds: 60000 }, "timeoutSeconds"],
      ["a negative timeoutSeconds", { timeoutSeconds: -1 }, "timeoutSeconds"],
      ["a PROMPT with a timeout", { calloutType: "PROMPT", timeoutSeconds: 30 }, "timeoutSeconds"],
      ["an empty name", { name: "" }, "name"],
      ["an empty content", { content: "" }, "content"],
      ["a missing planId", { planId: undefined }, "planId"],
      ["taskTimeoutSeconds 0", { taskTimeoutSeconds: 0 }, "taskTimeoutSeconds"],
    ];
    for (const [what, patch, field] of bad) {
      it(`fails on ${what}, naming ${field}`, async () => {
        const result = await impl.check({}, inputsOf(patch));
        expect(result.failures?.map((f) => f.property)).to.deep.equal([field]);
        expect(result.failures?.[0].reason.startsWith(`${field}: `)).to.equal(true);
      });
    }

    it("accepts a PROMPT with timeoutSeconds 0", async () => {
      await checked(inputsOf({ calloutType: "PROMPT", timeoutSeconds: 0 }));
    });

    it("skips rules on unknown values (type unknown with a timeout, unknown ids)", async () => {
      const result = await impl.check(
        {},
        inputsOf({ calloutType: UNKNOWN, pairingId: UNKNOWN, position: UNKNOWN }),
      );
      expect(result.failures ?? []).to.deep.equal([]);
      expect(result.inputs).to.include({
        calloutType: UNKNOWN,
        pairingId: UNKNOWN,
        position: UNKNOWN,
        timeoutSeconds: 120,
      });
    });

    const validInput = fc
      .record({
        pairingId: fc.string({ minLength: 1 }),
        planId: fc.string({ minLength: 1 }),
        viewMode: fc.constantFrom(...VIEW_MODES),
        position: fc.nat(),
        name: fc.string({ minLength: 1 }),
        content: fc.string({ minLength: 1 }),
        calloutType: fc.constantFrom(...CALLOUT_TYPES),
        timeout: fc.option(fc.integer({ min: 0, max: 59999 }), { nil: undefined }),
      })
      .map(({ timeout, ...rest }) => ({
        ...rest,
        timeoutSeconds: rest.calloutType === "PROMPT" ? (timeout === undefined ? undefined : 0) : timeout,
      }));

    it("property: every valid callout passes check with its values kept", async () => {
      await fc.assert(
        fc.asyncProperty(validInput, async (input) => {
          const result = await impl.check({}, input);
          expect(result.failures ?? []).to.deep.equal([]);
          expect(result.inputs).to.include({
            name: input.name,
            position: input.position,
            viewMode: input.viewMode,
          });
        }),
      );
    });

    it("property: a timeoutSeconds outside 0..59999 always fails, naming timeoutSeconds", async () => {
      const outside = fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 60000 }));
      await fc.assert(
        fc.asyncProperty(validInput, outside, async (input, timeoutSeconds) => {
          const result = await impl.check({}, { ...input, timeoutSeconds });
          expect(result.failures?.map((f) => f.property)).to.deep.equal(["timeoutSeconds"]);
        }),
      );
    });

    it("property: every other position than a whole number >= 0 fails, naming position", async () => {
      const badPosition = fc.oneof(
        fc.integer({ max: -1 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
        fc.string(),
      );
      await fc.assert(
        fc.asyncProperty(validInput, badPosition, async (input, position) => {
          const result = await impl.check({}, { ...input, position });
          expect(result.failures?.map((f) => f.property)).to.deep.equal(["position"]);
        }),
      );
    });
  });

  describe("diff (no server)", () => {
    const olds = () => ({ ...inputsOf(), taskTimeoutSeconds: 300, stepId: 7, schemaVersion: 1 });

    it("reports no change for the same inputs", async () => {
      expect((await impl.diff("x", olds(), inputsOf())).changes).to.equal(false);
    });

    for (const [field, value] of [
      ["pairingId", "other-pairing"],
      ["planId", "other-plan"],
      ["viewMode", "recovery"],
      ["position", 3],
    ] as const) {
      it(`replaces, deleting first, when ${field} changes`, async () => {
        const d = await impl.diff("x", olds(), inputsOf({ [field]: value }));
        expect(d).to.deep.include({ changes: true, replaces: [field], deleteBeforeReplace: true });
      });
      it(`replaces when ${field} is unknown`, async () => {
        const d = await impl.diff("x", olds(), inputsOf({ [field]: UNKNOWN }));
        expect(d.replaces).to.deep.equal([field]);
      });
    }

    for (const [field, value] of [
      ["name", "Page on-call"],
      ["content", "/opt/dr/other.sh"],
      ["calloutType", "RUN_ON_VM"],
      ["timeoutSeconds", 600],
      ["taskTimeoutSeconds", 900],
    ] as const) {
      it(`updates in place when ${field} changes`, async () => {
        const d = await impl.diff("x", olds(), inputsOf({ [field]: value }));
        expect(d).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
      });
    }
  });

  describe("lifecycle against the simulator", () => {
    beforeEach(async () => {
      sim = await startSimulator();
      planId = sim.ids.plans["Tier1-Apps"];
    });
    afterEach(async () => {
      await sim.close();
    });

    it("creates the callout at its position and returns full outputs", async () => {
      const result = await impl.create(contextOf(sim), await checked(inputsOf()));
      const outs = result.outs as Props;
      const step = stepsOf()[1];
      expect(step.callout?.name).to.equal("Notify DBA");
      expect(outs).to.include({
        stepId: step.id,
        currentPosition: 1,
        adopted: false,
        name: "Notify DBA",
        timeoutSeconds: 120,
        schemaVersion: 1,
      });
      expect(outs.taskId).to.be.a("string");
      expect(outs.calloutId).to.equal(step.callout?.id);
      expect(result.id).to.equal(`${sim.ids.pairingId}/${planId}/test/${step.id}`);
      expectNoPasswords(outs, passwordsOf(sim));
    });

    it("refuses a position past the end, naming the valid range, before starting any task", async () => {
      const steps = sim.model.stepsOf(planId, "test").length;
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ position: steps + 5 }))),
      );
      expect(errorText(e)).to.include(`valid positions are 0 to ${steps}`).and.include("position");
      expect(
        sim.requests.filter((r) => r.method === "POST" && r.path.includes("/recovery-steps")),
      ).to.deep.equal([]);
    });

    it("adopts an identical callout already at the position instead of adding a duplicate", async () => {
      const ctx = contextOf(sim);
      const first = await impl.create(ctx, await checked(inputsOf()));
      const lengthBefore = stepsOf().length;
      // The same resource created again (its state was lost): the callout it made is adopted.
      const second = await impl.create(ctx, await checked(inputsOf()));
      expect(second.id).to.equal(first.id);
      expect(second.outs).to.include({ adopted: true });
      expect(stepsOf()).to.have.length(lengthBefore);
      expect(
        sim.requests.filter((r) => r.method === "POST" && r.route.endsWith("/recovery-steps/{view_mode}")),
      ).to.have.length(1);
    });

    it("adopts an identical callout made outside Pulumi", async () => {
      const ctx = contextOf(sim);
      const i = await checked(inputsOf({ resourceName: "made-by-hand" }));
      const hand = sim.model.insertCallout(planId, "test", Number(i.position), {
        name: String(i.name),
        content: String(i.content),
        callout_type: i.calloutType as "RUN_ON_SRM_SERVER",
        timeout_seconds: Number(i.timeoutSeconds),
      });
      const adopted = await impl.create(ctx, i);
      expect(adopted.outs).to.include({ adopted: true, stepId: hand.id });
    });

    it("gives two resources that declare the same callout a step each, never one shared step", async () => {
      const ctx = contextOf(sim);
      const first = await impl.create(ctx, await checked(inputsOf({ resourceName: "notify" })));
      const second = await impl.create(ctx, await checked(inputsOf({ resourceName: "notify-copy" })));
      expect(second.id).to.not.equal(first.id);
      expect(second.outs).to.include({ adopted: false });
    });

    it("does not adopt a callout that differs (content) and inserts a new one", async () => {
      const ctx = contextOf(sim);
      const first = await impl.create(ctx, await checked(inputsOf()));
      const second = await impl.create(
        ctx,
        await checked(inputsOf({ content: "/opt/dr/notify.sh --plan Other" })),
      );
      expect(second.id).to.not.equal(first.id);
      expect(second.outs).to.include({ adopted: false, currentPosition: 1 });
    });

    it("finds the new step by listing when the task carries no step id", async () => {
      await sim.close();
      sim = await startSimulator({ calloutTaskResult: false });
      const result = await impl.create(contextOf(sim), await checked(inputsOf({ position: 0 })));
      expect((result.outs as Props).stepId).to.equal(stepsOf()[0].id);
    });

    const listings = () =>
      sim.requests.filter(
        (r) => r.method === "GET" && r.path.endsWith(`/plans/${planId}/recovery-steps/test`),
      ).length;

    it("lists the plan once per insert for many creates, and once for a refresh of them all", async () => {
      const ctx = contextOf(sim);
      const created = await Promise.all(
        Array.from({ length: 5 }, async (_, i) =>
          impl.create(
            ctx,
            await checked(inputsOf({ resourceName: `c${i}`, name: `Callout ${i}`, position: 0 })),
          ),
        ),
      );
      // The listing each insert takes after its task serves the next insert's placement.
      expect(listings(), "one listing before the first insert, one after each").to.equal(6);
      const before = listings();
      const reads = await Promise.all(created.map((c) => impl.read(ctx, c.id, c.outs as Props)));
      expect(reads.map((r) => r.id)).to.deep.equal(created.map((c) => c.id));
      expect(listings() - before, "one listing shared by the reads").to.equal(1);
    });

    it("lists again for a read after a step of the plan changed", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      await impl.read(ctx, created.id, created.outs as Props);
      const before = listings();
      await impl.delete(ctx, created.id, created.outs as Props);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(undefined);
      expect(listings() - before).to.equal(1);
    });

    it("serializes concurrent creates in one plan, so each lands where asked", async () => {
      const ctx = contextOf(sim);
      const [a, b] = await Promise.all([
        impl.create(ctx, await checked(inputsOf({ name: "First", position: 0 }))),
        impl.create(ctx, await checked(inputsOf({ name: "Second", position: 0, viewMode: "recovery" }))),
      ]);
      expect((a.outs as Props).stepId).to.not.equal((b.outs as Props).stepId);
      expect(stepsOf("test")[0].callout?.name).to.equal("First");
      expect(stepsOf("recovery")[0].callout?.name).to.equal("Second");
    });

    it("reads a callout in sync", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(created.id);
      expect(read.props).to.deep.equal(created.outs);
      const d = await impl.diff(created.id, read.props as Props, inputsOf());
      expect(d.changes).to.equal(false);
    });

    it("shows a callout edited outside Pulumi as drift, in outputs and inputs", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const stepId = (created.outs as Props).stepId as number;
      sim.model.editCallout(planId, "test", stepId, { name: "Renamed by hand", content: "echo edited" });
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.props).to.include({ name: "Renamed by hand", content: "echo edited", stepId });
      expect(read.inputs).to.include({ name: "Renamed by hand", content: "echo edited" });
      const d = await impl.diff(created.id, read.props as Props, inputsOf());
      expect(d).to.deep.include({ changes: true, replaces: [] });
    });

    it("reads a callout deleted outside Pulumi as gone", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      sim.model.deleteStep(planId, "test", (created.outs as Props).stepId as number);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(undefined);
    });

    it("follows a callout whose step id changed, by name", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const oldStepId = (created.outs as Props).stepId as number;
      const callout = sim.model.findStep(planId, "test", oldStepId)?.callout;
      if (!callout) throw new Error("callout missing in the simulator");
      sim.model.deleteStep(planId, "test", oldStepId);
      const { id: _id, ...fields } = callout;
      const moved = sim.model.insertCallout(planId, "test", 2, fields);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(`${sim.ids.pairingId}/${planId}/test/${moved.id}`);
      expect(read.props).to.include({ stepId: moved.id, currentPosition: 2, position: 1 });
    });

    it("does not take over another callout of the same name when its own step is gone", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const outs = created.outs as Props;
      const callout = sim.model.findStep(planId, "test", outs.stepId as number)?.callout;
      if (!callout) throw new Error("callout missing in the simulator");
      const { id: _id, ...fields } = callout;
      sim.model.deleteStep(planId, "test", outs.stepId as number);
      // Two same-named callouts remain, neither identical to ours: which one was ours cannot be told.
      sim.model.insertCallout(planId, "test", 1, { ...fields, content: "someone else's script" });
      sim.model.insertCallout(planId, "test", 3, { ...fields, content: "another one" });
      const ambiguous = await impl.read(ctx, created.id, outs);
      expect(ambiguous.id, "ambiguous: reported gone rather than guessed").to.equal(undefined);
      // An exact copy among them is ours (moved by SRM), and is followed. A later refresh is a new host
      // process; this one drops the listing it shares between reads of one refresh.
      const exact = sim.model.insertCallout(planId, "test", 4, fields);
      srmClientFor(ctx).client.invalidateSteps(sim.ids.pairingId, planId);
      const followed = await impl.read(ctx, created.id, outs);
      expect(followed.props).to.include({ stepId: exact.id, content: outs.content });
    });

    it("reads as gone when the plan no longer exists", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      sim.model.plans.delete(planId);
      sim.model.steps.delete(planId);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(undefined);
    });

    it("edits the callout in place on update and keeps its step", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const news = await checked(inputsOf({ content: "/opt/dr/notify.sh --verbose", timeoutSeconds: 600 }));
      const updated = await impl.update(ctx, created.id, created.outs as Props, news);
      const stepId = (created.outs as Props).stepId as number;
      expect(sim.model.findStep(planId, "test", stepId)?.callout).to.include({
        content: "/opt/dr/notify.sh --verbose",
        timeout_seconds: 600,
      });
      expect(updated.outs).to.include({
        stepId,
        content: "/opt/dr/notify.sh --verbose",
        timeoutSeconds: 600,
      });
      expect((updated.outs as Props).taskId).to.not.equal((created.outs as Props).taskId);
    });

    it("changes nothing in SRM when only taskTimeoutSeconds changes", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const updated = await impl.update(
        ctx,
        created.id,
        created.outs as Props,
        await checked(inputsOf({ taskTimeoutSeconds: 60 })),
      );
      expect(sim.requests.filter((r) => r.route.endsWith("/actions/edit"))).to.have.length(0);
      expect(updated.outs).to.include({ taskTimeoutSeconds: 60 });
    });

    it("deletes the step, and a second delete (404) succeeds", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const stepId = (created.outs as Props).stepId as number;
      await impl.delete(ctx, created.id, created.outs as Props);
      expect(sim.model.findStep(planId, "test", stepId)).to.equal(undefined);
      await impl.delete(ctx, created.id, created.outs as Props);
      expect(sim.requests.filter((r) => r.method === "DELETE" && r.status === 404)).to.have.length(1);
    });

    it("stops waiting at taskTimeoutSeconds and names the task id", async () => {
      sim.faults.set({ taskDurationMs: 60_000 });
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ taskTimeoutSeconds: 1 }))),
      );
      const taskId = (e as unknown as { taskId?: string }).taskId;
      expect(taskId).to.be.a("string");
      expect(e.message).to.include(`task ${taskId}`);
      expect(e.message).to.include("taskTimeoutSeconds").and.include("may still be running");
      expect(e.message).to.include(`RecoveryStepCallout "notify"`);
      expectNoPasswords(errorText(e), passwordsOf(sim));
    });

    it("reports a failed task with the task id and the SRM message", async () => {
      sim.faults.failNextTasks(1, "Disk full on the SRM server");
      const e = await rejectionOf(impl.create(contextOf(sim), await checked(inputsOf())));
      expect(e.message).to.include("Disk full on the SRM server").and.include("creating RecoveryStepCallout");
      expect(e.message).to.match(/task task-\d+/);
    });

    it("prints progress lines for a long task", async () => {
      sim.faults.set({ taskDurationMs: 2_500 });
      const ctx = contextOf(sim);
      await impl.create(ctx, await checked(inputsOf()));
      expect(
        ctx.lines.some((l) => /^srm: RecoveryStepCallout "notify": task \S+ (RUNNING|SUCCESS)/.test(l)),
      ).to.equal(true);
    });
  });
});
