import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply } from "fastify";
import { RecoveryPlanCreateSpec, RecoveryPlanEditSpec } from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { PairingState, PlanState, SimulatorModel } from "../model.js";
import { page, parseBody, type SimContext, pairingAt } from "./context.js";
import { folderOf } from "./folders.js";
import { groupView } from "./protection-groups.js";
import { findPlan } from "./plans.js";

/** Checks that every group exists in the pairing and protects `protectedVcGuid`; answers 400 otherwise. */
function checkGroups(
  model: SimulatorModel,
  reply: FastifyReply,
  pairing: PairingState,
  protectedVcGuid: string,
  groupIds: readonly string[],
): boolean {
  for (const id of groupIds) {
    const g = model.protection.groups.get(id);
    if (!g || g.pairingId !== pairing.id) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.unknownInventoryObject,
        `field 'protection_groups': protection group '${id}' does not exist in pairing ${pairing.id}.`,
      );
      return false;
    }
    if (g.protectedVcGuid !== protectedVcGuid) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.directionMismatch,
        `Protection group '${g.name}' protects vCenter ${g.protectedVcGuid}, but the recovery plan protects ${protectedVcGuid}; a plan holds only groups of its own direction.`,
      );
      return false;
    }
  }
  return true;
}

function refuseRunning(reply: FastifyReply, plan: PlanState, what: string): boolean {
  if (!plan.isRunning) return false;
  sendSrmError(
    reply,
    400,
    SimErrorCodes.invalidPlanState,
    `Cannot ${what} recovery plan '${plan.name}' while it is running (status ${plan.status}); wait for it to finish or cancel it.`,
  );
  return true;
}

/** Plan creation, reconfiguration and deletion; the plan's groups, test networks and VMs. */
export function registerPlanConfigRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const plansPath = "/pairings/:pairing_id/recovery-management/plans";

  app.post(plansPath, async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    const spec = parseBody(RecoveryPlanCreateSpec, request, reply);
    if (!spec) return reply;
    if (pairing.isLocal || ![pairing.localVc.id, pairing.remoteVc.id].includes(spec.protected_vc_guid)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidRequestBody,
        `field 'protected_vc_guid': ${spec.protected_vc_guid} is not one of the two vCenters of pairing ${pairing.id}.`,
      );
    }
    if (model.plansOf(pairing.id).some((p) => p.name === spec.name)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateName,
        `A recovery plan named '${spec.name}' already exists.`,
      );
    }
    const groupIds = [...new Set(spec.protection_groups ?? [])];
    if (!checkGroups(model, reply, pairing, spec.protected_vc_guid, groupIds)) return reply;
    const folderId = folderOf(model, reply, "recovery", pairing.id, spec.location);
    if (folderId === false) return reply;
    const local = spec.protected_vc_guid === pairing.localVc.id;
    const recoveryVcGuid = local ? pairing.remoteVc.id : pairing.localVc.id;
    const site = (vc: string) =>
      vc === model.inventory.local.vcGuid
        ? model.inventory.local.siteName
        : (model.remoteSite(vc)?.siteName ?? vc);
    const task = model.newTask("Create recovery plan", "com.vmware.dr.recoveryplan.create", null, spec.name);
    runner.start(task, {
      run: () => {
        const plan = model.addPlan({
          pairingId: pairing.id,
          name: spec.name,
          description: spec.description ?? null,
          protectedVcGuid: spec.protected_vc_guid,
          recoveryVcGuid,
          protectedSiteName: site(spec.protected_vc_guid),
          recoverySiteName: site(recoveryVcGuid),
          groupIds,
          testNetworks: (spec.test_network_mappings ?? []).map((t) => ({ id: randomUUID(), ...t })),
          vmsToSuspend: [],
          folderId,
        });
        task.entity = plan.id;
        return { id: plan.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.post(`${plansPath}/:plan_id/actions/reconfigure`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    if (!found) return reply;
    const { pairing, plan } = found;
    const spec = parseBody(RecoveryPlanEditSpec, request, reply, {});
    if (!spec) return reply;
    if (refuseRunning(reply, plan, "edit")) return reply;
    if (spec.name && model.plansOf(pairing.id).some((p) => p.name === spec.name && p.id !== plan.id)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateName,
        `A recovery plan named '${spec.name}' already exists.`,
      );
    }
    const groups = spec.protection_groups ?? plan.groupIds;
    // RecoveryPlanEditSpec.protected_vc_guid: a direction change "is possible when there are no protection
    // groups in the plan".
    const direction = spec.protected_vc_guid ?? plan.protectedVcGuid;
    if (direction !== plan.protectedVcGuid && groups.length > 0) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.directionMismatch,
        `Cannot change the direction of recovery plan '${plan.name}' while it holds protection groups.`,
      );
    }
    if (!checkGroups(model, reply, pairing, direction, groups)) return reply;
    const task = model.newTask(
      "Reconfigure recovery plan",
      "com.vmware.dr.recoveryplan.reconfigure",
      plan.id,
      plan.name,
    );
    runner.start(task, {
      run: () => {
        if (spec.name) plan.name = spec.name;
        if (spec.description !== undefined && spec.description !== null) plan.description = spec.description;
        if (direction !== plan.protectedVcGuid) model.swapDirection(plan);
        if (spec.protection_groups) plan.groupIds = [...new Set(spec.protection_groups)];
        if (spec.test_network_mappings)
          plan.testNetworks = spec.test_network_mappings.map(
            (t) =>
              plan.testNetworks.find(
                (o) => o.target_network === t.target_network && o.test_network === t.test_network,
              ) ?? { id: randomUUID(), ...t },
          );
        if (spec.vms_to_suspend) plan.vmsToSuspend = [...spec.vms_to_suspend];
        if (plan.status === "READY_STATE" || plan.status === "NO_PROTECTION_GROUPS")
          plan.status = plan.groupIds.length > 0 ? "READY_STATE" : "NO_PROTECTION_GROUPS";
        model.protection.syncPlanVms(plan.id, model.planVmIds(plan));
        return { id: plan.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.delete(`${plansPath}/:plan_id`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    if (!found) return reply;
    const { plan } = found;
    if (refuseRunning(reply, plan, "delete")) return reply;
    const task = model.newTask(
      "Delete recovery plan",
      "com.vmware.dr.recoveryplan.delete",
      plan.id,
      plan.name,
    );
    runner.start(task, {
      run: () => {
        model.removePlan(plan.id);
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.get(`${plansPath}/:plan_id/protection-groups`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    if (!found) return reply;
    const list = found.plan.groupIds
      .map((id) => model.protection.groups.get(id))
      .filter((g) => g !== undefined)
      .map((g) => groupView(model, g));
    const body = page(ctx, request, reply, list);
    return body ? reply.send(body) : reply;
  });

  app.get(`${plansPath}/:plan_id/test-networks`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    if (!found) return reply;
    const vc = model.vcenter(found.plan.recoveryVcGuid);
    const list = found.plan.testNetworks.map((t) => ({
      ...t,
      test_network_name: vc.find(t.test_network)?.name ?? null,
    }));
    const body = page(ctx, request, reply, list);
    return body ? reply.send(body) : reply;
  });

  app.get(`${plansPath}/:plan_id/vms`, async (request, reply) => {
    const found = findPlan(ctx, request, reply);
    if (!found) return reply;
    const list = model.planVmIds(found.plan).map((id) => {
      const g = [...model.protection.groups.values()].find(
        (x) =>
          found.plan.groupIds.includes(x.id) &&
          model.protection.groupVmIds(x, (ds) => model.vmsOnDatastore(ds)).includes(id),
      );
      return {
        id,
        name: model.vmName(id),
        template: false,
        inside_vapp: false,
        status: "READY_TO_RECOVER" as const,
        managing_recovery_plan: found.plan.name,
        protection_group: g?.id ?? null,
        protection_group_name: g?.name ?? null,
      };
    });
    const body = page(ctx, request, reply, list);
    return body ? reply.send(body) : reply;
  });
}
