// RecoveryStepCallout: a prompt or command inserted into a recovery plan's step list for one view mode.
// Step mutations of one plan are serialized (positions shift on insert), an identical callout already at the
// position is adopted instead of duplicated, and refresh follows a callout whose step id moved.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
  CALLOUT_TYPES,
  MAX_CALLOUT_TIMEOUT_SECONDS,
  VIEW_MODES,
  type Callout,
  type CalloutCreateSpec,
  type CalloutModifySpec,
  type RecoveryStep,
  type ViewMode,
} from "../api/index.js";
import type { SrmClient } from "../client/index.js";
import { checkInputs, normalizedForDiff, parseInputs, type CrossFieldRule } from "./check-inputs.js";
import { diffFields, type DiffRules } from "./diff-fields.js";
import { boundedInt, requiredString, resourceName, taskTimeout } from "./input-schemas.js";
import { srmClientFor } from "./provider-context.js";
import { shimFor } from "./provider-shim.js";
import { isSrmResource, resourceOptions } from "./resource-options.js";
import { isNotFound, withContext } from "./resource-error.js";
import { labelOf, pick, type Props, type ResourceImplementation } from "./resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "./schema-version.js";
import { waitWithProgress } from "./task-progress.js";

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

/** Validated RecoveryStepCallout inputs (camelCase). `timeoutSeconds` gets its default in {@link applyTimeoutDefault}. @internal */
export const CalloutInputsSchema = z.object({
  resourceName,
  pairingId: requiredString("SRM id of the pairing"),
  planId: requiredString("SRM id of the recovery plan"),
  viewMode: z.enum(VIEW_MODES, { error: `must be one of ${VIEW_MODES.join(", ")}` }),
  position: boundedInt(0, Number.MAX_SAFE_INTEGER, "zero-based position in the step list"),
  name: requiredString("name of the callout"),
  content: requiredString("prompt text or command line"),
  calloutType: z.enum(CALLOUT_TYPES, { error: `must be one of ${CALLOUT_TYPES.join(", ")}` }),
  timeoutSeconds: boundedInt(0, MAX_CALLOUT_TIMEOUT_SECONDS, "seconds a command may run").optional(),
  taskTimeoutSeconds: taskTimeout(CALLOUT_TASK_TIMEOUT_SECONDS),
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

/** `timeoutSeconds` defaults to 0 for prompts and {@link DEFAULT_COMMAND_TIMEOUT_SECONDS} for commands. */
function applyTimeoutDefault(inputs: Props): Props {
  if (inputs.timeoutSeconds !== undefined || typeof inputs.calloutType !== "string") return inputs;
  if (!(CALLOUT_TYPES as readonly string[]).includes(inputs.calloutType)) return inputs;
  return { ...inputs, timeoutSeconds: inputs.calloutType === "PROMPT" ? 0 : DEFAULT_COMMAND_TIMEOUT_SECONDS };
}

function checkCallout(news: Props): pulumi.dynamic.CheckResult {
  const result = checkInputs(CalloutInputsSchema, news, RULES);
  if (result.failures && result.failures.length > 0) return result;
  return { inputs: applyTimeoutDefault(result.inputs as Props) };
}

/** The one place camelCase inputs become the wire bodies. @internal */
export function toCalloutCreateSpec(i: CalloutInputs): CalloutCreateSpec {
  return {
    name: i.name,
    content: i.content,
    callout_type: i.calloutType,
    timeout_seconds: i.timeoutSeconds,
    position: i.position,
  };
}

/** @internal */
export function toCalloutModifySpec(i: CalloutInputs): CalloutModifySpec {
  return { name: i.name, content: i.content, callout_type: i.calloutType, timeout_seconds: i.timeoutSeconds };
}

/** Inputs echoed into outputs. */
const ECHOED_INPUTS = [
  "resourceName",
  "pairingId",
  "planId",
  "viewMode",
  "position",
  "name",
  "content",
  "calloutType",
  "timeoutSeconds",
  "taskTimeoutSeconds",
] as const;

/** Fields the edit action changes. */
const EDIT_FIELDS = ["name", "content", "calloutType", "timeoutSeconds"];

/**
 * pairingId, planId, viewMode, position replace; deleteBeforeReplace because creating first would find the
 * old, identical callout (e.g. when an id was unknown at preview) and adopt it, and deleting the old
 * resource would then remove the adopted callout. Deleting first also makes `position` mean the index in
 * the list without the old callout, which is what the program says.
 * @internal
 */
export const CALLOUT_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "planId", "viewMode", "position"],
  update: [...EDIT_FIELDS, "taskTimeoutSeconds"],
  deleteBeforeReplace: true,
};

/** Whether a server callout is the one the inputs describe. @internal */
export function sameCallout(c: Callout, i: CalloutInputs): boolean {
  return (
    c.name === i.name &&
    c.content === i.content &&
    c.callout_type === i.calloutType &&
    c.timeout_seconds === i.timeoutSeconds
  );
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

function outputsOf(
  inputs: Props,
  callout: Callout,
  stepId: number,
  currentPosition: number,
  extra: Props,
): Props {
  return {
    ...pick(inputs, ECHOED_INPUTS),
    stepId,
    calloutId: callout.id,
    stepType: callout.step_type,
    currentPosition,
    ...extra,
    schemaVersion: SCHEMA_VERSION,
  };
}

const label = (props: Props | undefined) =>
  labelOf("RecoveryStepCallout", props, `"${String(props?.name ?? "?")}"`);

function where(p: Props): string {
  return `${String(p.viewMode)} steps of plan ${String(p.planId)} (pairing ${String(p.pairingId)})`;
}

function parse(news: Props, what: string): CalloutInputs {
  return applyTimeoutDefault(parseInputs(CalloutInputsSchema, news, what, RULES) as Props) as CalloutInputs;
}

/** Finds a step's index, or -1. */
const indexOfStep = (steps: readonly RecoveryStep[], stepId: number) =>
  steps.findIndex((s) => s.id === stepId);

/** Callouts named `name`, nearest to `position` first (a refresh follows the one the resource created). */
async function findByName(
  client: SrmClient,
  p: { pairingId: string; planId: string; viewMode: ViewMode },
  steps: readonly RecoveryStep[],
  old: Props,
): Promise<{ stepId: number; callout: Callout } | undefined> {
  const name = String(old.name);
  const position = Number(old.position);
  const candidates = steps
    .map((s, index) => ({ s, index }))
    .filter(({ s }) => s.title === name)
    .sort((a, b) => Math.abs(a.index - position) - Math.abs(b.index - position));
  const found: { stepId: number; callout: Callout }[] = [];
  for (const { s } of candidates) {
    const callout = await client.getCallout(p.pairingId, p.planId, p.viewMode, s.id);
    if (callout && callout.name === name) found.push({ stepId: s.id, callout });
  }
  if (found.length <= 1) return found[0];
  // Several callouts carry the name, e.g. one managed by another resource: only an exact match is ours.
  // Guessing could hand this resource another one's step, which its destroy would then delete.
  const exact = found.filter(
    ({ callout }) =>
      callout.content === old.content &&
      callout.callout_type === old.calloutType &&
      callout.timeout_seconds === old.timeoutSeconds,
  );
  return exact.length === 1 ? exact[0] : undefined;
}

/**
 * Steps created or adopted by a resource in this process (one engine run). Two resources of one program that
 * declare the same callout at the same position must not adopt one step between them: destroying either
 * would delete the other's callout. A step claimed here is adopted again only by the resource that claimed it.
 */
const claimedSteps = new Map<string, string>();

/** RecoveryStepCallout implementation: check, diff, create, read, update, delete. @internal */
export const recoveryStepCalloutImplementation: ResourceImplementation = {
  typeName: "RecoveryStepCallout",

  async check(_olds, news) {
    return checkCallout(news);
  },

  async diff(_id, olds, news) {
    const inputs = applyTimeoutDefault(normalizedForDiff(CalloutInputsSchema, news, RULES));
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      CALLOUT_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)} in the ${where(raw)}`;
    const inputs = parse(raw, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const { pairingId, planId, viewMode, position } = inputs;
      // Under the plan's lock only what positions depend on: the listing, the insert and its task. The read-back
      // that confirms the callout runs after the lock is released, next to the following insert.
      const placed = await client.withPlanLock(pairingId, planId, async () => {
        const before = await client.sharedRecoverySteps(pairingId, planId, viewMode, "mutation");
        if (position > before.length) {
          // SRM would refuse it only once the insert task runs; say so before starting anything.
          throw new Error(
            `position ${position} is past the end of the ${viewMode} steps of plan "${planId}": it holds ` +
              `${before.length} steps, so valid positions are 0 to ${before.length} (${before.length} adds ` +
              `the callout at the end). Set \`position\` within that range.`,
          );
        }
        const atPosition = before[position];
        const claimKey = (stepId: number) =>
          `${client.url}|${calloutId(pairingId, planId, viewMode, stepId)}`;
        const owner = String(raw.resourceName ?? "");
        const claimedBy = atPosition ? claimedSteps.get(claimKey(atPosition.id)) : undefined;
        if (
          atPosition &&
          atPosition.title === inputs.name &&
          (claimedBy === undefined || claimedBy === owner)
        ) {
          const existing = await client.getCallout(pairingId, planId, viewMode, atPosition.id);
          if (existing && sameCallout(existing, inputs)) {
            ctx.log(
              `srm: ${label(raw)}: adopted identical callout step ${atPosition.id} at position ${position}`,
            );
            claimedSteps.set(claimKey(atPosition.id), owner);
            return { adopted: existing, stepId: atPosition.id };
          }
        }
        const task = await client.createCallout(pairingId, planId, viewMode, toCalloutCreateSpec(inputs));
        const done = await waitWithProgress(client, task, {
          label: label(raw),
          timeoutSeconds: inputs.taskTimeoutSeconds,
          timeoutInput: "taskTimeoutSeconds",
          log: ctx.log,
        });
        // Taken after the insert, under the lock: it shows where the step landed and serves the next insert.
        const after = await client.sharedRecoverySteps(pairingId, planId, viewMode, "mutation");
        let stepId = stepIdFromTaskResult(done.result);
        if (stepId === undefined) {
          // No id in the task result: the new step is the one that was not listed before (positions shift,
          // ids do not).
          const known = new Set(before.map((s) => s.id));
          const added = after.filter((s) => !known.has(s.id));
          const match =
            added.find((s) => s.title === inputs.name) ?? (added.length === 1 ? added[0] : undefined);
          stepId = match?.id;
        }
        if (stepId !== undefined) claimedSteps.set(claimKey(stepId), owner);
        return { done, stepId, currentPosition: stepId === undefined ? -1 : indexOfStep(after, stepId) };
      });
      if ("adopted" in placed && placed.adopted) {
        return {
          id: calloutId(pairingId, planId, viewMode, placed.stepId),
          outs: outputsOf(inputs, placed.adopted, placed.stepId, position, { adopted: true }),
        };
      }
      const { done, stepId, currentPosition } = placed as {
        done: { id: string };
        stepId: number | undefined;
        currentPosition: number;
      };
      const callout =
        stepId === undefined ? undefined : await client.getCallout(pairingId, planId, viewMode, stepId);
      if (stepId === undefined || !callout) {
        throw new Error(
          `task ${done.id} succeeded but the new callout cannot be found in the step list. ` +
            `Check the plan in the SRM UI, then run \`pulumi up\` again (an identical callout at position ${position} is adopted).`,
        );
      }
      return {
        id: calloutId(pairingId, planId, viewMode, stepId),
        outs: outputsOf(inputs, callout, stepId, currentPosition, {
          adopted: false,
          taskId: done.id,
        }),
      };
    });
  },

  async read(ctx, _id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(
      `reading ${label(old)} (step ${String(old.stepId)}) in the ${where(old)}`,
      async () => {
        const { client } = srmClientFor(ctx);
        const pairingId = String(old.pairingId);
        const planId = String(old.planId);
        const viewMode = old.viewMode as ViewMode;
        let steps: RecoveryStep[];
        try {
          // Shared with the other callouts of the plan read at the same time: one listing per plan per refresh.
          steps = await client.sharedRecoverySteps(pairingId, planId, viewMode);
        } catch (e) {
          if (isNotFound(e)) return {}; // the plan (or pairing) is gone, and the callout with it
          throw e;
        }
        let stepId = Number(old.stepId);
        let callout =
          indexOfStep(steps, stepId) >= 0
            ? await client.getCallout(pairingId, planId, viewMode, stepId)
            : undefined;
        if (!callout) {
          const found = await findByName(client, { pairingId, planId, viewMode }, steps, old);
          if (!found) return {};
          stepId = found.stepId;
          callout = found.callout;
        }
        const outs: Props = {
          ...old,
          name: callout.name,
          content: callout.content,
          calloutType: callout.callout_type,
          timeoutSeconds: callout.timeout_seconds,
          stepId,
          calloutId: callout.id,
          stepType: callout.step_type,
          currentPosition: indexOfStep(steps, stepId),
        };
        return {
          id: calloutId(pairingId, planId, viewMode, stepId),
          props: outs,
          inputs: pick(outs, ECHOED_INPUTS),
        };
      },
    );
  },

  async update(ctx, _id, olds, news) {
    const old = upgradeOutputs(olds ?? {});
    const what = `updating ${label(news)} (step ${String(old.stepId)}) in the ${where(news)}`;
    const inputs = parse(news, what);
    return withContext(what, async () => {
      const { client } = srmClientFor(ctx);
      const { pairingId, planId, viewMode } = inputs;
      const stepId = Number(old.stepId);
      const { changed } = diffFields(old, inputs as Props, CALLOUT_DIFF_RULES);
      return client.withPlanLock(pairingId, planId, async () => {
        let taskId = old.taskId;
        if (changed.some((f) => EDIT_FIELDS.includes(f))) {
          let task;
          try {
            task = await client.editCallout(pairingId, planId, viewMode, stepId, toCalloutModifySpec(inputs));
          } catch (e) {
            if (!isNotFound(e)) throw e;
            throw new Error(
              `callout step ${stepId} no longer exists. Run \`pulumi refresh\` (it finds a moved callout by name ` +
                `or drops a deleted one), then \`pulumi up\`.`,
            );
          }
          const done = await waitWithProgress(client, task, {
            label: label(news),
            timeoutSeconds: inputs.taskTimeoutSeconds,
            timeoutInput: "taskTimeoutSeconds",
            log: ctx.log,
          });
          taskId = done.id;
        }
        const callout = await client.getCallout(pairingId, planId, viewMode, stepId);
        if (!callout) {
          throw new Error(
            `callout step ${stepId} no longer exists. Run \`pulumi refresh\`, then \`pulumi up\`.`,
          );
        }
        const steps = await client.listRecoverySteps(pairingId, planId, viewMode);
        return {
          outs: outputsOf(inputs, callout, stepId, indexOfStep(steps, stepId), {
            adopted: old.adopted ?? false,
            taskId,
          }),
        };
      });
    });
  },

  async delete(ctx, _id, props) {
    const old = upgradeOutputs(props ?? {});
    const stepId = Number(old.stepId);
    await withContext(`deleting ${label(old)} (step ${stepId}) from the ${where(old)}`, async () => {
      const { client } = srmClientFor(ctx);
      const pairingId = String(old.pairingId);
      const planId = String(old.planId);
      const viewMode = old.viewMode as ViewMode;
      await client.withPlanLock(pairingId, planId, async () => {
        let task;
        try {
          task = await client.deleteRecoveryStep(pairingId, planId, viewMode, stepId);
        } catch (e) {
          if (isNotFound(e)) return; // already gone
          throw e;
        }
        await waitWithProgress(client, task, {
          label: label(old),
          timeoutSeconds:
            typeof old.taskTimeoutSeconds === "number"
              ? old.taskTimeoutSeconds
              : CALLOUT_TASK_TIMEOUT_SECONDS,
          timeoutInput: "taskTimeoutSeconds",
          log: ctx.log,
        });
      });
    });
  },
};

/** Arguments of a {@link RecoveryStepCallout}. */
export interface RecoveryStepCalloutArgs {
  /** SRM id of the pairing that holds the plan (see `getPairing`). Changing it replaces the callout. */
  pairingId: pulumi.Input<string>;
  /** SRM id of the recovery plan (see `getRecoveryPlan`). Changing it replaces the callout. */
  planId: pulumi.Input<string>;
  /** Which step list: `test`, `recovery`, `cleanup` or `reprotect`. Changing it replaces the callout. */
  viewMode: pulumi.Input<CalloutViewMode>;
  /**
   * Zero-based position in that step list at which the callout is inserted. Later insertions before it shift
   * it (see the `currentPosition` output); that is not treated as drift. Changing it replaces the callout.
   */
  position: pulumi.Input<number>;
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
}

const READ_BY_ID_INPUTS: Record<keyof RecoveryStepCalloutArgs, undefined> = {
  pairingId: undefined,
  planId: undefined,
  viewMode: undefined,
  position: undefined,
  name: undefined,
  content: undefined,
  calloutType: undefined,
  timeoutSeconds: undefined,
  taskTimeoutSeconds: undefined,
};

/**
 * A callout (prompt or command) in a recovery plan's step list. Creating it adopts an identical callout
 * (same name, content, type and timeout) already at the position instead of adding a duplicate; name,
 * content, type and timeout are edited in place; refresh shows a callout edited or deleted outside Pulumi.
 */
export class RecoveryStepCallout extends pulumi.dynamic.Resource {
  /** SRM recovery step id of the callout (may change when SRM renumbers; refresh follows it by name). */
  declare readonly stepId: pulumi.Output<number>;
  /** SRM id of the callout data. */
  declare readonly calloutId: pulumi.Output<string>;
  /** SRM step type of the callout, e.g. RECOVERY_STEP. */
  declare readonly stepType: pulumi.Output<string>;
  /** Where the callout is in the step list now (zero-based). */
  declare readonly currentPosition: pulumi.Output<number>;
  /** True when an identical callout already existed at the position and was adopted. */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Id of the last SRM task that created or edited the callout (unset when adopted). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** SRM id of the recovery plan. */
  declare readonly planId: pulumi.Output<string>;
  /** Step list the callout is in. */
  declare readonly viewMode: pulumi.Output<CalloutViewMode>;
  /** Position the callout was inserted at. */
  declare readonly position: pulumi.Output<number>;
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
   * An existing callout step, by its resource id (`<pairingId>/<planId>/<viewMode>/<stepId>`), as a resource of this stack. The stack reads it (and refresh re-reads it) but never changes or deletes it.
   * @param name - Name of the resource in the stack.
   * @param id - Its resource id.
   * @param opts - Resource options; `id` is set from the argument.
   */
  static get(
    name: string,
    id: pulumi.Input<pulumi.ID>,
    opts?: pulumi.CustomResourceOptions,
  ): RecoveryStepCallout {
    return new RecoveryStepCallout(name, undefined, { ...opts, id });
  }

  constructor(name: string, args: RecoveryStepCalloutArgs | undefined, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("recovery-step-callout"),
      name,
      {
        // Read by id (get): the inputs come back from SRM as outputs of the same names.
        ...(args ?? READ_BY_ID_INPUTS),
        resourceName: name,
        stepId: undefined,
        calloutId: undefined,
        stepType: undefined,
        currentPosition: undefined,
        adopted: undefined,
        taskId: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, {
        type: "srm:RecoveryStepCallout",
        deleteBeforeReplace: true,
        timeoutInput: "taskTimeoutSeconds",
      }),
      "srm",
      "RecoveryStepCallout",
    );
  }
}
