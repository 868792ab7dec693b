import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { REPROTECTABLE_PLAN_STATUSES, ReprotectPlanSpec } from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { PairingState, PlanState } from "../model.js";
import { page, parseBody, type SimContext, pairingAt } from "./context.js";
import { requireRemoteSession } from "./session.js";

/** Finds `{pairing_id, plan_id}` of the URL, answering 404 (no body) when either is unknown. */
export function findPlan(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
): { pairing: PairingState; plan: PlanState } | undefined {
  const { pairing_id, plan_id } = request.params as { pairing_id: string; plan_id: string };
  const pairing = pairingAt(ctx, pairing_id);
  const plan = ctx.model.plans.get(plan_id);
  if (!pairing || !plan || plan.pairingId !== pairing_id) {
    sendSrmError(reply, 404);
    return undefined;
  }
  return { pairing, plan };
}

/** Recovery plans: list (paged), get, and reprotect with SRM's state rules. */
export function registerPlanRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const plansPath = "/pairings/:pairing_id/recovery-management/plans";

  app.get(plansPath, async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    if (!pairingAt(ctx, pairing_id)) return sendSrmError(reply, 404);
    const body = page(
      ctx,
      request,
      reply,
      model.plansOf(pairing_id).map((p) => model.planView(p)),
    );
    return body ? reply.send(body) : reply;
  });

  app.get(`${plansPath}/:plan_id`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    return found ? reply.send(model.planView(found.plan)) : reply;
  });

  app.post(`${plansPath}/:plan_id/actions/reprotect`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    if (!found) return reply;
    const { pairing, plan } = found;
    const spec = parseBody(ReprotectPlanSpec, request, reply, {});
    if (!spec) return reply;
    if (!requireRemoteSession(ctx, request, reply, pairing.id, `Reprotect of recovery plan '${plan.name}'`))
      return reply;
    if (!REPROTECTABLE_PLAN_STATUSES.includes(plan.status)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidPlanState,
        `Cannot run reprotect on recovery plan '${plan.name}' in status ${plan.status}; reprotect needs ${REPROTECTABLE_PLAN_STATUSES.join(", ")}.`,
      );
    }
    plan.status = "REPROTECT_IN_PROGRESS";
    plan.isRunning = true;
    const task = model.newTask(
      "Reprotect recovery plan",
      "com.vmware.dr.recoveryplan.reprotect",
      plan.id,
      plan.name,
    );
    runner.start(task, {
      run: () => {
        model.swapDirection(plan);
        plan.status = "READY_STATE";
        plan.isRunning = false;
        plan.progress = 0;
        return null;
      },
      onError: (_message, cancelled) => {
        plan.status = cancelled ? "REPROTECT_INTERRUPTED" : "INCOMPLETE_REPROTECT";
        plan.isRunning = false;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
}
