import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { CalloutCreateSpec, CalloutModifySpec, VIEW_MODES, type ViewMode } from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { PlanState, StepState } from "../model.js";
import { TaskFailure } from "../tasks.js";
import { parseBody, type SimContext } from "./context.js";
import { findPlan } from "./plans.js";
import { parseExpandedIds, type StepRow } from "../vm-steps.js";

interface StepsTarget {
  plan: PlanState;
  viewMode: ViewMode;
}

/** Resolves pairing, plan and view mode: 404 for an unknown pairing or plan, 400 for an unknown view mode. */
function findSteps(ctx: SimContext, request: FastifyRequest, reply: FastifyReply): StepsTarget | undefined {
  const found = findPlan(ctx, request, reply);
  if (!found) return undefined;
  const { view_mode } = request.params as { view_mode: string };
  if (!(VIEW_MODES as readonly string[]).includes(view_mode)) {
    sendSrmError(
      reply,
      400,
      SimErrorCodes.invalidViewMode,
      `Unknown view mode '${view_mode}'; use one of ${VIEW_MODES.join(", ")}.`,
    );
    return undefined;
  }
  return { plan: found.plan, viewMode: view_mode as ViewMode };
}

/** Resolves the step of the URL too; 404 when it is not in that list. */
function findStep(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
): (StepsTarget & { step: StepState; index: number }) | undefined {
  const target = findSteps(ctx, request, reply);
  if (!target) return undefined;
  const { recovery_step_id } = request.params as { recovery_step_id: string };
  const id = Number(recovery_step_id);
  const list = ctx.model.stepsOf(target.plan.id, target.viewMode);
  const index = /^\d+$/.test(recovery_step_id) ? list.findIndex((s) => s.id === id) : -1;
  if (index < 0) {
    sendSrmError(reply, 404);
    return undefined;
  }
  return { ...target, step: list[index], index };
}

/** A nested step of the URL (a VM's step, its power-on or a per-VM callout); 404 when the view has none. */
function findNested(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
): (StepsTarget & { row: StepRow }) | undefined {
  const target = findSteps(ctx, request, reply);
  if (!target) return undefined;
  const { recovery_step_id } = request.params as { recovery_step_id: string };
  const id = /^\d+$/.test(recovery_step_id) ? Number(recovery_step_id) : -1;
  const row = ctx.model
    .stepRows(target.plan.id, target.viewMode, "all")
    .find((r) => r.view.id === id && r.view.depth > 0);
  if (!row) {
    sendSrmError(reply, 404);
    return undefined;
  }
  return { ...target, row };
}

/** Per-VM steps belong to the VM's recovery settings: the recovery-steps calls do not change them. */
function refuseNested(
  ctx: SimContext,
  found: StepsTarget & { row: StepRow },
  reply: FastifyReply,
): FastifyReply {
  const vmId = found.row.view.vm_callout_position_spec?.vm_id ?? found.row.view.referred_object ?? "";
  return sendSrmError(
    reply,
    400,
    SimErrorCodes.builtInStep,
    `Recovery step ${found.row.view.id} ('${found.row.view.title}') belongs to VM '${ctx.model.vmName(vmId)}' in plan ` +
      `'${found.plan.name}'; change it in that VM's recovery settings.`,
  );
}

/** Refuses step changes while the plan runs, as SRM does. */
function planIsIdle(plan: PlanState, reply: FastifyReply): boolean {
  if (!plan.isRunning) return true;
  sendSrmError(
    reply,
    400,
    SimErrorCodes.invalidPlanState,
    `Cannot change the recovery steps of plan '${plan.name}' while it is ${plan.status}.`,
  );
  return false;
}

/** The timeout applies only to RUN_ON_* callouts: a PROMPT must carry 0. */
function timeoutIsValid(
  spec: { callout_type: string; timeout_seconds: number },
  reply: FastifyReply,
): boolean {
  if (spec.callout_type !== "PROMPT" || spec.timeout_seconds === 0) return true;
  sendSrmError(
    reply,
    400,
    SimErrorCodes.invalidTimeout,
    "Invalid request body: field 'timeout_seconds' applies only to RUN_ON_VM and RUN_ON_SRM_SERVER callouts; it must be 0 for PROMPT.",
  );
  return false;
}

/** Recovery steps per view mode: list, get, create callout, callout data, edit callout, delete. */
export function registerRecoveryStepRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const stepsPath = "/pairings/:pairing_id/recovery-management/plans/:plan_id/recovery-steps/:view_mode";
  const stepPath = `${stepsPath}/:recovery_step_id`;

  app.get(stepsPath, async (request, reply) => {
    const target = findSteps(ctx, request, reply);
    if (!target) return reply;
    const expanded = model.expandedIn(target.plan.id, target.viewMode);
    for (const id of parseExpandedIds((request.query as Record<string, unknown>).expanded_step_ids))
      expanded.add(id);
    const list = model.stepRows(target.plan.id, target.viewMode, expanded).map((r) => r.view);
    // The spec gives this listing no paging parameters (only expanded_step_ids): the whole tree in one answer.
    return reply.send({ list, _meta: { total: list.length, offset: 0, limit: list.length } });
  });

  app.post(stepsPath, async (request, reply) => {
    const target = findSteps(ctx, request, reply);
    if (!target) return reply;
    const spec = parseBody(CalloutCreateSpec, request, reply);
    if (!spec || !timeoutIsValid(spec, reply) || !planIsIdle(target.plan, reply)) return reply;
    const { plan, viewMode } = target;
    // The flat position must fall where the view has an anchor for custom steps.
    const place = model.anchorAt(plan.id, viewMode, spec.position);
    if (typeof place === "string") {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidPosition,
        `Invalid request body: field 'position': ${place} (the ${viewMode} steps of plan '${plan.name}').`,
      );
    }
    const task = model.newTask(
      "Create recovery step callout",
      "com.vmware.dr.recoveryplan.callout.create",
      plan.id,
      plan.name,
    );
    runner.start(task, {
      run: () => {
        if (!model.plans.has(plan.id))
          throw new TaskFailure(`Recovery plan '${plan.name}' no longer exists.`);
        // The list may have changed since the request: the position is taken in the list as it is now.
        const now = model.anchorAt(plan.id, viewMode, spec.position);
        if (typeof now === "string")
          throw new TaskFailure(`Cannot add the callout to plan '${plan.name}': ${now}.`);
        const step = model.insertCalloutAt(plan.id, now.anchor, now.index, {
          name: spec.name,
          content: spec.content,
          callout_type: spec.callout_type,
          timeout_seconds: spec.timeout_seconds,
        });
        return ctx.options.calloutTaskResult ? { recovery_step_id: step.id } : null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  /** Top-level steps as before; a nested step is looked up in the whole tree. */
  const isNested = (request: FastifyRequest) => {
    const { plan_id, view_mode, recovery_step_id } = request.params as Record<string, string>;
    const plan = model.plans.get(plan_id);
    if (!plan || !(VIEW_MODES as readonly string[]).includes(view_mode)) return false;
    const id = Number(recovery_step_id);
    return !model.stepsOf(plan.id, view_mode as ViewMode).some((s) => s.id === id);
  };

  app.get(stepPath, async (request, reply) => {
    if (isNested(request)) {
      const nested = findNested(ctx, request, reply);
      return nested ? reply.send(nested.row.view) : reply;
    }
    const found = findStep(ctx, request, reply);
    if (!found) return reply;
    const row = model
      .stepRows(found.plan.id, found.viewMode, new Set())
      .find((r) => r.view.id === found.step.id);
    return reply.send(row?.view ?? model.stepView(found.plan.id, found.viewMode, found.index));
  });

  app.delete(stepPath, async (request, reply) => {
    if (isNested(request)) {
      const nested = findNested(ctx, request, reply);
      return nested ? refuseNested(ctx, nested, reply) : reply;
    }
    const found = findStep(ctx, request, reply);
    if (!found) return reply;
    const { plan, viewMode, step } = found;
    if (!step.callout) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.builtInStep,
        `Recovery step ${step.id} ('${step.builtIn?.title}') is a built-in step of plan '${plan.name}' and cannot be deleted; only callouts can.`,
      );
    }
    if (!planIsIdle(plan, reply)) return reply;
    const task = model.newTask(
      "Delete recovery step",
      "com.vmware.dr.recoveryplan.step.delete",
      plan.id,
      plan.name,
    );
    runner.start(task, {
      run: () => {
        if (!model.deleteStep(plan.id, viewMode, step.id)) {
          throw new TaskFailure(
            `Recovery step ${step.id} no longer exists in the ${viewMode} steps of plan '${plan.name}'.`,
          );
        }
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.get(`${stepPath}/callout-data`, async (request, reply) => {
    if (isNested(request)) {
      const nested = findNested(ctx, request, reply);
      if (!nested) return reply;
      return nested.row.vmCallout ? reply.send({ ...nested.row.vmCallout }) : sendSrmError(reply, 404);
    }
    const found = findStep(ctx, request, reply);
    if (!found) return reply;
    if (!found.step.callout) return sendSrmError(reply, 404);
    return reply.send(model.calloutView(found.step));
  });

  app.post(`${stepPath}/callout-data/actions/edit`, async (request, reply) => {
    if (isNested(request)) {
      const nested = findNested(ctx, request, reply);
      return nested ? refuseNested(ctx, nested, reply) : reply;
    }
    const found = findStep(ctx, request, reply);
    if (!found) return reply;
    const { plan, viewMode, step } = found;
    if (!step.callout) return sendSrmError(reply, 404);
    const spec = parseBody(CalloutModifySpec, request, reply);
    if (!spec || !timeoutIsValid(spec, reply) || !planIsIdle(plan, reply)) return reply;
    const task = model.newTask(
      "Edit recovery step callout",
      "com.vmware.dr.recoveryplan.callout.edit",
      plan.id,
      plan.name,
    );
    runner.start(task, {
      run: () => {
        if (!model.editCallout(plan.id, viewMode, step.id, spec)) {
          throw new TaskFailure(
            `Callout step ${step.id} no longer exists in the ${viewMode} steps of plan '${plan.name}'.`,
          );
        }
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
}
