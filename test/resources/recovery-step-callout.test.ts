import fc from "fast-check";
import { CALLOUT_TYPES, PLACEABLE_ANCHORS } from "../../provider/api/index.js";
import { recoveryStepCalloutImplementation as impl } from "../../provider/resources/recovery-step-callout.js";
import { recoveryPlanCalloutsImplementation as runbook } from "../../provider/resources/recovery-plan-callouts.js";
import { UNKNOWN } from "../../provider/dynamic/unknowns.js";
import { clearSrmClients, getSrmClient } from "../../provider/client/index.js";
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
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index: 0,
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
  /** Names of the custom steps at an anchor, in SRM's order. */
  const namesAt = (anchor = "BEFORE_RECOVER_PRIORITY_1_VMS") =>
    (sim.model.customSteps(planId)[anchor as "AT_END"] ?? []).map((s) => s.callout!.name);

  describe("check (no server)", () => {
    it("defaults timeoutSeconds to 0 for a PROMPT and 300 for commands, and taskTimeoutSeconds to 300", async () => {
      const prompt = await checked(inputsOf({ calloutType: "PROMPT", timeoutSeconds: undefined }));
      expect(prompt).to.include({ timeoutSeconds: 0, taskTimeoutSeconds: 300 });
      const command = await checked(inputsOf({ calloutType: "RUN_ON_VM", timeoutSeconds: undefined }));
      expect(command).to.include({ timeoutSeconds: 300 });
    });

    const bad: [string, Props, string][] = [
      ["an anchor the spec marks NOT USED", { anchor: "BEFORE_DISABLE_PROTECTED_SITE_VMS" }, "anchor"],
      ["AT_BEGIN (invalid for callouts)", { anchor: "AT_BEGIN" }, "anchor"],
      ["an adopt that is not a boolean", { adopt: "yes" }, "adopt"],
      ["an unknown callout type", { calloutType: "RUN_ON_HOST" }, "calloutType"],
      ["a negative index", { index: -1 }, "index"],
      ["a fractional index", { index: 1.5 }, "index"],
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

    it("refuses the first release's viewMode and position, saying what replaced them", async () => {
      const result = await impl.check({}, { ...inputsOf(), viewMode: "test", position: 1 });
      expect(result.failures?.[0].property).to.equal("viewMode");
      expect(result.failures?.[0].reason).to.include("anchor").and.include("index");
    });

    it("defaults index to 0 and adopt to false", async () => {
      expect(await checked(inputsOf({ index: undefined }))).to.include({ index: 0, adopt: false });
    });

    it("accepts a PROMPT with timeoutSeconds 0", async () => {
      await checked(inputsOf({ calloutType: "PROMPT", timeoutSeconds: 0 }));
    });

    it("skips rules on unknown values (type unknown with a timeout, unknown ids)", async () => {
      const result = await impl.check(
        {},
        inputsOf({ calloutType: UNKNOWN, pairingId: UNKNOWN, index: UNKNOWN }),
      );
      expect(result.failures ?? []).to.deep.equal([]);
      expect(result.inputs).to.include({
        calloutType: UNKNOWN,
        pairingId: UNKNOWN,
        index: UNKNOWN,
        timeoutSeconds: 120,
      });
    });

    const validInput = fc
      .record({
        // "." and ".." are not ids: they cannot stand as a URL path segment.
        pairingId: fc.string({ minLength: 1 }).filter((s) => s !== "." && s !== ".."),
        planId: fc.string({ minLength: 1 }).filter((s) => s !== "." && s !== ".."),
        anchor: fc.constantFrom(...PLACEABLE_ANCHORS),
        index: fc.nat({ max: 999 }),
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
            index: input.index,
            anchor: input.anchor,
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

    it("property: every other index than a whole number >= 0 fails, naming index", async () => {
      const badIndex = fc.oneof(
        fc.integer({ max: -1 }),
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
        fc.string(),
      );
      await fc.assert(
        fc.asyncProperty(validInput, badIndex, async (input, index) => {
          const result = await impl.check({}, { ...input, index });
          expect(result.failures?.map((f) => f.property)).to.deep.equal(["index"]);
        }),
      );
    });
  });

  describe("diff (no server)", () => {
    it("updates (never replaces) state from the first release, which has no anchor", async () => {
      const legacy = {
        ...inputsOf(),
        anchor: undefined,
        index: undefined,
        viewMode: "test",
        position: 5,
        stepId: 7,
      };
      const d = await impl.diff("x", legacy, inputsOf());
      expect(d).to.deep.include({ changes: true, replaces: [] });
    });

    it("updates a create whose outcome was not seen (pending), whatever the inputs", async () => {
      const pending = {
        ...inputsOf(),
        adopt: false,
        taskTimeoutSeconds: 300,
        pendingCreate: { knownStepIds: [1] },
      };
      expect(await impl.diff("x", pending, inputsOf())).to.deep.include({ changes: true, replaces: [] });
    });

    const olds = () => ({
      ...inputsOf(),
      adopt: false,
      taskTimeoutSeconds: 300,
      stepId: 7,
      schemaVersion: 1,
    });

    it("reports no change for the same inputs", async () => {
      expect((await impl.diff("x", olds(), inputsOf())).changes).to.equal(false);
    });

    for (const [field, value] of [
      ["pairingId", "other-pairing"],
      ["planId", "other-plan"],
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
      ["anchor", "AT_END"],
      ["index", 2],
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
      // The shared client of a server outlives it; a later simulator on the same port must not inherit what
      // this one's client learned (its plans settled, its task list read, its unfinished tasks).
      clearSrmClients();
    });

    const createRoute =
      "POST /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
    const creates = () => sim.requests.filter((r) => r.route === createRoute && r.status !== 400);
    const handMade = (i: Props, anchor = "BEFORE_RECOVER_PRIORITY_1_VMS", index = 0) =>
      sim.model.insertCalloutAt(planId, anchor as "AT_END", index, {
        name: String(i.name),
        content: String(i.content),
        callout_type: i.calloutType as "RUN_ON_SRM_SERVER",
        timeout_seconds: Number(i.timeoutSeconds),
      });

    it("creates the step at its anchor, shared by the test and failover views, with full outputs", async () => {
      const result = await impl.create(contextOf(sim), await checked(inputsOf()));
      const outs = result.outs as Props;
      const test = stepsOf("test");
      const step = test[test.findIndex((s) => s.builtIn?.title === "Power on priority 1 VMs") - 1];
      expect(step.callout?.name).to.equal("Notify DBA");
      expect(sim.model.findStep(planId, "recovery", step.id)).to.equal(step);
      expect(sim.model.placeOf(planId, step.id)).to.deep.equal({
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
      });
      expect(outs).to.include({
        stepId: step.id,
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
        view: "recovery",
        adopted: false,
        name: "Notify DBA",
        timeoutSeconds: 120,
        schemaVersion: 1,
      });
      expect(outs.taskId).to.be.a("string");
      // Only the callout data says these, and a create does not read it back: the first refresh fills them in.
      expect(outs).not.to.have.any.keys("calloutId", "stepType");
      expect(result.id).to.equal(`${sim.ids.pairingId}/${planId}/recovery/${step.id}`);
      expectNoPasswords(outs, passwordsOf(sim));
    });

    it("places failover-only, cleanup and reprotect anchors in their own views", async () => {
      const ctx = contextOf(sim);
      for (const [anchor, view] of [
        ["BEFORE_SHUTDOWN_PROTECTED_SITE_VMS", "recovery"],
        ["BEFORE_RESTORE_STORAGE", "cleanup"],
        ["BEFORE_REVERSE_REPLICATION", "reprotect"],
        ["AT_END", "recovery"],
      ] as const) {
        const made = await impl.create(
          ctx,
          await checked(inputsOf({ resourceName: anchor, name: anchor, anchor })),
        );
        const stepId = (made.outs as Props).stepId as number;
        expect(sim.model.placeOf(planId, stepId)).to.deep.equal({ anchor, index: 0 });
        expect(sim.model.findStep(planId, view, stepId)).to.not.equal(undefined);
        expect(sim.model.findStep(planId, "test", stepId) !== undefined).to.equal(anchor === "AT_END");
      }
    });

    it("refuses an identical callout that exists outside the stack, saying how to opt in; adopt: true takes it", async () => {
      const ctx = contextOf(sim);
      const i = await checked(inputsOf({ resourceName: "made-by-hand" }));
      const hand = handMade(i);
      const e = await rejectionOf(impl.create(ctx, i));
      expect(e.message).to.include(`step ${hand.id}`).and.include("adopt: true").and.include("destroy");
      expect(creates()).to.have.length(0);
      const adopted = await impl.create(
        ctx,
        await checked(inputsOf({ resourceName: "made-by-hand", adopt: true })),
      );
      expect(adopted.outs).to.include({ adopted: true, stepId: hand.id });
      expect(namesAt()).to.deep.equal(["Notify DBA"]);
    });

    it("gives two resources that declare the same callout a step each, never one shared step", async () => {
      const ctx = contextOf(sim);
      const first = await impl.create(ctx, await checked(inputsOf({ resourceName: "notify" })));
      const second = await impl.create(
        ctx,
        await checked(inputsOf({ resourceName: "notify-copy", index: 1 })),
      );
      expect(second.id).to.not.equal(first.id);
      expect(second.outs).to.include({ adopted: false });
      expect(namesAt()).to.deep.equal(["Notify DBA", "Notify DBA"]);
    });

    it("ends in the declared order whatever order the creates arrive in (all 24 orders of four)", async function () {
      // 96 creates and 96 deletes one after another: short tasks keep it quick, and a loaded machine gets time.
      this.timeout(180_000);
      sim.faults.set({ taskQueuedMs: 0, taskDurationMs: 1 });
      const names = ["A", "B", "C", "D"];
      const orders: number[][] = [];
      const permute = (rest: number[], acc: number[]) => {
        if (rest.length === 0) orders.push(acc);
        rest.forEach((x, k) => permute([...rest.slice(0, k), ...rest.slice(k + 1)], [...acc, x]));
      };
      permute([0, 1, 2, 3], []);
      for (const [n, order] of orders.entries()) {
        const plan = sim.ids.plans[n % 2 === 0 ? "Tier1-Apps" : "Tier2-DB"];
        const anchor = (
          ["BEFORE_RECOVER_PRIORITY_1_VMS", "BEFORE_RECOVER_PRIORITY_3_VMS", "AT_END"] as const
        )[n % 3];
        const ctx = contextOf(sim);
        // The engine checks every resource of the program before the creates it issues in any order.
        const declared = await Promise.all(
          names.map((name, k) =>
            checked(inputsOf({ planId: plan, anchor, index: k, name, resourceName: `r${n}-${name}` })),
          ),
        );
        const made: Props[] = [];
        for (const k of order) made.push((await impl.create(ctx, declared[k]!)).outs as Props);
        const at = (sim.model.customSteps(plan)[anchor] ?? []).map((s) => s.callout!.name);
        expect(at, `order ${order.join("")}`).to.deep.equal(names);
        for (const outs of made) await impl.delete(ctx, "x", outs);
      }
    });

    it("ends in the declared order when the creates run concurrently", async () => {
      const ctx = contextOf(sim);
      const names = ["First", "Second", "Third"];
      await Promise.all(
        [2, 0, 1].map(async (k) =>
          impl.create(ctx, await checked(inputsOf({ index: k, name: names[k], resourceName: names[k] }))),
        ),
      );
      expect(namesAt()).to.deep.equal(names);
    });

    it("an index past the end of the anchor fails before any task starts, naming the plan, anchor and range", async () => {
      handMade(inputsOf({ name: "Made in the SRM UI" }), "AT_END", 0);
      const i = await checked(
        inputsOf({ anchor: "AT_END", index: 5, resourceName: "too-far", name: "Too far" }),
      );
      const err = await rejectionOf(impl.create(contextOf(sim), i));
      expect(err.message)
        .to.include("index 5 is past the end of anchor AT_END in plan " + planId)
        .and.include("holds 1 custom step now")
        .and.include("valid range is 0..1")
        .and.include("Set index to 1 or lower");
      expect(err.message).to.include('RecoveryStepCallout "too-far"');
      expect(creates(), "no create task").to.have.length(0);
      expect(namesAt("AT_END")).to.deep.equal(["Made in the SRM UI"]);
      expect(errorText(err)).to.not.include('"id"');
    });

    it("an index past today's count passes while a sibling with a lower index declared later is created", async () => {
      const ctx = contextOf(sim);
      const at = (index: number, name: string) =>
        inputsOf({ anchor: "AT_END", index, name, resourceName: `late-${name}` });
      // The second callout's create starts before the first is even checked (its inputs resolved later).
      const second = impl.create(ctx, await checked(at(1, "Second")));
      await new Promise((r) => setTimeout(r, 300));
      const first = impl.create(ctx, await checked(at(0, "First")));
      await Promise.all([first, second]);
      expect(namesAt("AT_END")).to.deep.equal(["First", "Second"]);
    });

    it("an index past today's count passes when the program names its lower siblings, before they are checked", async () => {
      // Under --parallel 1 the engine checks the next resource only after the running create: the program
      // tells each callout its siblings instead.
      const ctx = contextOf(sim);
      const at = (index: number, name: string, siblingsBefore: string[]) =>
        inputsOf({ anchor: "AT_END", index, name, resourceName: `serial-${name}`, siblingsBefore });
      const third = await checked(at(2, "Third", ["serial-First", "serial-Second"]));
      // Check keeps the names for this run's create; the stored inputs do not grow with the plan's callouts.
      expect(third).to.not.have.property("siblingsBefore");
      await impl.create(ctx, third);
      await impl.create(ctx, await checked(at(1, "Second", ["serial-First"])));
      await impl.create(ctx, await checked(at(0, "First", [])));
      expect(namesAt("AT_END")).to.deep.equal(["First", "Second", "Third"]);
      // A sibling already placed counts once, by its step.
      const err = await rejectionOf(
        impl.create(ctx, await checked(at(5, "Too far", ["serial-First", "serial-Second"]))),
      );
      expect(err.message).to.include("valid range is 0..3");
    });

    it("a move to an index past the end fails before the step is deleted", async () => {
      const ctx = contextOf(sim);
      const i = await checked(inputsOf({ anchor: "AT_END", index: 0, resourceName: "mover", name: "Mover" }));
      const made = (await impl.create(ctx, i)).outs as Props;
      const moved = await checked(
        inputsOf({ anchor: "AT_END", index: 3, resourceName: "mover", name: "Mover" }),
      );
      const err = await rejectionOf(impl.update(ctx, "x", made, moved));
      expect(err.message).to.include("valid range is 0..0");
      expect(namesAt("AT_END")).to.deep.equal(["Mover"]);
      expect(sim.model.customSteps(planId).AT_END![0]!.id).to.equal(made.stepId);
    });

    it("finds the new step by listing when the task carries no step id", async () => {
      await sim.close();
      sim = await startSimulator({ calloutTaskResult: false });
      const result = await impl.create(contextOf(sim), await checked(inputsOf()));
      expect((result.outs as Props).stepId).to.equal(
        sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS![0].id,
      );
    });

    it("lists the plan once per insert when creating several callouts in it", async () => {
      const ctx = contextOf(sim);
      const listings = () =>
        sim.requests.filter(
          (r) => r.method === "GET" && r.path.endsWith(`/plans/${planId}/recovery-steps/recovery`),
        ).length;
      for (let k = 0; k < 5; k++) {
        await impl.create(ctx, await checked(inputsOf({ resourceName: `c${k}`, name: `C${k}`, index: k })));
      }
      // The listing each insert takes after its task places the next insert.
      expect(listings(), "one listing before the first insert, one after each").to.equal(6);
    });

    it("shares one listing between the reads of a refresh, and lists again after a step changed", async () => {
      const ctx = contextOf(sim);
      const listings = () =>
        sim.requests.filter(
          (r) => r.method === "GET" && r.path.endsWith(`/plans/${planId}/recovery-steps/recovery`),
        ).length;
      const created = [];
      for (let k = 0; k < 5; k++) {
        created.push(
          await impl.create(ctx, await checked(inputsOf({ resourceName: `c${k}`, name: `C${k}`, index: k }))),
        );
      }
      const before = listings();
      const reads = await Promise.all(created.map((c) => impl.read(ctx, c.id, c.outs as Props)));
      expect(reads.map((r) => r.id)).to.deep.equal(created.map((c) => c.id));
      expect(listings() - before, "one listing shared by the reads").to.equal(1);
      await impl.delete(ctx, created[0].id, created[0].outs as Props);
      const again = listings();
      expect((await impl.read(ctx, created[0].id, created[0].outs as Props)).id).to.equal(undefined);
      expect(listings() - again).to.equal(1);
    });

    it("index is SRM's index at the anchor: after the first of three is removed, the later ones read one lower, and a renumbered program shows no change", async () => {
      const ctx = contextOf(sim);
      const made = [];
      for (const [k, name] of ["A", "B", "C"].entries())
        made.push(await impl.create(ctx, await checked(inputsOf({ resourceName: name, name, index: k }))));
      await impl.delete(ctx, made[0].id, made[0].outs as Props);
      for (const [k, name] of ["B", "C"].entries()) {
        const read = await impl.read(ctx, made[k + 1].id, made[k + 1].outs as Props);
        expect((read.inputs as Props).index, name).to.equal(k);
        const stale = await impl.diff(
          made[k + 1].id,
          read.props as Props,
          await checked(inputsOf({ resourceName: name, name, index: k + 1 })),
        );
        expect(stale.changes, `${name} declared at its old index`).to.equal(true);
        const renumbered = await impl.diff(
          made[k + 1].id,
          read.props as Props,
          await checked(inputsOf({ resourceName: name, name, index: k })),
        );
        expect(renumbered.changes, `${name} renumbered`).to.equal(false);
      }
    });

    it("reads a callout in sync", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(created.id);
      const step = sim.model.findStep(planId, "recovery", (created.outs as Props).stepId as number)!;
      expect(read.props).to.deep.equal({
        ...(created.outs as Props),
        calloutId: step.callout!.id,
        stepType: "RECOVERY_STEP",
      });
      const d = await impl.diff(created.id, read.props as Props, await checked(inputsOf()));
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
      const d = await impl.diff(created.id, read.props as Props, await checked(inputsOf()));
      expect(d).to.deep.include({ changes: true, replaces: [] });
    });

    it("shows a step moved outside Pulumi as drift, and the update moves it back", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const stepId = (created.outs as Props).stepId as number;
      sim.model.moveStepTo(planId, stepId, "BEFORE_RECOVER_PRIORITY_4_VMS", 0);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.inputs).to.include({ anchor: "BEFORE_RECOVER_PRIORITY_4_VMS", index: 0 });
      const news = await checked(inputsOf());
      const d = await impl.diff(created.id, read.props as Props, news);
      expect(d).to.deep.include({ changes: true, replaces: [] });
      const updated = await impl.update(ctx, created.id, read.props as Props, news);
      const newStepId = (updated.outs as Props).stepId as number;
      expect(sim.model.placeOf(planId, newStepId)).to.deep.equal({
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
      });
      expect(sim.model.placeOf(planId, stepId)).to.equal(undefined);
      expect(namesAt("BEFORE_RECOVER_PRIORITY_4_VMS")).to.deep.equal([]);
    });

    it("reads a callout deleted outside Pulumi as gone", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      sim.model.deleteStep(planId, "test", (created.outs as Props).stepId as number);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(undefined);
    });

    it("follows a callout only by SRM ids: an identical copy under another id is not taken over", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const outs = created.outs as Props;
      sim.model.deleteStep(planId, "recovery", outs.stepId as number);
      handMade(outs, "BEFORE_RECOVER_PRIORITY_1_VMS", 0);
      const read = await impl.read(ctx, created.id, outs);
      expect(read.id, "gone rather than guessed by name").to.equal(undefined);
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
      expect(creates()).to.have.length(1);
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

    it("a lost create answer: recorded as pending, and the next update finds the step it made after other inserts moved it", async () => {
      const ctx = contextOf(sim);
      // The create's task runs long enough that the provider's one look after the lost answer comes before the
      // step exists, however busy the machine (a finished task would be found at once, which is not this case).
      sim.faults.set({ dropAnswers: { [createRoute]: 1 }, taskDurationMs: 2_000 });
      const e = (await rejectionOf(impl.create(ctx, await checked(inputsOf())))) as Error & {
        id?: string;
        properties?: Props;
      };
      sim.faults.set({ taskDurationMs: undefined });
      expect(e.message).to.include("pending");
      // SRM finishes the step meanwhile.
      const busy = () =>
        [...sim.model.tasks.values()].some((t) => t.status === "QUEUED" || t.status === "RUNNING");
      while (busy()) await new Promise((r) => setTimeout(r, 10));
      expect(e.id).to.be.a("string");
      expect(e.properties?.pendingCreate).to.have.property("knownStepIds");
      // Meanwhile someone else inserts steps before it.
      const other = await checked(inputsOf({ resourceName: "other", name: "Other", content: "echo other" }));
      await impl.create(ctx, other);
      const updated = await impl.update(ctx, e.id!, e.properties!, await checked(inputsOf({ index: 1 })));
      expect(namesAt()).to.deep.equal(["Other", "Notify DBA"]);
      expect(creates()).to.have.length(2);
      expect((updated.outs as Props).stepId).to.equal(
        sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS![1].id,
      );
      expect(updated.outs).to.not.have.property("pendingCreate");
    });

    it("a pending create that SRM never made is created by the next update, once", async () => {
      const ctx = contextOf(sim);
      const pending = {
        ...(await checked(inputsOf())),
        pendingCreate: { knownStepIds: [] },
        schemaVersion: 1,
      };
      await impl.update(ctx, "x", pending, await checked(inputsOf()));
      expect(namesAt()).to.deep.equal(["Notify DBA"]);
      expect(creates()).to.have.length(1);
      const gone = await impl.read(ctx, "x", {
        ...pending,
        pendingCreate: { knownStepIds: sim.model.stepsOf(planId, "recovery").map((s) => s.id) },
      });
      expect(gone.id, "refresh of a pending create that made nothing drops it").to.equal(undefined);
    });

    it("a task wait that times out is recorded as pending; refresh then finds the step", async () => {
      sim.faults.set({ taskDurationMs: 1_500 });
      const ctx = contextOf(sim);
      const e = (await rejectionOf(
        impl.create(ctx, await checked(inputsOf({ taskTimeoutSeconds: 1 }))),
      )) as Error & { id?: string; properties?: Props; taskId?: string };
      expect(e.message).to.include("taskTimeoutSeconds").and.include(`RecoveryStepCallout "notify"`);
      expect(e.message).to.match(/task task-\d+/);
      expect(e.properties?.pendingCreate).to.not.equal(undefined);
      expectNoPasswords(errorText(e), passwordsOf(sim));
      const newest = [...sim.model.tasks.values()].pop()!;
      while (newest.status !== "SUCCESS") await new Promise((r) => setTimeout(r, 20));
      const read = await impl.read(ctx, e.id!, e.properties!);
      expect(read.props).to.include({
        stepId: sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS![0].id,
      });
      expect(read.props).to.not.have.property("pendingCreate");
    });

    it("consecutive creates into one plan: an insert and one confirming listing each besides task polls; the plan listed once before the first insert; SRM's tasks listed once", async () => {
      const ctx = contextOf(sim);
      // Tasks long enough that a confirming listing is answered before the next insert's task ends, even on a
      // busy machine: one answered after two later inserts matches neither prediction, and the next insert then
      // lists first (a safe extra listing this test would count).
      sim.faults.set({ taskDurationMs: 300 });
      const names = ["Step 0", "Step 1", "Step 2", "Step 3", "Step 4"];
      // Issued in reverse, as the engine may: the plan still ends in the declared order.
      await Promise.all(
        names
          .map(
            (name, index) => async () =>
              impl.create(ctx, await checked(inputsOf({ resourceName: `s${index}`, name, index }))),
          )
          .reverse()
          .map((create) => create()),
      );
      const count = (route: string) => sim.requests.filter((r) => r.route === route).length;
      const steps =
        "GET /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
      expect(namesAt()).to.deep.equal(names);
      expect(creates()).to.have.length(names.length);
      expect(count(steps), "one listing before the first insert, one confirming each").to.equal(
        names.length + 1,
      );
      expect(count(`${steps}/{recovery_step_id}/callout-data`), "no read-back of what was sent").to.equal(0);
      expect(count("GET /tasks"), "an earlier run's step tasks are looked for once").to.equal(1);
      const polls = count("GET /tasks/{taskId}");
      const others = sim.requests.length - polls - count("POST /session") - count("GET /tasks") - 1;
      expect(
        others / names.length,
        "requests per create besides task polls: the insert, the listing",
      ).to.equal(2);
      console.log(
        `      ${(sim.requests.length / names.length).toFixed(2)} requests per create (${polls} task polls)`,
      );
    });

    it("a confirming listing that fails is a partial failure: the stack records the step the task made", async () => {
      const ctx = contextOf(sim);
      await impl.create(ctx, await checked(inputsOf({ resourceName: "first", name: "First" })));
      const listing =
        "GET /pairings/{pairing_id}/recovery-management/plans/{plan_id}/recovery-steps/{view_mode}";
      sim.faults.set({ routes: { [listing]: { status: 403, count: 1 } } });
      const e = (await rejectionOf(impl.create(ctx, await checked(inputsOf({ index: 1 }))))) as Error & {
        id?: string;
        properties?: Props;
      };
      const step = sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS![1];
      expect(step?.callout?.name).to.equal("Notify DBA");
      expect(e.message).to.include("creating RecoveryStepCallout");
      expect(e.id).to.equal(`${sim.ids.pairingId}/${planId}/recovery/${step!.id}`);
      expect(e.properties).to.include({ stepId: step!.id, name: "Notify DBA" });
      expect(creates()).to.have.length(2);
    });

    const outside: [string, (made: Props) => void, Props, string[]][] = [
      [
        "a step added outside Pulumi at the same anchor",
        () => handMade(inputsOf({ name: "By hand" }), "BEFORE_RECOVER_PRIORITY_1_VMS", 0),
        {},
        ["By hand", "A", "B"],
      ],
      [
        "a step deleted outside Pulumi, so the next anchor's place is where the insert would have gone",
        () => {
          const [byHand] = sim.model.customSteps(planId).BEFORE_RECOVER_PRIORITY_1_VMS!;
          expect(sim.model.deleteStep(planId, "recovery", byHand!.id)).to.equal(true);
        },
        { byHandFirst: true },
        ["A", "B"],
      ],
    ];
    for (const [what, edit, opts, order] of outside) {
      it(`a create after ${what} between two creates lands in its declared place`, async () => {
        const ctx = contextOf(sim);
        if (opts.byHandFirst) handMade(inputsOf({ name: "By hand" }));
        const a = await impl.create(
          ctx,
          await checked(inputsOf({ resourceName: "a", name: "A", index: opts.byHandFirst ? 1 : 0 })),
        );
        edit(a.outs as Props);
        const b = await impl.create(
          ctx,
          await checked(inputsOf({ resourceName: "b", name: "B", index: opts.byHandFirst ? 2 : 1 })),
        );
        expect(namesAt()).to.deep.equal(order);
        const stepB = sim.model
          .customSteps(planId)
          .BEFORE_RECOVER_PRIORITY_1_VMS!.find((s) => s.callout!.name === "B")!;
        expect((b.outs as Props).stepId).to.equal(stepB.id);
        expect(b.id).to.equal(`${sim.ids.pairingId}/${planId}/recovery/${stepB.id}`);
        expect(ctx.lines.join("\n")).to.include("out of its declared place");
        expect(creates(), "A, B where the stale list put it, B again").to.have.length(3);
        expect(sim.requests.filter((r) => r.method === "DELETE")).to.have.length(1);
      });
    }

    it("a create after one whose task wait timed out waits for that task first, so both land in the declared order", async () => {
      sim.faults.set({ taskDurationMs: 1_500 });
      const ctx = contextOf(sim);
      const first = await rejectionOf(impl.create(ctx, await checked(inputsOf({ taskTimeoutSeconds: 1 }))));
      expect(first.message).to.include("taskTimeoutSeconds");
      sim.faults.set({ taskDurationMs: 40 });
      await impl.create(ctx, await checked(inputsOf({ resourceName: "second", name: "Second", index: 1 })));
      expect(ctx.lines.some((l) => l.includes("waiting for SRM task"))).to.equal(true);
      expect(namesAt()).to.deep.equal(["Notify DBA", "Second"]);
    });

    it("a step task an earlier run left running is waited for before the first insert into the plan", async () => {
      const ctx = contextOf(sim);
      sim.faults.set({ taskDurationMs: 1_000 });
      const earlier = getSrmClient({
        url: sim.url,
        username: sim.credentials.username,
        password: sim.credentials.password,
        tls: { caCert: sim.caCert },
        log: () => undefined,
      });
      const steps = await earlier.listRecoverySteps(sim.ids.pairingId, planId, "recovery");
      const anchorAt = steps.findIndex((s) => s.title === "Power on priority 1 VMs");
      await earlier.createCallout(sim.ids.pairingId, planId, "recovery", {
        name: "Earlier",
        content: "echo earlier",
        callout_type: "PROMPT",
        timeout_seconds: 0,
        position: anchorAt,
      });
      // The next run is another process: nothing of the earlier client is shared.
      clearSrmClients();
      await impl.create(ctx, await checked(inputsOf({ index: 1 })));
      expect(ctx.lines.some((l) => l.includes("waiting for SRM task"))).to.equal(true);
      expect(namesAt()).to.deep.equal(["Earlier", "Notify DBA"]);
    });

    it("reports a failed task with the task id and the SRM message, and records nothing", async () => {
      sim.faults.failNextTasks(1, "Disk full on the SRM server");
      const e = (await rejectionOf(impl.create(contextOf(sim), await checked(inputsOf())))) as Error & {
        id?: string;
      };
      expect(e.message).to.include("Disk full on the SRM server").and.include("creating RecoveryStepCallout");
      expect(e.message).to.match(/task task-\d+/);
      expect(e.id).to.equal(undefined);
    });

    it("prints progress lines for a long task", async () => {
      sim.faults.set({ taskDurationMs: 2_500 });
      const ctx = contextOf(sim);
      await impl.create(ctx, await checked(inputsOf()));
      expect(
        ctx.lines.some((l) => /^srm: RecoveryStepCallout "notify": task \S+ (RUNNING|SUCCESS)/.test(l)),
      ).to.equal(true);
    });

    describe("state written by the first release (viewMode and flat position, no anchor)", () => {
      const legacyState = (stepId: number): Props => ({
        resourceName: "notify",
        pairingId: sim.ids.pairingId,
        planId,
        viewMode: "test",
        position: 5,
        name: "Notify DBA",
        content: "/opt/dr/notify.sh --plan Tier1",
        calloutType: "RUN_ON_SRM_SERVER",
        timeoutSeconds: 120,
        taskTimeoutSeconds: 300,
        stepId,
        calloutId: "callout-1",
        stepType: "RECOVERY_STEP",
        currentPosition: 5,
        adopted: false,
        taskId: "task-1",
        schemaVersion: 1,
      });
      const legacyStep = () =>
        sim.model.insertCallout(planId, "test", 5, {
          name: "Notify DBA",
          content: "/opt/dr/notify.sh --plan Tier1",
          callout_type: "RUN_ON_SRM_SERVER",
          timeout_seconds: 120,
        });

      it("refreshes: reads the anchor and index back, and the current program then shows no change", async () => {
        const step = legacyStep();
        const ctx = contextOf(sim);
        const read = await impl.read(
          ctx,
          `${sim.ids.pairingId}/${planId}/test/${step.id}`,
          legacyState(step.id),
        );
        expect(read.props).to.include({ stepId: step.id, anchor: "BEFORE_RECOVER_PRIORITY_1_VMS", index: 0 });
        expect(read.props).to.not.have.property("viewMode");
        expect(read.inputs).to.not.have.property("position");
        const d = await impl.diff("x", read.props as Props, await checked(inputsOf()));
        expect(d.changes).to.equal(false);
      });

      it("updates: an edit keeps the step, and an anchor that already matches moves nothing", async () => {
        const step = legacyStep();
        const ctx = contextOf(sim);
        const updated = await impl.update(
          ctx,
          "x",
          legacyState(step.id),
          await checked(inputsOf({ content: "echo v2" })),
        );
        expect(updated.outs).to.include({
          stepId: step.id,
          anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
          content: "echo v2",
        });
        expect(creates()).to.have.length(0);
        expect(sim.model.findStep(planId, "test", step.id)?.callout?.content).to.equal("echo v2");
      });

      it("deletes the step", async () => {
        const step = legacyStep();
        await impl.delete(contextOf(sim), "x", legacyState(step.id));
        expect(sim.model.placeOf(planId, step.id)).to.equal(undefined);
      });
    });
  });

  describe("a server at the address an earlier one answered at (one process)", () => {
    const servers: Simulator[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.close();
      clearSrmClients();
    });

    /**
     * A callout created on a first server, which then goes away; a second server, with steps of its own, is
     * started on the same port. Step ids start over on each server, so the second one's steps reuse the ids
     * the first one's had.
     */
    async function secondAtSameAddress(): Promise<{ first: { stepId: number }; second: Simulator }> {
      const first = await startSimulator();
      servers.push(first);
      const plan = first.ids.plans["Tier1-Apps"];
      const made = await impl.create(
        contextOf(first),
        await checked(inputsOf({ pairingId: first.ids.pairingId, planId: plan })),
      );
      await first.close();
      servers.splice(servers.indexOf(first), 1);
      // The provider drops a server's clients when it is gone; the claims must go with them.
      clearSrmClients();
      const second = await startSimulator({ port: Number(new URL(first.url).port) });
      servers.push(second);
      expect(second.url).to.equal(first.url);
      return { first: { stepId: (made.outs as Props).stepId as number }, second };
    }

    it("does not count the earlier server's step as claimed: an identical step there is refused without adopt", async () => {
      const { first, second } = await secondAtSameAddress();
      const plan = second.ids.plans["Tier1-Apps"];
      const hand = second.model.insertCalloutAt(plan, "BEFORE_RECOVER_PRIORITY_1_VMS", 0, {
        name: "Notify DBA",
        content: "/opt/dr/notify.sh --plan Tier1",
        callout_type: "RUN_ON_SRM_SERVER",
        timeout_seconds: 120,
      });
      // The same id as the first server's step: only the server tells the two apart.
      expect(hand.id).to.equal(first.stepId);
      const e = await rejectionOf(
        impl.create(
          contextOf(second),
          await checked(inputsOf({ pairingId: second.ids.pairingId, planId: plan })),
        ),
      );
      expect(e.message).to.include(`step ${hand.id}`).and.include("adopt: true");
      expect(second.model.customSteps(plan).BEFORE_RECOVER_PRIORITY_1_VMS!.map((s) => s.id)).to.deep.equal([
        hand.id,
      ]);
    });

    it("does not take the earlier server's callout as a manager of the plan: a RecoveryPlanCallouts may own it", async () => {
      const { second } = await secondAtSameAddress();
      const plan = second.ids.plans["Tier1-Apps"];
      const checkedRunbook = await runbook.check(
        {},
        {
          resourceName: "runbook",
          pairingId: second.ids.pairingId,
          planId: plan,
          callouts: {
            AT_END: [
              { name: "Rebuild indexes", content: "/opt/dr/reindex.sh", calloutType: "RUN_ON_SRM_SERVER" },
            ],
          },
        },
      );
      expect(checkedRunbook.failures ?? []).to.deep.equal([]);
      await runbook.create(contextOf(second), checkedRunbook.inputs as Props);
      expect(second.model.customSteps(plan).AT_END!.map((s) => s.callout!.name)).to.deep.equal([
        "Rebuild indexes",
      ]);
    });
  });
});
