// Reprotect: an action, like pulumi-command's Command. It runs once when created (only on `pulumi up`; preview
// runs check and diff, which never call SRM), `triggers` or `forced` run it again through replacement, delete
// does nothing, and refresh reports the plan's current status.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { REPROTECTABLE_PLAN_STATUSES, type ReprotectPlanSpec, type Task } from "../api/index.js";
import { isSrmError } from "../client/errors.js";
import type { SrmClient } from "../client/index.js";
import { requireRemoteCredentials, type SrmSettings } from "../config.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { idString, resourceName, taskTimeout, triggers } from "../dynamic/input-schemas.js";
import { partialFailure } from "../dynamic/partial-failure.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { isSrmResource, resourceOptions } from "../dynamic/resource-options.js";
import { withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a Reprotect. */
export const REPROTECT_TASK_TIMEOUT_SECONDS = 3600;

/** Validated Reprotect inputs. @internal */
export const ReprotectInputsSchema = z.object({
  resourceName,
  pairingId: idString("SRM id of the pairing"),
  planId: idString("SRM id of the recovery plan"),
  forced: z.boolean({ error: "must be true or false" }).default(false),
  triggers,
  taskTimeoutSeconds: taskTimeout(REPROTECT_TASK_TIMEOUT_SECONDS),
});
/** Reprotect inputs after validation, with `forced` and `taskTimeoutSeconds` defaulted. @internal */
export type ReprotectInputs = z.infer<typeof ReprotectInputsSchema>;

/** The one place inputs become the wire body. @internal */
export function toReprotectSpec(i: ReprotectInputs): ReprotectPlanSpec {
  return { forced: i.forced };
}

const ECHOED_INPUTS = [
  "resourceName",
  "pairingId",
  "planId",
  "forced",
  "triggers",
  "taskTimeoutSeconds",
] as const;

/**
 * Everything but the task timeout runs the reprotect again. deleteBeforeReplace stays false: delete is a
 * no-op, and creating first keeps the record of the last run when the new run fails.
 * @internal
 */
export const REPROTECT_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "planId", "forced", "triggers"],
  update: ["taskTimeoutSeconds"],
  deleteBeforeReplace: false,
};

/** Epoch milliseconds as an ISO-8601 string. @internal */
export function isoTime(ms: number | null | undefined): string | undefined {
  return typeof ms === "number" && Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

const label = (props: Props | undefined) =>
  labelOf("Reprotect", props, `of plan ${String(props?.planId ?? "?")}`);

/** Whether a task is a reprotect of the plan: SRM names the plan as the task's entity. */
function isReprotectOf(t: Task, planId: string): boolean {
  return t.entity === planId && /reprotect/i.test(`${t.description_id ?? ""} ${t.description ?? ""}`);
}

/** The newest reprotect task of the plan that has not failed, from SRM's recent tasks. */
async function findReprotectTask(client: SrmClient, planId: string): Promise<Task | undefined> {
  const tasks = await client.listTasks();
  return tasks.find((t) => isReprotectOf(t, planId) && t.status !== "ERROR" && t.status !== "CANCELLED");
}

/** Logs in to the remote site and starts the reprotect; the answer is SRM's task. */
async function startRun(client: SrmClient, settings: SrmSettings, inputs: ReprotectInputs): Promise<Task> {
  requireRemoteCredentials(settings, "Reprotect");
  await client.remoteLogin(inputs.pairingId);
  return client.reprotect(inputs.pairingId, inputs.planId, toReprotectSpec(inputs));
}

/**
 * Waits for the task and returns the record of the run. Once SRM has accepted the reprotect, a wait that
 * stops before the end (timeout, lost connection) is a partial failure: the engine records the run under
 * `id`, and the next `pulumi up` follows the same task instead of finding the plan not reprotectable.
 */
async function finishRun(
  ctx: ProviderContext,
  client: SrmClient,
  task: Task,
  inputs: ReprotectInputs,
  raw: Props,
  statusBefore: string | undefined,
  id: string,
): Promise<Props> {
  const record = (t: Task, planStatus: string | undefined): Props => ({
    ...pick(inputs as Props, ECHOED_INPUTS),
    planName: t.entity_name ?? undefined,
    taskId: t.id,
    taskStatus: t.status,
    planStatusBefore: statusBefore,
    planStatus,
    startTime: isoTime(t.start_time),
    completeTime: isoTime(t.complete_time),
    schemaVersion: SCHEMA_VERSION,
  });
  let done: Task;
  try {
    done = await waitWithProgress(client, task, {
      label: label(raw),
      timeoutSeconds: inputs.taskTimeoutSeconds,
      timeoutInput: "taskTimeoutSeconds",
      log: ctx.log,
    });
  } catch (e) {
    if (isSrmError(e) && (e.code === "TASK_FAILED" || e.code === "TASK_CANCELLED")) throw e;
    throw partialFailure(e, id, record({ ...task, status: "RUNNING" }, undefined), raw);
  }
  // The reprotect has happened and cannot be repeated (the plan is no longer reprotectable): a failure
  // to read the new status must not lose the record, or every later `up` would refuse to run again.
  let after: Awaited<ReturnType<typeof client.getPlan>>;
  let statusUnread = false;
  try {
    after = await client.getPlan(inputs.pairingId, inputs.planId);
  } catch (e) {
    statusUnread = true;
    ctx.log(
      `srm: ${label(raw)}: task ${done.id} succeeded, but the plan's new status could not be read ` +
        `(${e instanceof Error ? e.message : String(e)}); \`pulumi refresh\` updates planStatus.`,
    );
  }
  const outs = record(done, statusUnread ? undefined : after?.status);
  if (after?.name) outs.planName = after.name;
  return outs;
}

/** Reprotect implementation: check, diff, create (runs it), read (plan status), update (local), delete (no-op). @internal */
export const reprotectImplementation: ResourceImplementation = {
  typeName: "Reprotect",

  async check(_olds, news) {
    return checkInputs(ReprotectInputsSchema, news);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(ReprotectInputsSchema, news);
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      REPROTECT_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `running ${label(raw)} (plan ${String(raw.planId)}, pairing ${String(raw.pairingId)})`;
    const inputs = parseInputs(ReprotectInputsSchema, raw, what);
    return withContext(what, async () => {
      const { client, settings } = srmClientFor(ctx);
      // Callouts of the same plan wait for the reprotect (SRM refuses step edits while it runs) and it
      // waits for them, whatever order the engine sends them in.
      return client.withPlanLock(inputs.pairingId, inputs.planId, async () => {
        const plan = await client.getPlan(inputs.pairingId, inputs.planId);
        if (!plan) {
          const plans = await client.listPlans(inputs.pairingId);
          throw new Error(
            `recovery plan ${inputs.planId} does not exist in pairing ${inputs.pairingId}; plans there: ` +
              `${plans.map((p) => `"${p.name}" (${p.id}, ${p.status})`).join(", ") || "none"}. Use getRecoveryPlan to find the id.`,
          );
        }
        if (!REPROTECTABLE_PLAN_STATUSES.includes(plan.status)) {
          // An earlier run whose result was never recorded (interrupted, killed) left its task in SRM.
          const earlier = await findReprotectTask(client, inputs.planId);
          if (earlier) {
            ctx.log(
              `srm: ${label(raw)}: plan "${plan.name}" is ${plan.status}; recording reprotect task ${earlier.id} ` +
                `(${earlier.status}) found in SRM's recent tasks instead of running it again`,
            );
            const done = await finishRun(ctx, client, earlier, inputs, raw, undefined, earlier.id);
            return { id: earlier.id, outs: done };
          }
          throw new Error(
            `recovery plan "${plan.name}" (${plan.id}) is ${plan.status}; SRM reprotects a plan only when it is ` +
              `${REPROTECTABLE_PLAN_STATUSES.join(", ")}. Run a recovery of the plan first (or wait for the running ` +
              `operation to end), then run \`pulumi up\` again.`,
          );
        }
        const task = await startRun(client, settings, inputs);
        return { id: task.id, outs: await finishRun(ctx, client, task, inputs, raw, plan.status, task.id) };
      });
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (plan ${String(old.planId)})`, async () => {
      const { client } = srmClientFor(ctx);
      const plan = await client.getPlan(String(old.pairingId), String(old.planId));
      // The run happened even when the plan was deleted later: keep the record, only the status is refreshed.
      // No inputs: none of them can change in SRM, and the engine keeps the stored ones when none are returned.
      const outs: Props = plan ? { ...old, planStatus: plan.status, planName: plan.name } : old;
      return { id, props: outs };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)} (plan ${String(news.planId)})`;
    const inputs = parseInputs(ReprotectInputsSchema, news, what);
    const old = upgradeOutputs(olds ?? {});
    if (old.taskStatus === "SUCCESS" || typeof old.taskId !== "string") {
      // Only taskTimeoutSeconds updates in place, and it matters only for a run that already finished.
      return { outs: { ...old, ...pick(inputs as Props, ECHOED_INPUTS) } };
    }
    // A run recorded unfinished (its wait timed out or was cut off): follow its task to the end, and start
    // again only when SRM says it failed and the plan can be reprotected again.
    return withContext(what, async () => {
      const { client, settings } = srmClientFor(ctx);
      return client.withPlanLock(inputs.pairingId, inputs.planId, async () => {
        const before = typeof old.planStatusBefore === "string" ? old.planStatusBefore : undefined;
        let task = await client.getTask(old.taskId as string);
        if (task.status === "ERROR" || task.status === "CANCELLED") {
          const plan = await client.getPlan(inputs.pairingId, inputs.planId);
          if (plan && REPROTECTABLE_PLAN_STATUSES.includes(plan.status)) {
            ctx.log(`srm: ${label(news)}: task ${task.id} ended ${task.status}; running the reprotect again`);
            task = await startRun(client, settings, inputs);
          }
        }
        return { outs: await finishRun(ctx, client, task, inputs, news, before, id) };
      });
    });
  },

  async delete() {
    // Documented no-op: a reprotect cannot be undone, and removing the resource only forgets the run.
  },
};

/** Arguments of a {@link Reprotect}. */
export interface ReprotectArgs extends SiteArgs {
  /** SRM id of the pairing that holds the plan (see `getPairing`). Changing it runs the reprotect again. */
  pairingId: pulumi.Input<string>;
  /** SRM id of the recovered recovery plan (see `getRecoveryPlan`). Changing it runs the reprotect again. */
  planId: pulumi.Input<string>;
  /** Reprotect even when the other site is unreachable (SRM's `forced`); default false. Changing it runs again. */
  forced?: pulumi.Input<boolean>;
  /** Any values; when they change the reprotect runs again (the resource is replaced). */
  triggers?: pulumi.Input<unknown[]>;
  /** Seconds to wait for the reprotect task; default 3600. On timeout the task may still be running in SRM. */
  taskTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * Runs SRM's reprotect of a recovered plan once, on `pulumi up` (never in preview). It refuses early, naming
 * the plan's status, unless the plan is RECOVERY_COMPLETE, INCOMPLETE_REPROTECT or REPROTECT_INTERRUPTED.
 * Needs the remote site's credentials (`srm:remoteUsername`, `srm:remotePassword`). Changing `triggers` or
 * `forced` runs it again; deleting the resource does nothing in SRM.
 */
export class Reprotect extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** Id of the SRM reprotect task; also the resource id. */
  declare readonly taskId: pulumi.Output<string>;
  /** Final status of the task (SUCCESS). */
  declare readonly taskStatus: pulumi.Output<string>;
  /** Name of the plan. */
  declare readonly planName: pulumi.Output<string>;
  /** Status of the plan before the reprotect. */
  declare readonly planStatusBefore: pulumi.Output<string>;
  /** Status of the plan after the reprotect; refresh updates it. */
  declare readonly planStatus: pulumi.Output<string>;
  /** When the task started (ISO-8601). */
  declare readonly startTime: pulumi.Output<string | undefined>;
  /** When the task completed (ISO-8601). */
  declare readonly completeTime: pulumi.Output<string | undefined>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** SRM id of the plan. */
  declare readonly planId: pulumi.Output<string>;
  /** Whether the reprotect was forced. */
  declare readonly forced: pulumi.Output<boolean>;
  /** The triggers of the last run. */
  declare readonly triggers: pulumi.Output<unknown[] | undefined>;
  /** Seconds allowed for the task. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** True when `obj` is a Reprotect, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is Reprotect {
    return isSrmResource(obj, "Reprotect");
  }

  constructor(name: string, args: ReprotectArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("reprotect"),
      name,
      {
        ...args,
        resourceName: name,
        taskId: undefined,
        taskStatus: undefined,
        planName: undefined,
        planStatusBefore: undefined,
        planStatus: undefined,
        startTime: undefined,
        completeTime: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, { type: "srm:Reprotect", timeoutInput: "taskTimeoutSeconds" }),
      "srm",
      "Reprotect",
    );
  }
}
