// RecoveryPlanCallouts: the whole runbook of one recovery plan as one resource, an ordered list of custom steps
// (prompts and commands) per anchor. It owns every plan-level custom step of the plan, as SRM models them (SRM
// administration guide, "Creating custom recovery steps"; `PlanCalloutPosition` in the REST API spec): a step it
// does not declare is drift that refresh shows and the next `up` removes, so no step is ever made twice.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  ANCHOR_PLACEMENT,
  CALLOUT_TYPES,
  MAX_CALLOUT_TIMEOUT_SECONDS,
  PLACEABLE_ANCHORS,
  type Callout,
  type PlaceableAnchor,
  type ViewMode,
} from "../api/index.js";
import { isSrmError, srmRefused } from "../client/errors.js";
import type { SrmClient } from "../client/index.js";
import { CreateJournal, ownIds } from "../dynamic/create-journal.js";
import { checkInputs, parseInputs, type CheckFailure } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import {
  boundedInt,
  idString,
  journalKey,
  requiredString,
  resourceName,
  taskTimeout,
} from "../dynamic/input-schemas.js";
import { partialFailure } from "../dynamic/partial-failure.js";
import type { ProviderContext } from "../dynamic/provider-context.js";
import { srmClientFor } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import {
  readByIdOptions,
  resourceClassArgs,
  type GetOptions,
  type ResourceClassSpec,
} from "../dynamic/resource-class.js";
import { isSrmResource } from "../dynamic/resource-options.js";
import { isNotFound, withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { waitWithProgress } from "../dynamic/task-progress.js";
import { containsUnknown } from "../dynamic/unknowns.js";
import { flatPosition, sameFields, stepsAt, withInsertedStep } from "../shared/callout-placement.js";
import { forgetOwner, noteOwner, ownersOf, planScope } from "../shared/plan-step-owners.js";
import {
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
  stepIdFromTaskResult,
  type CalloutAnchorInput,
  type CalloutKind,
} from "./recovery-step-callout.js";

/** Default `taskTimeoutSeconds` of a RecoveryPlanCallouts. */
export const PLAN_CALLOUTS_TASK_TIMEOUT_SECONDS = 300;

const StepSchema = z.object({
  name: requiredString("name of the callout, unique in the runbook"),
  content: requiredString("prompt text or command line"),
  calloutType: z.enum(CALLOUT_TYPES, { error: `must be one of ${CALLOUT_TYPES.join(", ")}` }),
  timeoutSeconds: boundedInt(0, MAX_CALLOUT_TIMEOUT_SECONDS, "seconds a command may run").optional(),
});

const AnchorSchema = z.enum(PLACEABLE_ANCHORS as [PlaceableAnchor, ...PlaceableAnchor[]]);

/** Validated inputs (camelCase) as the program gives them. @internal */
export const PlanCalloutsInputsSchema = z.object({
  resourceName,
  journalKey,
  pairingId: idString("SRM id of the pairing"),
  planId: idString("SRM id of the recovery plan"),
  // Keys are checked by a rule, so a wrong anchor is reported under its own path.
  callouts: z.record(z.string(), z.array(StepSchema, { error: "must be a list of callouts" }), {
    error: "must be an object of callout lists by anchor",
  }),
  taskTimeoutSeconds: taskTimeout(PLAN_CALLOUTS_TASK_TIMEOUT_SECONDS),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
});

/** One declared step as stored, keyed by the step's name: where it is and what it does. */
export interface DeclaredStep {
  /** The anchor the step sits at. */
  anchor: CalloutAnchorInput;
  /** Its index among the callouts at that anchor, counted from 0 in the declared order. */
  index: number;
  /** SRM's callout type: `PROMPT`, `RUN_ON_SRM_SERVER` or `RUN_ON_VM`. */
  calloutType: string;
  /** The prompt's text or the command line. */
  content: string;
  /** How long SRM lets a command run, in seconds. */
  timeoutSeconds: number;
}

/** Checked inputs: the lists become `steps` keyed by name, so a preview shows each step's own change. @internal */
export interface PlanCalloutsInputs {
  resourceName?: string;
  journalKey?: string;
  pairingId: string;
  planId: string;
  steps: Record<string, DeclaredStep>;
  taskTimeoutSeconds: number;
  adopt: boolean;
}

/** Anchors in SRM's order, so the stored map lists the steps as the plan runs them. */
const ANCHOR_ORDER = new Map(PLACEABLE_ANCHORS.map((a, k) => [a, k]));

/** The lists turned into the name-keyed map (check has validated them). */
function stepsOf(
  callouts: Partial<Record<PlaceableAnchor, z.infer<typeof StepSchema>[]>>,
): Record<string, DeclaredStep> {
  const out: Record<string, DeclaredStep> = {};
  const anchors = (Object.keys(callouts) as PlaceableAnchor[]).sort(
    (a, b) => ANCHOR_ORDER.get(a)! - ANCHOR_ORDER.get(b)!,
  );
  for (const anchor of anchors) {
    (callouts[anchor] ?? []).forEach((s, index) => {
      out[s.name] = {
        anchor,
        index,
        calloutType: s.calloutType,
        content: s.content,
        timeoutSeconds:
          s.timeoutSeconds ?? (s.calloutType === "PROMPT" ? 0 : DEFAULT_COMMAND_TIMEOUT_SECONDS),
      };
    });
  }
  return out;
}

/** Cross-field rules: names unique in the runbook (they identify steps), no timeout on a PROMPT. */
function stepFailures(callouts: Partial<Record<string, z.infer<typeof StepSchema>[]>>): CheckFailure[] {
  const failures: CheckFailure[] = [];
  const seen = new Map<string, string>();
  for (const [anchor, list] of Object.entries(callouts)) {
    if (!AnchorSchema.safeParse(anchor).success) {
      failures.push({
        property: `callouts.${anchor}`,
        reason: `callouts.${anchor}: not an anchor a callout can be placed at; use one of ${PLACEABLE_ANCHORS.join(", ")}`,
      });
      continue;
    }
    (list ?? []).forEach((s, k) => {
      const at = `callouts.${anchor}[${k}]`;
      const first = seen.get(s.name);
      if (first !== undefined) {
        failures.push({
          property: `${at}.name`,
          reason:
            `${at}.name: "${s.name}" is also the name of ${first}; a runbook's steps are told apart by name, so ` +
            `give each its own`,
        });
      } else seen.set(s.name, at);
      if (s.calloutType === "PROMPT" && s.timeoutSeconds !== undefined && s.timeoutSeconds > 0) {
        failures.push({
          property: `${at}.timeoutSeconds`,
          reason: `${at}.timeoutSeconds: applies only to RUN_ON_VM and RUN_ON_SRM_SERVER callouts; omit it for a PROMPT`,
        });
      }
    });
  }
  return failures;
}

function checkPlanCallouts(news: Props): pulumi.dynamic.CheckResult {
  const result = checkInputs(PlanCalloutsInputsSchema, news, [
    (data, unknown) => (unknown.has("callouts") ? [] : stepFailures(data.callouts)),
  ]);
  if (result.failures && result.failures.length > 0) return result;
  const { callouts, ...rest } = result.inputs as Props & { callouts: unknown };
  // Unknown during preview (a value from another resource): passed on as is, and diff reports a change.
  if (containsUnknown(callouts)) return { inputs: { ...rest, callouts } };
  return { inputs: { ...rest, steps: stepsOf(callouts as never) } };
}

const ECHOED_INPUTS = [
  "resourceName",
  "journalKey",
  "pairingId",
  "planId",
  "steps",
  "taskTimeoutSeconds",
  "adopt",
] as const;

/** pairingId and planId replace, deleting first (the new plan must not get the steps while the old has them). @internal */
export const PLAN_CALLOUTS_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "planId"],
  update: ["steps", "taskTimeoutSeconds", "adopt"],
  deleteBeforeReplace: true,
  comparers: { adopt: (a, b) => Boolean(a) === Boolean(b) },
};

const label = (props: Props | undefined) =>
  labelOf("RecoveryPlanCallouts", props, `of plan ${String(props?.planId ?? "?")}`);

function parse(news: Props, what: string): PlanCalloutsInputs {
  const { steps, ...rest } = news;
  if (steps !== undefined && news.callouts === undefined) {
    // Already checked (the engine sends checked inputs to create and update).
    const base = parseInputs(PlanCalloutsInputsSchema.omit({ callouts: true }), rest, what);
    return { ...base, steps: steps as Record<string, DeclaredStep> };
  }
  const parsed = parseInputs(PlanCalloutsInputsSchema, news, what, [(d) => stepFailures(d.callouts)]);
  const { callouts, ...others } = parsed;
  return { ...others, steps: stepsOf(callouts) };
}

/** What a step's callout data holds that the runbook declares. */
type StepFields = Pick<Callout, "name" | "content" | "callout_type" | "timeout_seconds">;

/** One custom step as SRM lists it. */
interface CurrentStep {
  id: number;
  anchor: string;
  index: number;
  view: ViewMode;
  callout: StepFields;
}

/** The views whose listings hold every placeable anchor. */
const VIEWS = [...new Set(PLACEABLE_ANCHORS.map((a) => ANCHOR_PLACEMENT[a].view))];

/**
 * Every plan-level custom step of the plan, with its callout data. The views are listed and the callouts read
 * at once (the client caps the requests in flight), so a plan of many steps costs a few round trips, not one
 * per step. Under the plan's lock ("mutation") the listings are taken afresh and serve the first insert that
 * follows; callouts whose data this resource wrote or read in the same run (`known`, by step id) are not read
 * again.
 */
async function currentSteps(
  client: SrmClient,
  pairingId: string,
  planId: string,
  purpose: "read" | "mutation",
  known: ReadonlyMap<number, StepFields> = new Map(),
): Promise<CurrentStep[]> {
  if (purpose === "mutation") client.invalidateSteps(pairingId, planId);
  const listed = await Promise.all(
    VIEWS.map((view) => client.sharedRecoverySteps(pairingId, planId, view, purpose)),
  );
  const found: Omit<CurrentStep, "callout">[] = [];
  const seen = new Set<number>();
  VIEWS.forEach((view, k) => {
    for (const s of listed[k]) {
      const spec = s.plan_callout_position_spec;
      if (!spec || seen.has(s.id)) continue;
      const placed = (ANCHOR_PLACEMENT as Record<string, { view: ViewMode }>)[spec.position_spec_position];
      if (placed && placed.view !== view) continue;
      seen.add(s.id);
      found.push({ id: s.id, anchor: spec.position_spec_position, index: spec.position_spec_index, view });
    }
  });
  const callouts = await Promise.all(
    found.map((f) => known.get(f.id) ?? client.getCallout(pairingId, planId, f.view, f.id)),
  );
  const out: CurrentStep[] = [];
  found.forEach((f, k) => {
    const callout = callouts[k];
    if (callout) out.push({ ...f, callout });
  });
  return out;
}

/** The callout data SRM holds for a declared step once its create or edit task succeeded. */
const calloutFieldsOf = (name: string, d: DeclaredStep): StepFields => ({
  name,
  content: d.content,
  callout_type: d.calloutType as CalloutKind,
  timeout_seconds: d.timeoutSeconds,
});

const fieldsOf = (name: string, d: DeclaredStep) => ({
  name,
  content: d.content,
  calloutType: d.calloutType,
  timeoutSeconds: d.timeoutSeconds,
});

/** The steps as SRM holds them, keyed like the inputs; a second step of one name gets its id in the key. */
function stepsMapOf(current: readonly CurrentStep[]): {
  steps: Record<string, DeclaredStep>;
  stepIds: Record<string, number>;
} {
  const steps: Record<string, DeclaredStep> = {};
  const stepIds: Record<string, number> = {};
  const sorted = [...current].sort(
    (a, b) =>
      (ANCHOR_ORDER.get(a.anchor as PlaceableAnchor) ?? 99) -
        (ANCHOR_ORDER.get(b.anchor as PlaceableAnchor) ?? 99) || a.index - b.index,
  );
  for (const s of sorted) {
    const key = s.callout.name in steps ? `${s.callout.name} (step ${s.id})` : s.callout.name;
    steps[key] = {
      anchor: s.anchor as PlaceableAnchor,
      index: s.index,
      calloutType: s.callout.callout_type,
      content: s.callout.content,
      timeoutSeconds: s.callout.timeout_seconds,
    };
    stepIds[key] = s.id;
  }
  return { steps, stepIds };
}

/** Longest common subsequence of two name lists: the steps that can stay where they are. */
function lcs(a: readonly string[], b: readonly string[]): Set<string> {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      t[i][j] = a[i] === b[j] ? t[i + 1][j + 1] + 1 : Math.max(t[i + 1][j], t[i][j + 1]);
  const keep = new Set<string>();
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i] === b[j]) {
      keep.add(a[i]);
      i++;
      j++;
    } else if (t[i + 1][j] >= t[i][j + 1]) i++;
    else j++;
  }
  return keep;
}

/** What reconciling the plan with the declared steps does. */
interface Ops {
  deletes: { step: CurrentStep; why: string }[];
  edits: { step: CurrentStep; name: string }[];
  creates: { name: string; anchor: PlaceableAnchor; slot: number; moved?: CurrentStep }[];
}

/** The fewest SRM changes that turn `current` into `declared`: SRM has no move, so a move is a delete and a create. @internal */
export function planOps(
  current: readonly CurrentStep[],
  declared: Record<string, DeclaredStep>,
  preferred: Record<string, number> = {},
): Ops {
  const ops: Ops = { deletes: [], edits: [], creates: [] };
  const matched = new Map<string, CurrentStep>();
  const byName = new Map<string, CurrentStep[]>();
  for (const s of current) byName.set(s.callout.name, [...(byName.get(s.callout.name) ?? []), s]);
  for (const name of Object.keys(declared)) {
    const candidates = byName.get(name) ?? [];
    const pick1 =
      candidates.find((c) => c.id === preferred[name]) ??
      candidates.find((c) => c.anchor === declared[name].anchor) ??
      candidates[0];
    if (pick1) matched.set(name, pick1);
  }
  const matchedIds = new Set([...matched.values()].map((s) => s.id));
  for (const s of current)
    if (!matchedIds.has(s.id)) ops.deletes.push({ step: s, why: `"${s.callout.name}" is not declared` });
  const anchors = new Set<PlaceableAnchor>(Object.values(declared).map((d) => d.anchor));
  for (const anchor of [...anchors].sort((a, b) => ANCHOR_ORDER.get(a)! - ANCHOR_ORDER.get(b)!)) {
    const want = Object.entries(declared)
      .filter(([, d]) => d.anchor === anchor)
      .sort(([, a], [, b]) => a.index - b.index)
      .map(([n]) => n);
    const have = [...matched.entries()]
      .filter(([, s]) => s.anchor === anchor)
      .sort(([, a], [, b]) => a.index - b.index)
      .map(([n]) => n);
    const keep = lcs(have, want);
    want.forEach((name, slot) => {
      const now = matched.get(name);
      if (now && keep.has(name)) {
        if (!sameFields(now.callout, fieldsOf(name, declared[name]))) ops.edits.push({ step: now, name });
        return;
      }
      if (now) ops.deletes.push({ step: now, why: `"${name}" moves to ${anchor} index ${slot}` });
      ops.creates.push({ name, anchor, slot, ...(now ? { moved: now } : {}) });
    });
  }
  return ops;
}

/**
 * Settles step tasks SRM still runs on the plan (an earlier run's create), so the listing shows their steps. SRM's
 * task list is read once per run, whatever the number of plans.
 */
async function settle(ctx: ProviderContext, client: SrmClient, i: PlanCalloutsInputs): Promise<void> {
  for (const t of await client.pendingStepTasks(i.pairingId, i.planId)) {
    ctx.log(
      `srm: ${label(i as unknown as Props)}: waiting for SRM task ${t.id} (${t.description}) on the plan to finish first`,
    );
    await client.waitForTask(t, { timeoutMs: i.taskTimeoutSeconds * 1000 }).catch(() => undefined);
  }
}

/** Refuses when RecoveryStepCallout resources manage steps of the plan: one owner per step. */
function refuseSharedPlan(client: SrmClient, scope: string, i: PlanCalloutsInputs): void {
  const others = ownersOf(client, scope, "RecoveryStepCallout");
  if (others.length === 0) return;
  throw new Error(
    `plan ${i.planId} has custom steps managed by ${others.join(", ")}. A RecoveryPlanCallouts owns every custom ` +
      `step of its plan, so it cannot share the plan with RecoveryStepCallout resources. Declare those steps in ` +
      `this resource's callouts instead: remove the RecoveryStepCallout resources and run \`pulumi up\` (that ` +
      `deletes their steps), then add this resource; or keep the single callouts and remove this resource.`,
  );
}

/**
 * Brings the plan's custom steps to the declared ones under the plan lock: deletes undeclared and moving steps,
 * edits changed ones in place, then creates the missing ones at their anchor and index in the declared order.
 * `owned` are the steps this resource may change; any other custom step is refused (create without adopt).
 */
async function reconcile(
  ctx: ProviderContext,
  client: SrmClient,
  i: PlanCalloutsInputs,
  mode: { create: boolean; preferred?: Record<string, number> },
): Promise<Props> {
  const scope = planScope(client.url, i.pairingId, i.planId);
  const journal = new CreateJournal(i.journalKey, scope);
  const what = label(i as unknown as Props);
  refuseSharedPlan(client, scope, i);
  await settle(ctx, client, i);
  let current = await currentSteps(client, i.pairingId, i.planId, "mutation");
  if (mode.create) {
    // Steps an earlier create of this resource made (its outcome not seen) are its own; any other is refused
    // unless `adopt` takes them over.
    const mine = new Set(
      await ownIds(
        journal.read(),
        current.map((s) => s.id),
        (id) => {
          const s = current.find((c) => c.id === Number(id));
          const d = s && i.steps[s.callout.name];
          return d !== undefined && sameFields(s!.callout, fieldsOf(s!.callout.name, d));
        },
      ),
    );
    const foreign = current.filter((s) => !mine.has(String(s.id)));
    if (foreign.length > 0 && !i.adopt) {
      throw new Error(
        `plan ${i.planId} already has custom steps that no resource of this stack manages: ` +
          foreign.map((s) => `"${s.callout.name}" (step ${s.id}, ${s.anchor} index ${s.index})`).join(", ") +
          `. A RecoveryPlanCallouts owns every custom step of its plan. To take them over, set \`adopt: true\` (then ` +
          `steps you do not declare are deleted, and \`pulumi destroy\` deletes all of them); or delete them in SRM.`,
      );
    }
    if (foreign.length > 0)
      ctx.log(`srm: ${what}: adopted ${foreign.length} existing custom step(s) of plan ${i.planId}`);
  }
  noteOwner(client, scope, "RecoveryPlanCallouts", i.resourceName ?? "");
  journal.set(current.map((s) => s.id));
  // Ids that existed before this run's inserts, and those it made: what the journal records before each insert.
  const known = new Set(current.map((s) => s.id));
  // Callout data as read, or as this run wrote it: the listing after the round needs to read no other.
  const written = new Map<number, StepFields>(current.map((s) => [s.id, s.callout]));
  let preferred = mode.preferred ?? {};
  let lastTaskId: string | undefined;
  for (let round = 0; ; round++) {
    const applied = await applyOps(ctx, client, i, planOps(current, i.steps, preferred), journal, known);
    lastTaskId = applied.lastTaskId ?? lastTaskId;
    for (const [name, id] of Object.entries({ ...applied.edited, ...applied.made }))
      written.set(id, calloutFieldsOf(name, i.steps[name]));
    current = await currentSteps(client, i.pairingId, i.planId, "mutation", written);
    journal.set(current.map((s) => s.id));
    if (!applied.predicted || round > 0) break;
    // Inserts after the first were placed from the list SRM should hold after the one before. If the plan
    // changed outside this resource meanwhile, a step may have landed out of its place: one more round from
    // the listing just taken puts it back (SRM has no move: a delete and a create).
    preferred = { ...preferred, ...applied.made };
    const again = planOps(current, i.steps, preferred);
    if (again.creates.length === 0 && again.deletes.length === 0) break;
    client.doubtSteps(i.pairingId, i.planId);
    const strangers = current.filter((s) => !known.has(s.id));
    if (mode.create && !i.adopt && strangers.length > 0) {
      throw new Error(
        `plan ${i.planId} gained custom steps while ${what} placed its own: ` +
          strangers
            .map((s) => `"${s.callout.name}" (step ${s.id}, ${s.anchor} index ${s.index})`)
            .join(", ") +
          `. No resource of this stack manages them. Delete them in SRM (or set \`adopt: true\` to take them over), ` +
          `then run \`pulumi up\` again.`,
      );
    }
    for (const s of strangers) known.add(s.id);
    ctx.log(`srm: ${what}: plan ${i.planId} changed while its steps were placed; placing them again`);
  }
  const now = stepsMapOf(current);
  return {
    ...pick(i as unknown as Props, ECHOED_INPUTS),
    steps: now.steps,
    stepIds: now.stepIds,
    ...(lastTaskId ? { taskId: lastTaskId } : {}),
    schemaVersion: SCHEMA_VERSION,
  };
}

/** What one round of {@link applyOps} did. */
interface Applied {
  lastTaskId?: string;
  /** Steps it created, by name. */
  made: Record<string, number>;
  /** Steps it edited, by name. */
  edited: Record<string, number>;
  /** Whether an insert was placed from a predicted list rather than a listing. */
  predicted: boolean;
}

/**
 * Carries out the deletes, edits and creates of one reconcile round, each waiting for its SRM task. An insert
 * whose task names the new step needs no listing after it: the list SRM now holds follows from the one it was
 * placed with, and serves the next insert into the same view.
 */
async function applyOps(
  ctx: ProviderContext,
  client: SrmClient,
  i: PlanCalloutsInputs,
  ops: Ops,
  journal: CreateJournal,
  known: Set<number>,
): Promise<Applied> {
  const what = label(i as unknown as Props);
  const timeoutSeconds = i.taskTimeoutSeconds;
  const wait = (task: Parameters<typeof waitWithProgress>[1]) =>
    waitWithProgress(client, task, {
      label: what,
      timeoutSeconds,
      timeoutInput: "taskTimeoutSeconds",
      log: ctx.log,
    });
  const applied: Applied = { made: {}, edited: {}, predicted: false };
  for (const d of ops.deletes) {
    ctx.log(
      `srm: ${what}: deleting step ${d.step.id} "${d.step.callout.name}" at ${d.step.anchor} (${d.why})`,
    );
    try {
      applied.lastTaskId = (
        await wait(await client.deleteRecoveryStep(i.pairingId, i.planId, d.step.view, d.step.id))
      ).id;
    } catch (e) {
      if (
        !isNotFound(e) &&
        !(
          isSrmError(e) &&
          e.code === "TASK_FAILED" &&
          !(await client.getCallout(i.pairingId, i.planId, d.step.view, d.step.id))
        )
      )
        throw e;
    }
  }
  for (const e of ops.edits) {
    ctx.log(`srm: ${what}: editing step ${e.step.id} "${e.name}"`);
    const d = i.steps[e.name];
    const task = await client.editCallout(i.pairingId, i.planId, e.step.view, e.step.id, {
      name: e.name,
      content: d.content,
      callout_type: d.calloutType as CalloutKind,
      timeout_seconds: d.timeoutSeconds,
    });
    applied.lastTaskId = (await wait(task)).id;
    applied.edited[e.name] = e.step.id;
  }
  for (const c of ops.creates) {
    const d = i.steps[c.name];
    const view = ANCHOR_PLACEMENT[c.anchor].view;
    const predicted = client.latestSteps(i.pairingId, i.planId, view);
    const listing = await client.sharedRecoverySteps(i.pairingId, i.planId, view, "mutation");
    if (listing === predicted) applied.predicted = true;
    const position = flatPosition(listing, c.anchor, c.slot, `plan ${i.planId}`);
    journal.begin([...known], c.name);
    ctx.log(
      `srm: ${what}: ${c.moved ? "re-creating" : "inserting"} "${c.name}" at ${c.anchor} index ${c.slot}`,
    );
    let task;
    try {
      task = await wait(
        await client.createCallout(i.pairingId, i.planId, view, {
          name: c.name,
          content: d.content,
          callout_type: d.calloutType as CalloutKind,
          timeout_seconds: d.timeoutSeconds,
          position,
        }),
      );
    } catch (e) {
      if (srmRefused(e)) journal.cancel();
      throw e;
    }
    applied.lastTaskId = task.id;
    let stepId = stepIdFromTaskResult(task.result);
    if (stepId !== undefined) {
      client.predictSteps(
        i.pairingId,
        i.planId,
        view,
        listing,
        withInsertedStep(listing, position, { id: stepId, title: c.name, anchor: c.anchor, index: c.slot }),
      );
    } else {
      const after = await client.sharedRecoverySteps(i.pairingId, i.planId, view, "mutation");
      stepId = stepsAt(after, c.anchor).find((s) => !known.has(s.id))?.id;
    }
    if (stepId !== undefined) {
      journal.made(stepId);
      known.add(stepId);
      applied.made[c.name] = stepId;
    }
  }
  return applied;
}

/** Outputs after a failure part-way: what SRM holds now, so the next `up` continues from there. */
async function afterFailure(client: SrmClient, i: PlanCalloutsInputs): Promise<Props> {
  const current = await currentSteps(client, i.pairingId, i.planId, "mutation").catch(() => []);
  const now = stepsMapOf(current);
  return {
    ...pick(i as unknown as Props, ECHOED_INPUTS),
    steps: now.steps,
    stepIds: now.stepIds,
    schemaVersion: SCHEMA_VERSION,
  };
}

const idOf = (i: { pairingId: string; planId: string }) => `${i.pairingId}/${i.planId}`;

/** RecoveryPlanCallouts implementation: check, diff, create, read, update, delete. @internal */
export const recoveryPlanCalloutsImplementation: ResourceImplementation = {
  typeName: "RecoveryPlanCallouts",

  async check(_olds, news) {
    return checkPlanCallouts(news);
  },

  async diff(_id, olds, news) {
    const checked =
      news.steps === undefined && news.callouts !== undefined
        ? (checkPlanCallouts(news).inputs ?? news)
        : news;
    const old = upgradeOutputs(olds ?? {});
    const { changed: _c, ...result } = diffFields(old, checked as Props, PLAN_CALLOUTS_DIFF_RULES);
    if (checked.steps === undefined && checked.callouts !== undefined) return { ...result, changes: true };
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)}`;
    const inputs = parse(raw, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      return client.withPlanLock(inputs.pairingId, inputs.planId, async () => {
        try {
          const outs = await reconcile(ctx, client, inputs, { create: true });
          return { id: idOf(inputs), outs };
        } catch (e) {
          const now = await afterFailure(client, inputs);
          const changed = Object.keys(now.steps as object).length > 0;
          // Steps made before the failure: the engine records the resource, and the next `up` continues.
          if (changed && !/cannot share the plan|already has custom steps/.test(String((e as Error).message)))
            throw partialFailure(e, idOf(inputs), now, raw);
          throw e;
        }
      });
    });
  },

  async read(ctx, id, props) {
    // A get (read by id) has no earlier outputs: the id names the pairing and the plan.
    const [pairingId, planId] = id.split("/");
    const old = upgradeOutputs({ pairingId, planId, ...props });
    return withContext(`reading ${label(old)} (plan ${String(old.planId)})`, async () => {
      const { client } = srmClientFor(ctx);
      let current;
      try {
        current = await currentSteps(client, String(old.pairingId), String(old.planId), "read");
      } catch (e) {
        if (isNotFound(e)) return {};
        throw e;
      }
      const now = stepsMapOf(current);
      const outs: Props = { ...old, steps: now.steps, stepIds: now.stepIds, schemaVersion: SCHEMA_VERSION };
      return { id, props: outs, inputs: pick(outs, ECHOED_INPUTS) };
    });
  },

  async update(ctx, _id, olds, news) {
    const old = upgradeOutputs(olds ?? {});
    const what = `updating ${label(news)}`;
    const inputs = parse(news, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      return client.withPlanLock(inputs.pairingId, inputs.planId, async () => {
        try {
          const outs = await reconcile(ctx, client, inputs, {
            create: false,
            preferred: (old.stepIds as Record<string, number> | undefined) ?? {},
          });
          return { outs };
        } catch (e) {
          if (/cannot share the plan/.test(String((e as Error).message))) throw e;
          throw partialFailure(e, idOf(inputs), await afterFailure(client, inputs), news);
        }
      });
    });
  },

  async delete(ctx, _id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(`deleting ${label(old)} (plan ${String(old.planId)})`, async () => {
      const { client } = srmClientFor(ctx);
      const pairingId = String(old.pairingId);
      const planId = String(old.planId);
      const scope = planScope(client.url, pairingId, planId);
      const timeoutSeconds =
        typeof old.taskTimeoutSeconds === "number"
          ? old.taskTimeoutSeconds
          : PLAN_CALLOUTS_TASK_TIMEOUT_SECONDS;
      await client.withPlanLock(pairingId, planId, async () => {
        let current: CurrentStep[];
        try {
          current = await currentSteps(client, pairingId, planId, "mutation");
        } catch (e) {
          if (isNotFound(e)) return;
          throw e;
        }
        // Only the steps this resource stands for: those in its state and those its journal says it made.
        const owned = new Set(Object.values((old.stepIds as Record<string, number>) ?? {}).map(Number));
        for (const id of new CreateJournal(
          typeof old.journalKey === "string" ? old.journalKey : undefined,
          scope,
        ).read()?.created ?? [])
          owned.add(Number(id));
        for (const s of current.filter((c) => owned.has(c.id))) {
          try {
            await waitWithProgress(client, await client.deleteRecoveryStep(pairingId, planId, s.view, s.id), {
              label: label(old),
              timeoutSeconds,
              timeoutInput: "taskTimeoutSeconds",
              log: ctx.log,
            });
          } catch (e) {
            if (!isNotFound(e)) throw e;
          }
        }
      });
      new CreateJournal(typeof old.journalKey === "string" ? old.journalKey : undefined, scope).remove();
      forgetOwner(client, scope, "RecoveryPlanCallouts", String(old.resourceName ?? ""));
    });
  },
};

/** One custom step of a {@link RecoveryPlanCallouts} list. */
export interface PlanCalloutArgs {
  /** Name of the callout, shown as the step title; unique in the runbook (it tells the steps apart). */
  name: pulumi.Input<string>;
  /** Prompt text (PROMPT) or command line (RUN_ON_*). */
  content: pulumi.Input<string>;
  /** `PROMPT`, `RUN_ON_VM` or `RUN_ON_SRM_SERVER`. */
  calloutType: pulumi.Input<CalloutKind>;
  /** Seconds a RUN_ON_* command may run (0..59999; default 300). Not allowed for PROMPT. */
  timeoutSeconds?: pulumi.Input<number>;
}

/** The runbook: for each anchor, its custom steps in the order they run. See {@link CalloutAnchorInput}. */
export type PlanCalloutLists = { [A in CalloutAnchorInput]?: pulumi.Input<pulumi.Input<PlanCalloutArgs>[]> };

/** Arguments of a {@link RecoveryPlanCallouts}. */
export interface RecoveryPlanCalloutsArgs extends SiteArgs {
  /** SRM id of the pairing that holds the plan (see `getPairing`). Changing it replaces the resource. */
  pairingId: pulumi.Input<string>;
  /** SRM id of the recovery plan (see `getRecoveryPlan`). Changing it replaces the resource. */
  planId: pulumi.Input<string>;
  /**
   * Every custom step of the plan: for each anchor, the steps there in the order they run. The anchor decides
   * which workflows run a step (`BEFORE_RECOVER_PRIORITY_n_VMS` and `AT_END`: tests and a real failover; the
   * storage and protected-site anchors: a failover only; see {@link CalloutAnchorInput}). A step is known by its
   * name: a changed content, type or timeout is edited in place; a step at another anchor or place is moved
   * (SRM has no move: deleted and created again); a renamed step is deleted and a new one created.
   */
  callouts: pulumi.Input<PlanCalloutLists>;
  /** Seconds to wait for each SRM create, edit and delete task; default 300. Changing it changes nothing in SRM. */
  taskTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over the custom steps the plan already has when this resource is created. Default false: a plan
   * with custom steps that no resource of the stack made is an error. Once taken over, steps that are not
   * declared are deleted by `up`, and `pulumi destroy` deletes every step (set the `retainOnDelete` resource
   * option to keep them).
   */
  adopt?: pulumi.Input<boolean>;
}

const RUNBOOK_CLASS: ResourceClassSpec = {
  typeName: "RecoveryPlanCallouts",
  deleteBeforeReplace: true,
  timeoutInput: "taskTimeoutSeconds",
  inputs: {
    site: undefined,
    pairingId: undefined,
    planId: undefined,
    callouts: undefined,
    taskTimeoutSeconds: undefined,
    adopt: undefined,
  } satisfies Record<keyof RecoveryPlanCalloutsArgs, undefined>,
  outputs: ["steps", "stepIds", "taskId", "schemaVersion"],
};

/**
 * The whole runbook of one recovery plan: every plan-level custom step (prompt or command), as ordered lists per
 * anchor. It owns all custom steps of the plan: `preview` shows each step inserted, edited, moved or deleted;
 * `up` applies them under the plan's lock in the declared order; a step made outside Pulumi is drift that
 * `refresh` shows and the next `up` removes. It refuses a plan whose steps RecoveryStepCallout resources manage.
 */
export class RecoveryPlanCallouts extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** SRM id of the recovery plan. */
  declare readonly planId: pulumi.Output<string>;
  /** The plan's custom steps as SRM holds them, keyed by name: anchor, index, type, content and timeout. */
  declare readonly steps: pulumi.Output<Record<string, DeclaredStep>>;
  /** SRM recovery step id of each step, by name (a moved step gets a new id). */
  declare readonly stepIds: pulumi.Output<Record<string, number>>;
  /** Id of the last SRM task the last change ran (unset when nothing changed). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** Seconds allowed for SRM tasks. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** True when `obj` is a RecoveryPlanCallouts, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is RecoveryPlanCallouts {
    return isSrmResource(obj, "RecoveryPlanCallouts");
  }

  /**
   * The custom steps of an existing plan, by resource id (`<pairingId>/<planId>`), as a resource of this stack.
   * The stack reads them (and refresh re-reads them) but never changes or deletes them.
   * @param name - Name of the resource in the stack.
   * @param id - Its resource id.
   * @param opts - Resource options (`id` is set from the argument), and `site`: the site in `srm:sites` whose SRM
   *   server holds the object (default: the single-site settings).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: GetOptions): RecoveryPlanCallouts {
    return new RecoveryPlanCallouts(name, undefined, readByIdOptions(id, opts));
  }

  constructor(name: string, args: RecoveryPlanCalloutsArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    const c = resourceClassArgs(RUNBOOK_CLASS, name, args, opts);
    super(shimFor("recovery-plan-callouts"), name, c.props, c.opts, "srm", "RecoveryPlanCallouts");
  }
}
