// RecoveryStepCallout: one custom recovery step (a prompt or command) of a recovery plan, placed by its anchor
// and its index among the custom steps there, as SRM models custom steps (SRM administration guide, "Creating
// custom recovery steps"; `PlanCalloutPosition` in the REST API spec). Custom steps belong to the plan: one
// anchored before "Power on priority 1 VMs" runs in tests and in a real failover alike.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  ANCHOR_PLACEMENT,
  CALLOUT_ANCHOR_WORKFLOWS,
  CALLOUT_TYPES,
  MAX_CALLOUT_TIMEOUT_SECONDS,
  PLACEABLE_ANCHORS,
  VIEW_MODES,
  type Callout,
  type CalloutCreateSpec,
  type CalloutModifySpec,
  type PlaceableAnchor,
  type RecoveryStep,
  type ViewMode,
} from "../api/index.js";
import { isSrmError, srmRefused } from "../client/errors.js";
import type { SrmClient } from "../client/index.js";
import {
  findCallout,
  flatPosition,
  inDeclaredOrder,
  sameFields,
  sameLayout,
  slotFor,
  stepsAt,
  viewOf,
  withInsertedStep,
} from "../shared/callout-placement.js";
import { checkInputs, normalizedForDiff, parseInputs, type CrossFieldRule } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { CreateJournal, ownIds } from "../dynamic/create-journal.js";
import {
  boundedInt,
  idString,
  journalKey,
  requiredString,
  resourceName,
  taskTimeout,
} from "../dynamic/input-schemas.js";
import type { ProviderContext } from "../dynamic/provider-context.js";
import { srmClientFor } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import {
  readByIdOptions,
  resourceClassArgs,
  type GetOptions,
  type ResourceClassSpec,
} from "../dynamic/resource-class.js";
import { isSrmResource } from "../dynamic/resource-options.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { isNotFound, withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { containsUnknown } from "../dynamic/unknowns.js";
import { forgetOwner, noteOwner, ownersOf, planScope } from "../shared/plan-step-owners.js";
import {
  calloutSettled,
  declareCallout,
  IndexPastEnd,
  siblingDeclared,
  siblingsBefore,
  siblingsDeclaredBefore,
  type CalloutPlace,
} from "../shared/callout-siblings.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a RecoveryStepCallout. */
export const CALLOUT_TASK_TIMEOUT_SECONDS = 300;
/** Default `timeoutSeconds` of RUN_ON_* callouts (SRM's own default for commands). */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 300;

// Spelled out rather than derived from provider/api, so the public declarations need no zod types; the
// assertions below keep them equal to the wire enums.
/** View modes: test | recovery | cleanup | reprotect. */
export type CalloutViewMode = "test" | "recovery" | "cleanup" | "reprotect";
/** Callout types: PROMPT | RUN_ON_VM | RUN_ON_SRM_SERVER. */
export type CalloutKind = "PROMPT" | "RUN_ON_VM" | "RUN_ON_SRM_SERVER";
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameViewModes: Same<CalloutViewMode, ViewMode> = true;
const _sameKinds: Same<CalloutKind, (typeof CALLOUT_TYPES)[number]> = true;
void _sameViewModes;
void _sameKinds;

/**
 * Where a custom step sits: before one of SRM's built-in step groups, or at the end. Which workflows run a
 * step there (from the SRM REST API spec's `PlanCalloutPosition`):
 * - test and failover (`recovery`): `BEFORE_RECOVER_PRIORITY_1_VMS` .. `_5_VMS`, `AT_END`;
 * - failover only (SRM does not run commands or prompts before "Configure test networks" in a test):
 *   `BEFORE_PRESYNC_STORAGE`, `BEFORE_SHUTDOWN_PROTECTED_SITE_VMS`, `BEFORE_RESUME_PROTECTED_SITE_VMS`,
 *   `BEFORE_BEGIN_PREPARE_PRIMARY_SITE_HOSTS`, `BEFORE_RESTORE_HOSTS`, `BEFORE_BEGIN_PREPARE_STORAGE`,
 *   `BEFORE_SYNC_STORAGE`, `BEFORE_SUSPEND_RECOVERY_SITE_VMS`, `BEFORE_PREPARE_STORAGE`,
 *   `BEFORE_CONFIGURE_STORAGE`, and for vMotion plans `BEFORE_RESTORING_HOSTS_FOR_MIGRATION`,
 *   `BEFORE_SUSPEND_RECOVERY_SITE_VMS_FOR_MIGRATION`, `BEFORE_PREPARE_STORAGE_FOR_VMOTION`, `BEFORE_VMOTION_VMS`;
 * - test cleanup: `BEFORE_POWER_OFF_RECOVERY_SITE_VMS`, `BEFORE_RESUME_RECOVERY_SITE_VMS`, `BEFORE_RESTORE_STORAGE`;
 * - reprotect: `BEFORE_CREATE_PLACEHOLDER_VMS`, `BEFORE_FINALIZE_STORAGE`, `BEFORE_REVERSE_REPLICATION`.
 */
export type CalloutAnchorInput =
  | "BEFORE_PRESYNC_STORAGE"
  | "BEFORE_RESTORING_HOSTS_FOR_MIGRATION"
  | "BEFORE_SUSPEND_RECOVERY_SITE_VMS_FOR_MIGRATION"
  | "BEFORE_PREPARE_STORAGE_FOR_VMOTION"
  | "BEFORE_VMOTION_VMS"
  | "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS"
  | "BEFORE_RESUME_PROTECTED_SITE_VMS"
  | "BEFORE_BEGIN_PREPARE_PRIMARY_SITE_HOSTS"
  | "BEFORE_RESTORE_HOSTS"
  | "BEFORE_BEGIN_PREPARE_STORAGE"
  | "BEFORE_SYNC_STORAGE"
  | "BEFORE_SUSPEND_RECOVERY_SITE_VMS"
  | "BEFORE_PREPARE_STORAGE"
  | "BEFORE_CONFIGURE_STORAGE"
  | "BEFORE_RECOVER_PRIORITY_1_VMS"
  | "BEFORE_RECOVER_PRIORITY_2_VMS"
  | "BEFORE_RECOVER_PRIORITY_3_VMS"
  | "BEFORE_RECOVER_PRIORITY_4_VMS"
  | "BEFORE_RECOVER_PRIORITY_5_VMS"
  | "AT_END"
  | "BEFORE_POWER_OFF_RECOVERY_SITE_VMS"
  | "BEFORE_RESUME_RECOVERY_SITE_VMS"
  | "BEFORE_RESTORE_STORAGE"
  | "BEFORE_CREATE_PLACEHOLDER_VMS"
  | "BEFORE_FINALIZE_STORAGE"
  | "BEFORE_REVERSE_REPLICATION";
const _sameAnchors: Same<CalloutAnchorInput, PlaceableAnchor> = true;
void _sameAnchors;

/** Which workflows run a step at an anchor, in words, for messages and docs. @internal */
export function workflowsOf(anchor: PlaceableAnchor): string {
  const w = CALLOUT_ANCHOR_WORKFLOWS[anchor].filter((x) => x !== "rollback") as string[];
  return anchor.startsWith("BEFORE_RECOVER_PRIORITY") || anchor === "AT_END"
    ? "test and failover"
    : w.includes("failover")
      ? "failover only"
      : w.join(", ");
}

/** Validated RecoveryStepCallout inputs (camelCase). `timeoutSeconds` gets its default in {@link applyTimeoutDefault}. @internal */
export const CalloutInputsSchema = z.object({
  resourceName,
  journalKey,
  /** The program's other callouts at the same place with a lower index (hidden; see callout-siblings.ts). */
  siblingsBefore: z.array(z.string()).optional(),
  pairingId: idString("SRM id of the pairing"),
  planId: idString("SRM id of the recovery plan"),
  anchor: z.enum(PLACEABLE_ANCHORS as [PlaceableAnchor, ...PlaceableAnchor[]], {
    error: `must be one of ${PLACEABLE_ANCHORS.join(", ")}`,
  }),
  index: boundedInt(0, 999, "zero-based index among the custom steps at the anchor").default(0),
  name: requiredString("name of the callout"),
  content: requiredString("prompt text or command line"),
  calloutType: z.enum(CALLOUT_TYPES, { error: `must be one of ${CALLOUT_TYPES.join(", ")}` }),
  timeoutSeconds: boundedInt(0, MAX_CALLOUT_TIMEOUT_SECONDS, "seconds a command may run").optional(),
  taskTimeoutSeconds: taskTimeout(CALLOUT_TASK_TIMEOUT_SECONDS),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
});
/** RecoveryStepCallout inputs after validation and the `timeoutSeconds` default. @internal */
export type CalloutInputs = z.infer<typeof CalloutInputsSchema> & {
  /**
   * Seconds a RUN_ON_* command may run before SRM fails the step; always set here, because check fills in 0 for
   * a PROMPT and {@link DEFAULT_COMMAND_TIMEOUT_SECONDS} for commands.
   */
  timeoutSeconds: number;
};

/** PROMPT callouts have no timeout: SRM accepts only 0 for them. */
const promptHasNoTimeout: CrossFieldRule<z.infer<typeof CalloutInputsSchema>> = (data, unknownFields) => {
  if (unknownFields.has("calloutType") || unknownFields.has("timeoutSeconds")) return [];
  if (data.calloutType === "PROMPT" && data.timeoutSeconds !== undefined && data.timeoutSeconds > 0) {
    return [
      {
        property: "timeoutSeconds",
        reason:
          "timeoutSeconds: applies only to RUN_ON_VM and RUN_ON_SRM_SERVER callouts; omit it (or set 0) for a PROMPT",
      },
    ];
  }
  return [];
};
const RULES = [promptHasNoTimeout];

/** `timeoutSeconds` defaults to 0 for prompts and {@link DEFAULT_COMMAND_TIMEOUT_SECONDS} for commands. @internal */
export function applyTimeoutDefault(inputs: Props): Props {
  if (inputs.timeoutSeconds !== undefined || typeof inputs.calloutType !== "string") return inputs;
  if (!(CALLOUT_TYPES as readonly string[]).includes(inputs.calloutType)) return inputs;
  return { ...inputs, timeoutSeconds: inputs.calloutType === "PROMPT" ? 0 : DEFAULT_COMMAND_TIMEOUT_SECONDS };
}

function checkCallout(news: Props): pulumi.dynamic.CheckResult {
  if (news.viewMode !== undefined || news.position !== undefined) {
    return {
      failures: [
        {
          property: news.viewMode !== undefined ? "viewMode" : "position",
          reason:
            "viewMode and position are no longer inputs: a custom step belongs to the plan and is placed by `anchor` " +
            "(e.g. BEFORE_RECOVER_PRIORITY_1_VMS) and `index` among the steps there; `pulumi refresh` shows the " +
            "anchor and index of an existing callout",
        },
      ],
    };
  }
  const result = checkInputs(CalloutInputsSchema, news, RULES);
  if (result.failures && result.failures.length > 0) return result;
  return { inputs: applyTimeoutDefault(result.inputs as Props) };
}

/** The one place camelCase inputs become the wire bodies. @internal */
export function toCalloutCreateSpec(i: CalloutInputs, position: number): CalloutCreateSpec {
  return {
    name: i.name,
    content: i.content,
    callout_type: i.calloutType,
    timeout_seconds: i.timeoutSeconds,
    position,
  };
}

/** @internal */
export function toCalloutModifySpec(i: CalloutInputs): CalloutModifySpec {
  return { name: i.name, content: i.content, callout_type: i.calloutType, timeout_seconds: i.timeoutSeconds };
}

/** Inputs echoed into outputs. */
const ECHOED_INPUTS = [
  "resourceName",
  "journalKey",
  "pairingId",
  "planId",
  "anchor",
  "index",
  "name",
  "content",
  "calloutType",
  "timeoutSeconds",
  "taskTimeoutSeconds",
  "adopt",
] as const;
/** Inputs a refresh reads back from SRM (the ones that can drift). */
const DRIFTING_INPUTS = [
  "resourceName",
  "journalKey",
  "pairingId",
  "planId",
  "anchor",
  "index",
  "name",
  "content",
  "calloutType",
  "timeoutSeconds",
  "taskTimeoutSeconds",
  "adopt",
] as const;

/** Fields the edit action changes. */
const EDIT_FIELDS = ["name", "content", "calloutType", "timeoutSeconds"];

/**
 * pairingId and planId replace (deleting first, so the new plan never holds both). A changed anchor or index is
 * an update that moves the step: SRM has no move, so the step is deleted and created again at its new place,
 * under the plan lock.
 * @internal
 */
export const CALLOUT_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "planId"],
  update: [...EDIT_FIELDS, "anchor", "index", "taskTimeoutSeconds", "adopt"],
  deleteBeforeReplace: true,
};

/** Whether a server callout is the one the inputs describe. @internal */
export function sameCallout(c: Callout, i: CalloutInputs): boolean {
  return sameFields(c, i);
}

/** The new step id from a finished create task: `result.recovery_step_id`, `result.id` or a bare number. @internal */
export function stepIdFromTaskResult(result: unknown): number | undefined {
  const asId = (v: unknown) =>
    typeof v === "number" && Number.isInteger(v)
      ? v
      : typeof v === "string" && /^\d+$/.test(v)
        ? Number(v)
        : undefined;
  if (result === null || result === undefined) return undefined;
  if (typeof result !== "object") return asId(result);
  const r = result as Record<string, unknown>;
  return asId(r.recovery_step_id) ?? asId(r.step_id) ?? asId(r.id);
}

/** Resource id: every coordinate of the step, so the id alone locates it. @internal */
export function calloutId(pairingId: string, planId: string, viewMode: string, stepId: number): string {
  return `${pairingId}/${planId}/${viewMode}/${stepId}`;
}

/**
 * The state a get (read by id, with no earlier outputs) reads from: the pairing, plan, view and step the id
 * names. State with outputs, or a create whose outcome was not seen, is returned as it is.
 */
function stateOrId(id: string, props: Props | undefined): Props {
  if (props?.stepId !== undefined || props?.pendingCreate !== undefined) return props ?? {};
  const [pairingId, planId, viewMode, stepId, extra] = id.split("/");
  if (extra !== undefined || !pairingId || !planId || !viewMode || !stepId || !/^\d+$/.test(stepId)) {
    throw new Error(
      `RecoveryStepCallout id "${id}" is not <pairingId>/<planId>/<viewMode>/<stepId>; pass the id of the ` +
        `callout as \`pulumi stack export\` or RecoveryStepCallout's id output shows it.`,
    );
  }
  return { ...props, pairingId, planId, viewMode, stepId: Number(stepId) };
}

const label = (props: Props | undefined) =>
  labelOf("RecoveryStepCallout", props, `"${String(props?.name ?? "?")}"`);

function where(p: Props): string {
  const at = p.anchor !== undefined ? `anchor ${String(p.anchor)}` : `${String(p.viewMode)} steps`;
  return `${at} of plan ${String(p.planId)} (pairing ${String(p.pairingId)})`;
}

function parse(news: Props, what: string): CalloutInputs {
  return applyTimeoutDefault(parseInputs(CalloutInputsSchema, news, what, RULES) as Props) as CalloutInputs;
}

/**
 * Steps created or adopted by resources of this process (one engine run), with the index each declared. Two
 * resources declaring the same callout get a step each; a create placed later goes after every step whose
 * declared index is lower, whatever order the engine issues the creates in. Kept per client, not per URL: a
 * server that later answers at the same address (a restarted or another SRM) has steps of its own under the
 * same ids, and a dropped client takes its claims with it.
 */
const claimedSteps = new WeakMap<SrmClient, Map<string, { owner: string; index: number }>>();
const claimKey = (planId: string, stepId: number) => `${planId}|${stepId}`;

/** The steps claimed through `client`, by {@link claimKey}. */
function claimsOf(client: SrmClient): Map<string, { owner: string; index: number }> {
  let claims = claimedSteps.get(client);
  if (!claims) claimedSteps.set(client, (claims = new Map()));
  return claims;
}

/** Where a callout goes, for the siblings still to be placed there. */
const placeOfInputs = (site: string | undefined, i: CalloutInputs): CalloutPlace => ({
  site,
  pairingId: i.pairingId,
  planId: i.planId,
  anchor: i.anchor,
});

/**
 * Refuses an index past the end of the anchor before any SRM task starts: `stepsThere` custom steps are at the
 * anchor now (the callout's own step left out), and siblings with a lower index may still come before it.
 */
function requireIndexInRange(place: CalloutPlace, i: CalloutInputs, stepsThere: number): void {
  const siblings = siblingsBefore(place, i.resourceName ?? "", i.index, i.siblingsBefore);
  if (i.index > stepsThere + siblings) throw new IndexPastEnd(place, i.index, stepsThere, siblings);
}

/**
 * Runs a placement (under the plan's lock) again each time another callout is declared at its place while it
 * finds its index past the end: a sibling whose inputs resolved later reaches Check later. Once none comes
 * within a short wait, the index is past the end.
 */
async function waitingForSiblings<T>(place: CalloutPlace, run: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await run();
    } catch (e) {
      if (e instanceof IndexPastEnd && (await siblingDeclared(place))) continue;
      throw e;
    }
  }
}

/** The view a stored callout is listed in: the anchor's, or the first release's `viewMode`. */
function viewOfState(old: Props): ViewMode {
  if (typeof old.anchor === "string" && old.anchor in ANCHOR_PLACEMENT)
    return viewOf(old.anchor as PlaceableAnchor);
  return (VIEW_MODES as readonly string[]).includes(String(old.viewMode))
    ? (old.viewMode as ViewMode)
    : "recovery";
}

/** A failure after SRM may have acted: the engine records the resource with these outputs (partial failure). */
function pendingFailure(e: unknown, id: string, properties: Props): Error {
  const err = (e instanceof Error ? e : new Error(String(e))) as Error & {
    id?: string;
    properties?: Props;
    reasons?: string[];
  };
  err.message +=
    " SRM may have created the callout: the stack records it as pending, and the next `pulumi up` or `pulumi refresh` " +
    "finds the step it made (by the step ids that existed before) instead of adding a second one.";
  err.id = id;
  err.properties = properties;
  err.reasons = [err.message];
  return err;
}

/**
 * Refuses a plan whose custom steps a RecoveryPlanCallouts owns (it would delete this step as undeclared);
 * else notes this resource as managing steps of the plan, so such a resource refuses the plan in turn.
 */
function claimPlan(client: SrmClient, p: { pairingId: string; planId: string; resourceName?: string }): void {
  const scope = planScope(client.url, p.pairingId, p.planId);
  const runbooks = ownersOf(client, scope, "RecoveryPlanCallouts");
  if (runbooks.length > 0) {
    throw new Error(
      `the custom steps of plan ${p.planId} are all managed by ${runbooks.join(", ")}, which deletes any step it ` +
        `does not declare. Declare this step in that resource's \`callouts\` (at its anchor, in its place) and remove ` +
        `this RecoveryStepCallout.`,
    );
  }
  noteOwner(client, scope, "RecoveryStepCallout", p.resourceName ?? "");
}

/** The create journal of a callout resource: its step ids in the plan. */
function journalOf(client: SrmClient, p: Props | CalloutInputs) {
  return new CreateJournal(
    typeof p.journalKey === "string" ? p.journalKey : undefined,
    `${client.url}|${String(p.pairingId)}|${String(p.planId)}`,
  );
}

/** A step with its callout data. */
type Placed = Inserted & { callout: Callout };

/** A step the create task made, found or adopted. */
interface Inserted {
  stepId: number;
  callout?: Callout;
  steps: RecoveryStep[];
  adopted: boolean;
  taskId?: string;
  /**
   * False while the step's place is predicted (from the step id the task named and the list the insert was
   * placed with) and no listing has shown it yet; {@link confirmPlaced} confirms it.
   */
  confirmed: boolean;
}

/** New identical steps at the anchor that were not among `known`: what a create whose answer was lost made. */
async function findOwnCreate(
  client: SrmClient,
  i: CalloutInputs,
  steps: readonly RecoveryStep[],
  known: ReadonlySet<number>,
): Promise<{ stepId: number; callout: Callout } | undefined> {
  const view = viewOf(i.anchor);
  for (const s of steps) {
    if (known.has(s.id) || !s.plan_callout_position_spec) continue;
    if (claimsOf(client).has(claimKey(i.planId, s.id))) continue;
    const c = await client.getCallout(i.pairingId, i.planId, view, s.id);
    if (c && sameFields(c, i)) return { stepId: s.id, callout: c };
  }
  return undefined;
}

/** Where a step of the listing is: its anchor and index, if it is a custom step. */
function placeOf(
  steps: readonly RecoveryStep[],
  stepId: number,
): { anchor: string; index: number } | undefined {
  const spec = steps.find((s) => s.id === stepId)?.plan_callout_position_spec;
  return spec ? { anchor: spec.position_spec_position, index: spec.position_spec_index } : undefined;
}

/**
 * Creates the callout at its anchor and index (the caller holds the plan lock). An identical callout already
 * at the anchor is adopted only with `adopt: true`; without it that is an error that says how to opt in.
 */
async function placeCallout(
  ctx: ProviderContext,
  client: SrmClient,
  i: CalloutInputs,
  raw: Props,
): Promise<Inserted> {
  const view = viewOf(i.anchor);
  claimPlan(client, i);
  await settleStepTasks(ctx, client, i, raw);
  const owner = i.resourceName ?? "";
  const planLabel = `plan ${i.planId}`;
  // Under the plan's lock: the listing the previous insert into this plan took after its task, when there was one.
  const steps = await client.sharedRecoverySteps(i.pairingId, i.planId, view, "mutation");
  const journal = journalOf(client, i);
  // A step an earlier create of this resource made (its answer lost, or its engine killed) is this resource's:
  // found by the journal's step ids, wherever later inserts moved it, and never made a second time.
  const custom = steps.filter((s) => s.plan_callout_position_spec).map((s) => s.id);
  const [mine] = await ownIds(journal.read(), custom, async (id) => {
    if (claimsOf(client).has(claimKey(i.planId, Number(id)))) return false;
    const c = await client.getCallout(i.pairingId, i.planId, view, Number(id));
    return c !== undefined && sameFields(c, i);
  });
  if (mine !== undefined && !claimsOf(client).has(claimKey(i.planId, Number(mine)))) {
    const stepId = Number(mine);
    const callout = await findCallout(client, { ...i, view }, steps, stepId);
    if (callout && placeOf(steps, stepId)?.anchor !== i.anchor) {
      // The program moved it since: it goes, and the step is made again at its declared place below.
      await deleteStep(
        ctx,
        client,
        { pairingId: i.pairingId, planId: i.planId, view, stepId, timeoutSeconds: i.taskTimeoutSeconds },
        label(raw),
      );
      journal.set([]);
      return placeCallout(ctx, client, i, raw);
    }
    if (callout) {
      claimsOf(client).set(claimKey(i.planId, stepId), { owner, index: i.index });
      journal.set([stepId]);
      ctx.log(`srm: ${label(raw)}: found step ${stepId}, made by an earlier create of this resource`);
      return { stepId, callout, steps, adopted: false, confirmed: true };
    }
  }
  const at = stepsAt(steps, i.anchor);
  for (const s of at) {
    if (s.title !== i.name || claimsOf(client).has(claimKey(i.planId, s.id))) continue;
    const existing = await client.getCallout(i.pairingId, i.planId, view, s.id);
    if (!existing || !sameFields(existing, i)) continue;
    if (!i.adopt) {
      throw new Error(
        `an identical callout "${i.name}" already exists at ${i.anchor} (index ` +
          `${s.plan_callout_position_spec!.position_spec_index}, step ${s.id}) and no resource of this stack manages it. ` +
          `To manage that step with this resource, set \`adopt: true\` (then \`pulumi destroy\` deletes it from SRM); ` +
          `or delete it in SRM, or give this callout another name.`,
      );
    }
    ctx.log(`srm: ${label(raw)}: adopted the existing identical callout step ${s.id} at ${i.anchor}`);
    claimsOf(client).set(claimKey(i.planId, s.id), { owner, index: i.index });
    journal.set([s.id]);
    return { stepId: s.id, callout: existing, steps, adopted: true, confirmed: true };
  }
  requireIndexInRange(placeOfInputs(ctx.site, i), i, at.length);
  const slot = slotFor(at, i.index, (id) => claimsOf(client).get(claimKey(i.planId, id))?.index);
  const position = flatPosition(steps, i.anchor, slot, planLabel);
  const known = new Set(steps.map((s) => s.id));
  let done;
  journal.begin([...known], i.name);
  try {
    const task = await client.createCallout(i.pairingId, i.planId, view, toCalloutCreateSpec(i, position));
    done = await waitWithProgress(client, task, {
      label: label(raw),
      timeoutSeconds: i.taskTimeoutSeconds,
      timeoutInput: "taskTimeoutSeconds",
      log: ctx.log,
    });
  } catch (e) {
    if (srmRefused(e)) {
      journal.cancel();
      throw e;
    }
    // The answer was lost or the wait ended: SRM may have made the step. Look once; else record it as pending.
    const now = await client.listRecoverySteps(i.pairingId, i.planId, view).catch(() => undefined);
    const own = now && (await findOwnCreate(client, i, now, known).catch(() => undefined));
    if (own && now) {
      claimsOf(client).set(claimKey(i.planId, own.stepId), { owner, index: i.index });
      journal.set([own.stepId]);
      return { ...own, steps: now, adopted: false, confirmed: true };
    }
    throw pendingFailure(e, `${i.pairingId}/${i.planId}/pending`, {
      ...pick(i as unknown as Props, ECHOED_INPUTS),
      pendingCreate: { knownStepIds: [...known] },
      schemaVersion: SCHEMA_VERSION,
    });
  }
  let stepId = stepIdFromTaskResult(done.result);
  if (stepId !== undefined) {
    // SRM named the new step: the plan's list now follows from the one the insert was placed with, so the next
    // insert into the plan goes ahead without a listing, and a listing after the lock confirms the place.
    claimsOf(client).set(claimKey(i.planId, stepId), { owner, index: i.index });
    journal.set([stepId]);
    const predicted = withInsertedStep(steps, position, {
      id: stepId,
      title: i.name,
      anchor: i.anchor,
      index: slot,
    });
    client.predictSteps(i.pairingId, i.planId, view, steps, predicted);
    return { stepId, steps: predicted, adopted: false, taskId: done.id, confirmed: false };
  }
  // Taken after the task (which dropped the plan's listings), still under the lock: it finds the new step and
  // confirms where it landed.
  const after = await client.sharedRecoverySteps(i.pairingId, i.planId, view, "mutation");
  let callout: Callout | undefined;
  if (stepId === undefined) ({ stepId, callout } = (await findOwnCreate(client, i, after, known)) ?? {});
  if (stepId === undefined || !after.some((s) => s.id === stepId)) {
    throw new Error(
      `task ${done.id} succeeded but the new callout cannot be found in the ${view} steps. Check the plan in the ` +
        `SRM UI, then run \`pulumi up\` again.`,
    );
  }
  claimsOf(client).set(claimKey(i.planId, stepId), { owner, index: i.index });
  journal.set([stepId]);
  const place = placeOf(after, stepId);
  if (place?.anchor !== i.anchor) {
    throw new Error(
      `SRM placed the new callout (step ${stepId}, task ${done.id}) at ${place?.anchor ?? "no anchor"} instead of ` +
        `${i.anchor}: its step list differs from the one this provider knows. Move or delete it in the SRM UI.`,
    );
  }
  return { stepId, callout, steps: after, adopted: false, taskId: done.id, confirmed: true };
}

/** The error of a created step that was deleted outside Pulumi before its place could be confirmed. */
function goneMeanwhile(inserted: Inserted): Error {
  return new Error(
    `task ${inserted.taskId ?? "?"} created step ${inserted.stepId}, but the step was gone before its place could ` +
      `be confirmed: it was deleted outside Pulumi meanwhile. Check the plan in the SRM UI, then run ` +
      `\`pulumi up\` again.`,
  );
}

/**
 * Confirms with one listing where a created step landed (taken after the plan's lock when the caller holds
 * none, so the next insert into the plan does not wait for it). A listing that differs from the list this
 * process predicted makes the next insert list the plan first; a step out of its declared place (the plan was
 * changed outside Pulumi after the list the insert was placed with) is deleted and placed again, under the
 * lock, from a fresh listing.
 */
async function confirmPlaced(
  ctx: ProviderContext,
  client: SrmClient,
  i: CalloutInputs,
  raw: Props,
  inserted: Inserted,
  locked: boolean,
): Promise<Inserted> {
  if (inserted.confirmed) return inserted;
  const view = viewOf(i.anchor);
  const declared = (id: number) => claimsOf(client).get(claimKey(i.planId, id))?.index;
  const check = (steps: RecoveryStep[], stepId: number) =>
    inDeclaredOrder(steps, stepId, i.anchor, i.index, declared);
  const now = await client.listRecoverySteps(i.pairingId, i.planId, view);
  // The listing may already show the next insert's step (its task ended first): the list predicted after it.
  const latest = client.latestSteps(i.pairingId, i.planId, view);
  if (!sameLayout(now, inserted.steps) && !(latest && sameLayout(now, latest))) {
    client.doubtSteps(i.pairingId, i.planId);
  }
  const placed = check(now, inserted.stepId);
  if (placed === undefined) throw goneMeanwhile(inserted);
  if (placed) return { ...inserted, steps: now, confirmed: true };
  const placeAgain = async (): Promise<Inserted> => {
    // A listing taken while another insert ran may show that one's step too: look again with the plan still.
    const fresh = await client.listRecoverySteps(i.pairingId, i.planId, view);
    const still = check(fresh, inserted.stepId);
    if (still === undefined) throw goneMeanwhile(inserted);
    if (still) return { ...inserted, steps: fresh, confirmed: true };
    const was = placeOf(fresh, inserted.stepId);
    ctx.log(
      `srm: ${label(raw)}: step ${inserted.stepId} landed at ${was?.anchor ?? "?"} index ${was?.index ?? "?"}, out of ` +
        `its declared place (the plan was changed outside Pulumi during this run); placing it again`,
    );
    await deleteStep(
      ctx,
      client,
      {
        pairingId: i.pairingId,
        planId: i.planId,
        view,
        stepId: inserted.stepId,
        timeoutSeconds: i.taskTimeoutSeconds,
      },
      label(raw),
    );
    claimsOf(client).delete(claimKey(i.planId, inserted.stepId));
    journalOf(client, i).set([]);
    const again = await placeCallout(ctx, client, { ...i, adopt: false }, raw);
    if (again.confirmed) return again;
    const after = await client.listRecoverySteps(i.pairingId, i.planId, view);
    if (check(after, again.stepId)) return { ...again, steps: after, confirmed: true };
    const at = placeOf(after, again.stepId);
    throw new Error(
      `SRM placed the new callout (step ${again.stepId}, task ${again.taskId ?? "?"}) at ${at?.anchor ?? "no anchor"} ` +
        `index ${at?.index ?? "?"} instead of its declared place at ${i.anchor}: the plan keeps changing outside ` +
        `Pulumi during this run. Check the plan in the SRM UI, then run \`pulumi up\` again.`,
    );
  };
  return locked ? placeAgain() : client.withPlanLock(i.pairingId, i.planId, placeAgain);
}

/**
 * The callout data of a step the create confirmed. Read after the plan's lock is released when the caller
 * can, so the next insert into the plan does not wait for it.
 */
async function readInserted(client: SrmClient, i: CalloutInputs, placed: Inserted): Promise<Placed> {
  if (placed.callout) return { ...placed, callout: placed.callout };
  const callout = await client.getCallout(i.pairingId, i.planId, viewOf(i.anchor), placed.stepId);
  if (!callout) {
    throw new Error(
      `task ${placed.taskId ?? "?"} created step ${placed.stepId}, but the step was gone before its callout ` +
        `data could be read: it was deleted outside Pulumi meanwhile. Check the plan in the SRM UI, then run ` +
        `\`pulumi up\` again.`,
    );
  }
  return { ...placed, callout };
}

/**
 * Waits for step tasks of the plan that SRM may still run, e.g. a create queued by an engine run that died or
 * one whose wait here timed out: the listing taken next then shows the step it makes, so it is found (or
 * refused) instead of made a second time.
 */
async function settleStepTasks(
  ctx: ProviderContext,
  client: SrmClient,
  i: CalloutInputs,
  raw: Props,
): Promise<void> {
  for (const t of await client.pendingStepTasks(i.pairingId, i.planId)) {
    ctx.log(
      `srm: ${label(raw)}: waiting for SRM task ${t.id} (${t.description}) on the plan to finish first`,
    );
    await client
      .waitForTask(t, { timeoutMs: i.taskTimeoutSeconds * 1000, what: label(raw) })
      .catch(() => undefined);
  }
}

/** Deletes one step and waits (the caller holds the plan lock); a step already gone is fine. */
async function deleteStep(
  ctx: ProviderContext,
  client: SrmClient,
  p: { pairingId: string; planId: string; view: ViewMode; stepId: number; timeoutSeconds: number },
  what: string,
): Promise<void> {
  let task;
  try {
    task = await client.deleteRecoveryStep(p.pairingId, p.planId, p.view, p.stepId);
  } catch (e) {
    if (isNotFound(e)) return;
    throw e;
  }
  try {
    await waitWithProgress(client, task, {
      label: what,
      timeoutSeconds: p.timeoutSeconds,
      timeoutInput: "taskTimeoutSeconds",
      log: ctx.log,
    });
  } catch (e) {
    // A DELETE repeated after its answer was lost starts a second task, which fails once the first has removed
    // the step: the step being gone is what was asked for.
    if (isSrmError(e) && e.code === "TASK_FAILED") {
      if ((await client.getCallout(p.pairingId, p.planId, p.view, p.stepId)) === undefined) return;
    }
    throw e;
  }
}

function outputsOf(i: CalloutInputs, placed: Inserted, extra: Props = {}): Props {
  return {
    ...pick(i as unknown as Props, ECHOED_INPUTS),
    view: viewOf(i.anchor),
    stepId: placed.stepId,
    ...(placed.callout ? { calloutId: placed.callout.id, stepType: placed.callout.step_type } : {}),
    adopted: placed.adopted,
    ...(placed.taskId ? { taskId: placed.taskId } : {}),
    ...extra,
    schemaVersion: SCHEMA_VERSION,
  };
}

/**
 * The step a stored resource stands for, by SRM ids only: its `stepId`, or for a pending create the new
 * identical step that was not there before. Undefined when it is gone.
 */
async function locate(
  client: SrmClient,
  old: Props,
  purpose: "read" | "mutation",
): Promise<{ view: ViewMode; steps: RecoveryStep[]; stepId: number; callout: Callout } | undefined> {
  const pairingId = String(old.pairingId);
  const planId = String(old.planId);
  const view = viewOfState(old);
  // A refresh of many callouts of one plan shares one listing; a mutation (under the lock) lists afresh.
  const steps =
    purpose === "read"
      ? await client.sharedRecoverySteps(pairingId, planId, view)
      : await client.listRecoverySteps(pairingId, planId, view);
  const pending = old.pendingCreate as { knownStepIds?: number[] } | undefined;
  if (pending && old.stepId === undefined) {
    const i = applyTimeoutDefault(old) as unknown as CalloutInputs;
    const own = await findOwnCreate(client, i, steps, new Set(pending.knownStepIds ?? []));
    return own ? { view, steps, ...own } : undefined;
  }
  const stepId = Number(old.stepId);
  const callout = await findCallout(client, { pairingId, planId, view }, steps, stepId);
  return callout ? { view, steps, stepId, callout } : undefined;
}

/** Update under the plan's lock: a moved callout is deleted and made again at its place, else edited in place. */
async function moveOrEdit(
  ctx: ProviderContext,
  client: SrmClient,
  old: Props,
  inputs: CalloutInputs,
  news: Props,
): Promise<pulumi.dynamic.UpdateResult> {
  const { pairingId, planId } = inputs;
  return client.withPlanLock(pairingId, planId, async () => {
    claimPlan(client, inputs);
    const found = await locate(client, old, "mutation");
    if (!found) {
      if (old.pendingCreate !== undefined && old.stepId === undefined) {
        // The earlier create did not make the step after all: make it now.
        const made = await placeCallout(ctx, client, inputs, news);
        const placed = await readInserted(
          client,
          inputs,
          await confirmPlaced(ctx, client, inputs, news, made, true),
        );
        return { outs: outputsOf(inputs, placed) };
      }
      throw new Error(
        `callout step ${String(old.stepId)} no longer exists. Run \`pulumi refresh\` (it drops a deleted callout), ` +
          `then \`pulumi up\` to create it again.`,
      );
    }
    const place = placeOf(found.steps, found.stepId);
    const moves = place?.anchor !== inputs.anchor || place.index !== inputs.index;
    if (moves) {
      // Before the step is deleted: its new place must exist.
      const view = viewOf(inputs.anchor);
      const listed =
        view === found.view
          ? found.steps
          : await client.sharedRecoverySteps(pairingId, planId, view, "mutation");
      const others = stepsAt(listed, inputs.anchor).filter((s) => s.id !== found.stepId);
      requireIndexInRange(placeOfInputs(ctx.site, inputs), inputs, others.length);
    }
    claimsOf(client).set(claimKey(planId, found.stepId), {
      owner: inputs.resourceName ?? "",
      index: inputs.index,
    });
    if (moves) {
      // SRM has no move: delete the step, then create it at its declared place with the new fields.
      await deleteStep(
        ctx,
        client,
        {
          pairingId,
          planId,
          view: found.view,
          stepId: found.stepId,
          timeoutSeconds: inputs.taskTimeoutSeconds,
        },
        label(news),
      );
      claimsOf(client).delete(claimKey(planId, found.stepId));
      const moved = { ...inputs, adopt: false };
      const made = await placeCallout(ctx, client, moved, news);
      const placed = await readInserted(
        client,
        inputs,
        await confirmPlaced(ctx, client, moved, news, made, true),
      );
      ctx.log(
        `srm: ${label(news)}: moved from ${place?.anchor ?? "?"} index ${place?.index ?? "?"} to ${inputs.anchor} ` +
          `index ${placeOf(placed.steps, placed.stepId)?.index ?? "?"} (step ${found.stepId} -> ${placed.stepId})`,
      );
      return { outs: outputsOf(inputs, { ...placed, adopted: Boolean(old.adopted) }) };
    }
    let taskId = old.taskId as string | undefined;
    if (!sameFields(found.callout, inputs)) {
      const task = await client.editCallout(
        pairingId,
        planId,
        found.view,
        found.stepId,
        toCalloutModifySpec(inputs),
      );
      const done = await waitWithProgress(client, task, {
        label: label(news),
        timeoutSeconds: inputs.taskTimeoutSeconds,
        timeoutInput: "taskTimeoutSeconds",
        log: ctx.log,
      });
      taskId = done.id;
    }
    const steps = await client.listRecoverySteps(pairingId, planId, found.view);
    const callout = await findCallout(client, { pairingId, planId, view: found.view }, steps, found.stepId);
    if (!callout) {
      throw new Error(
        `callout step ${found.stepId} no longer exists. Run \`pulumi refresh\`, then \`pulumi up\`.`,
      );
    }
    return {
      outs: outputsOf(inputs, {
        stepId: found.stepId,
        callout,
        steps,
        adopted: Boolean(old.adopted),
        taskId,
        confirmed: true,
      }),
    };
  });
}

/** RecoveryStepCallout implementation: check, diff, create, read, update, delete. @internal */
export const recoveryStepCalloutImplementation: ResourceImplementation = {
  typeName: "RecoveryStepCallout",

  async check(olds, news, site) {
    const result = checkCallout(news);
    const i = result.inputs;
    if (i && typeof i.resourceName === "string" && !containsUnknown(i)) {
      // A callout new at its place (created, or moved in from another anchor or plan) is still to be placed.
      const samePlace = (["pairingId", "planId", "anchor"] as const).every((k) => olds?.[k] === i[k]);
      const declared = Array.isArray(i.siblingsBefore) ? (i.siblingsBefore as string[]) : undefined;
      declareCallout(
        placeOfInputs(site, i as CalloutInputs),
        i.resourceName,
        Number(i.index),
        !samePlace,
        declared,
      );
    }
    if (i && "siblingsBefore" in i) {
      // Used by this run's create or move (same provider host), never stored: see declareCallout.
      const { siblingsBefore: _declared, ...stored } = i;
      return { ...result, inputs: stored };
    }
    return result;
  },

  async diff(_id, olds, news) {
    const inputs = applyTimeoutDefault(normalizedForDiff(CalloutInputsSchema, news, RULES));
    const old = upgradeOutputs(olds ?? {});
    const { changed: _changed, ...result } = diffFields(old, inputs, CALLOUT_DIFF_RULES);
    if (old.pendingCreate !== undefined && old.stepId === undefined && !result.replaces?.length) {
      // A create whose outcome was not seen: the update finds the step it made, or makes it.
      return { ...result, changes: true };
    }
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)} at the ${where(raw)}`;
    const inputs = parse(raw, what);
    let pending: { id?: string; properties?: Props } = {};
    try {
      return await withContext(what, async () => {
        const { client } = srmClientFor(ctx);
        const inserted = await waitingForSiblings(placeOfInputs(ctx.site, inputs), () =>
          client.withPlanLock(inputs.pairingId, inputs.planId, async () => {
            try {
              return await placeCallout(ctx, client, inputs, raw);
            } catch (e) {
              pending = e as typeof pending;
              throw e;
            }
          }),
        );
        const id = calloutId(inputs.pairingId, inputs.planId, viewOf(inputs.anchor), inserted.stepId);
        try {
          // The step is confirmed by its task (SRM named it) and a listing (its place); the callout data holds
          // nothing more than the inputs besides SRM's callout id and step type, which a refresh reads.
          const placed = await confirmPlaced(ctx, client, inputs, raw, inserted, false);
          return {
            id: calloutId(inputs.pairingId, inputs.planId, viewOf(inputs.anchor), placed.stepId),
            outs: outputsOf(inputs, placed),
          };
        } catch (e) {
          // A confirmation that failed on the way leaves a step that exists (its task succeeded): the stack
          // records it, and a refresh fills in what could not be read.
          if (isSrmError(e)) pending = { id, properties: outputsOf(inputs, inserted) };
          throw e;
        }
      });
    } catch (e) {
      // withContext builds a new error; keep the partial-failure fields the host reads.
      if (pending.id)
        Object.assign(e as object, {
          id: pending.id,
          properties: pending.properties,
          reasons: [(e as Error).message],
        });
      throw e;
    } finally {
      calloutSettled(placeOfInputs(ctx.site, inputs), inputs.resourceName ?? "");
    }
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(stateOrId(id, props));
    return withContext(
      `reading ${label(old)} (step ${String(old.stepId ?? "pending")}) at the ${where(old)}`,
      async () => {
        const { client } = srmClientFor(ctx);
        let found;
        try {
          found = await locate(client, old, "read");
        } catch (e) {
          if (isNotFound(e)) return {}; // the plan (or pairing) is gone, and the callout with it
          throw e;
        }
        if (!found) return {};
        const place = placeOf(found.steps, found.stepId);
        const anchor = place && place.anchor in ANCHOR_PLACEMENT ? place.anchor : old.anchor;
        const { pendingCreate: _p, viewMode: _v, position: _pos, ...rest } = old;
        const outs: Props = {
          ...rest,
          anchor,
          index: place?.index ?? old.index,
          name: found.callout.name,
          content: found.callout.content,
          calloutType: found.callout.callout_type,
          timeoutSeconds: found.callout.timeout_seconds,
          adopt: old.adopt ?? false,
          view: found.view,
          stepId: found.stepId,
          calloutId: found.callout.id,
          stepType: found.callout.step_type,
          adopted: old.adopted ?? false,
          schemaVersion: SCHEMA_VERSION,
        };
        return {
          id: calloutId(String(old.pairingId), String(old.planId), found.view, found.stepId),
          props: outs,
          inputs: pick(outs, DRIFTING_INPUTS),
        };
      },
    );
  },

  async update(ctx, _id, olds, news) {
    const old = upgradeOutputs(olds ?? {});
    const what = `updating ${label(news)} (step ${String(old.stepId ?? "pending")}) at the ${where(news)}`;
    const inputs = parse(news, what);
    const siblingsAt = placeOfInputs(ctx.site, inputs);
    try {
      return await withContext(what, async () => {
        const { client } = srmClientFor(ctx);
        return waitingForSiblings(siblingsAt, () => moveOrEdit(ctx, client, old, inputs, news));
      });
    } finally {
      calloutSettled(siblingsAt, inputs.resourceName ?? "");
    }
  },

  async delete(ctx, _id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(
      `deleting ${label(old)} (step ${String(old.stepId ?? "pending")}) from the ${where(old)}`,
      async () => {
        const { client } = srmClientFor(ctx);
        const pairingId = String(old.pairingId);
        const planId = String(old.planId);
        await client.withPlanLock(pairingId, planId, async () => {
          let stepId: number | undefined = old.stepId === undefined ? undefined : Number(old.stepId);
          const view = viewOfState(old);
          if (stepId === undefined) {
            const found = await locate(client, old, "mutation").catch((e) => {
              if (isNotFound(e)) return undefined;
              throw e;
            });
            stepId = found?.stepId;
          }
          if (stepId === undefined) {
            journalOf(client, old).remove();
            return;
          }
          await deleteStep(
            ctx,
            client,
            {
              pairingId,
              planId,
              view,
              stepId,
              timeoutSeconds:
                typeof old.taskTimeoutSeconds === "number"
                  ? old.taskTimeoutSeconds
                  : CALLOUT_TASK_TIMEOUT_SECONDS,
            },
            label(old),
          );
          claimsOf(client).delete(claimKey(planId, stepId));
          journalOf(client, old).remove();
          forgetOwner(
            client,
            planScope(client.url, pairingId, planId),
            "RecoveryStepCallout",
            String(old.resourceName ?? ""),
          );
        });
      },
    );
  },
};

/** Arguments of a {@link RecoveryStepCallout}. */
export interface RecoveryStepCalloutArgs extends SiteArgs {
  /** SRM id of the pairing that holds the plan (see `getPairing`). Changing it replaces the callout. */
  pairingId: pulumi.Input<string>;
  /** SRM id of the recovery plan (see `getRecoveryPlan`). Changing it replaces the callout. */
  planId: pulumi.Input<string>;
  /**
   * Where the step runs: before one of SRM's built-in step groups, or `AT_END`. The anchor decides which
   * workflows run it (see {@link CalloutAnchorInput}): `BEFORE_RECOVER_PRIORITY_n_VMS` and `AT_END` run in tests
   * and in a real failover; the storage and protected-site anchors in a failover only. Changing it moves the step.
   */
  anchor: pulumi.Input<CalloutAnchorInput>;
  /**
   * Zero-based index among the custom steps at the anchor (default 0), as SRM reports it in
   * `plan_callout_position_spec`. Keep the indexes at one anchor 0..n-1: the plan ends in that order whatever
   * order the creates run in. A step moved in SRM shows as drift on refresh and is moved back by `up`.
   * Changing it moves the step. An index past the end (more than the steps at the anchor now plus the
   * program's callouts with a lower index still to be created there) fails before any SRM task starts,
   * naming the valid range `0..N`.
   */
  index?: pulumi.Input<number>;
  /** Name of the callout, shown as the step title. Changing it edits the callout in place. */
  name: pulumi.Input<string>;
  /** Prompt text (PROMPT) or command line (RUN_ON_*). Changing it edits the callout in place. */
  content: pulumi.Input<string>;
  /** `PROMPT`, `RUN_ON_VM` or `RUN_ON_SRM_SERVER`. Changing it edits the callout in place. */
  calloutType: pulumi.Input<CalloutKind>;
  /**
   * Seconds a RUN_ON_* command may run (0..59999; default 300). Not allowed for PROMPT (0 there).
   * Changing it edits the callout in place.
   */
  timeoutSeconds?: pulumi.Input<number>;
  /** Seconds to wait for SRM's create, edit and delete tasks; default 300. Changing it changes nothing in SRM. */
  taskTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an identical callout (same name, content, type and timeout) that already exists at the anchor
   * instead of failing. Default false: an existing identical callout is an error, so no SRM step is ever
   * managed twice. Once adopted, the step is this resource's: `pulumi destroy` deletes it from SRM (set the
   * `retainOnDelete` resource option to keep it).
   */
  adopt?: pulumi.Input<boolean>;
}

const CALLOUT_CLASS: ResourceClassSpec = {
  typeName: "RecoveryStepCallout",
  deleteBeforeReplace: true,
  timeoutInput: "taskTimeoutSeconds",
  inputs: {
    site: undefined,
    pairingId: undefined,
    planId: undefined,
    anchor: undefined,
    index: undefined,
    name: undefined,
    content: undefined,
    calloutType: undefined,
    timeoutSeconds: undefined,
    taskTimeoutSeconds: undefined,
    adopt: undefined,
  } satisfies Record<keyof RecoveryStepCalloutArgs, undefined>,
  outputs: ["stepId", "calloutId", "stepType", "view", "adopted", "taskId", "schemaVersion"],
};

/**
 * One custom recovery step (prompt or command) of a recovery plan, at an anchor and index. Custom steps
 * belong to the plan, so one step runs in every workflow that has its anchor (test and failover for the
 * priority groups and `AT_END`). Name, content, type and timeout are edited in place; a changed anchor or
 * index moves the step; refresh shows edits, moves and deletions made outside Pulumi.
 */
export class RecoveryStepCallout extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM recovery step id of the callout (changes when the step is moved, since SRM moves by re-creating). */
  declare readonly stepId: pulumi.Output<number>;
  /**
   * SRM id of the callout data. Set by refresh and update: a create confirms the new step by its task and the
   * plan's listing and does not read the callout data back (it holds what the inputs say).
   */
  declare readonly calloutId: pulumi.Output<string | undefined>;
  /** SRM step type of the callout, e.g. RECOVERY_STEP; set like {@link calloutId}. */
  declare readonly stepType: pulumi.Output<string | undefined>;
  /** The view mode the provider lists and changes the step through. */
  declare readonly view: pulumi.Output<CalloutViewMode>;
  /** True when an identical callout already existed and was adopted (`adopt: true`). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Id of the last SRM task that created or edited the callout (unset when adopted). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** SRM id of the recovery plan. */
  declare readonly planId: pulumi.Output<string>;
  /** Anchor of the step. */
  declare readonly anchor: pulumi.Output<CalloutAnchorInput>;
  /** Declared index at the anchor. */
  declare readonly index: pulumi.Output<number>;
  /** Name of the callout. */
  declare readonly name: pulumi.Output<string>;
  /** Prompt text or command line. */
  declare readonly content: pulumi.Output<string>;
  /** Callout type. */
  declare readonly calloutType: pulumi.Output<CalloutKind>;
  /** Command timeout in seconds (0 for prompts). */
  declare readonly timeoutSeconds: pulumi.Output<number>;
  /** Seconds allowed for SRM tasks. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** True when `obj` is a RecoveryStepCallout, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is RecoveryStepCallout {
    return isSrmResource(obj, "RecoveryStepCallout");
  }

  /**
   * An existing callout step, by its resource id (`<pairingId>/<planId>/<viewMode>/<stepId>`), as a resource of
   * this stack. The stack reads it (and refresh re-reads it) but never changes or deletes it.
   * @param name - Name of the resource in the stack.
   * @param id - Its resource id.
   * @param opts - Resource options (`id` is set from the argument), and `site`: the site in `srm:sites` whose SRM
   *   server holds the object (default: the single-site settings).
   */
  static get(name: string, id: pulumi.Input<pulumi.ID>, opts?: GetOptions): RecoveryStepCallout {
    return new RecoveryStepCallout(name, undefined, readByIdOptions(id, opts));
  }

  constructor(name: string, args: RecoveryStepCalloutArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    const c = resourceClassArgs(CALLOUT_CLASS, name, args, opts);
    const props = args
      ? {
          ...c.props,
          siblingsBefore: siblingsDeclaredBefore(
            name,
            [args.site ?? "", args.pairingId, args.planId, args.anchor],
            args.index,
          ),
        }
      : c.props;
    super(shimFor("recovery-step-callout"), name, props, c.opts, "srm", "RecoveryStepCallout");
  }
}
