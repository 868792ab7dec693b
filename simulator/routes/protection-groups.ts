import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ProtectionGroupCreateSpec,
  ProtectionGroupEditSpec,
  type ProtectionGroupInfo,
} from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { PairingState, SimulatorModel } from "../model.js";
import { ROOT_FOLDERS } from "../folder-model.js";
import type { GroupState } from "../protection-model.js";
import { page, parseBody, type SimContext, pairingAt } from "./context.js";
import { folderOf } from "./folders.js";
import { requireRemoteSession } from "./session.js";

/** The array pair every pairing's replicated datastores belong to (one pair per site pair). */
export function arrayPairOf(pairingId: string): string {
  return `array-pair-${pairingId}`;
}

/** ProtectionGroupInfo of a group. */
export function groupView(model: SimulatorModel, g: GroupState): ProtectionGroupInfo {
  const vmCount = model.protection.groupVmIds(g, (ds) => model.vmsOnDatastore(ds)).length;
  const folder = model.folders.nameOf("protection", g.folderId ?? ROOT_FOLDERS.protection.id);
  return model.protection.groupView(g, vmCount, model.plansWithGroup(g.id), folder);
}

function findGroup(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
): { pairing: PairingState; group: GroupState } | undefined {
  const { pairing_id, group_id } = request.params as { pairing_id: string; group_id: string };
  const pairing = pairingAt(ctx, pairing_id);
  const group = ctx.model.protection.groups.get(group_id);
  if (!pairing || !group || group.pairingId !== pairing_id) {
    sendSrmError(reply, 404);
    return undefined;
  }
  return { pairing, group };
}

/**
 * Checks the members a create or reconfigure names: HBR VMs must be replicated VMs of the protected vCenter
 * that no other group holds; ABR datastores must be replicated datastores of the protected vCenter that no
 * other group holds. Answers 400 naming the member and returns false otherwise.
 */
function checkMembers(
  model: SimulatorModel,
  reply: FastifyReply,
  protectedVcGuid: string,
  groupId: string | null,
  spec: { hbr_spec?: { vms: string[] } | null; abr_spec?: { datastores: string[] } | null },
): boolean {
  const vc = model.vcenter(protectedVcGuid);
  for (const vmId of spec.hbr_spec?.vms ?? []) {
    const vm = vc.find(vmId, ["vm"]);
    if (!vm) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.unknownInventoryObject,
        `VM '${vmId}' does not exist in the protected site's vCenter.`,
      );
      return false;
    }
    if (!vm.vm?.replicated) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.notReplicated,
        `VM '${vm.name}' (${vmId}) is not replicated by vSphere Replication; configure its replication first.`,
      );
      return false;
    }
    const holder = model.protection.groupOfVm(vmId);
    if (holder && holder.id !== groupId) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.vmAlreadyProtected,
        `VM '${vm.name}' (${vmId}) is already protected by protection group '${holder.name}'.`,
      );
      return false;
    }
  }
  for (const dsId of spec.abr_spec?.datastores ?? []) {
    const ds = vc.find(dsId, ["datastore"]);
    if (!ds?.datastore?.replicated) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.notReplicated,
        `Datastore '${dsId}' is not a replicated datastore of the protected site's array pair.`,
      );
      return false;
    }
    const holder = model.protection.groupOfDatastore(dsId);
    if (holder && holder.id !== groupId) {
      sendSrmError(
        reply,
        400,
        SimErrorCodes.vmAlreadyProtected,
        `Datastore '${ds.name}' (${dsId}) already belongs to protection group '${holder.name}'.`,
      );
      return false;
    }
  }
  return true;
}

/** Refuses a change to a group while a plan holding it runs. */
function refuseWhileRunning(
  model: SimulatorModel,
  reply: FastifyReply,
  g: GroupState,
  what: string,
): boolean {
  const running = model.plansWithGroup(g.id).find((p) => p.isRunning);
  if (!running) return false;
  sendSrmError(
    reply,
    400,
    SimErrorCodes.invalidPlanState,
    `Cannot ${what} protection group '${g.name}': recovery plan '${running.name}' that holds it is ${running.status}.`,
  );
  return true;
}

/** Protection groups: list, get, create, reconfigure, delete, VMs, related plans. */
export function registerProtectionGroupRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const groupsPath = "/pairings/:pairing_id/protection-management/groups";

  app.get(groupsPath, async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    if (!pairingAt(ctx, pairing_id)) return sendSrmError(reply, 404);
    const list = model.protection.groupsOf(pairing_id).map((g) => groupView(model, g));
    const body = page(ctx, request, reply, list);
    return body ? reply.send(body) : reply;
  });

  app.get(`${groupsPath}/:group_id`, async (request, reply) => {
    const found = findGroup(ctx, request, reply);
    return found ? reply.send(groupView(model, found.group)) : reply;
  });

  app.post(groupsPath, async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    const spec = parseBody(ProtectionGroupCreateSpec, request, reply);
    if (!spec) return reply;
    if (!requireRemoteSession(ctx, request, reply, pairing.id, `Creating protection group '${spec.name}'`))
      return reply;
    const sites = [pairing.localVc.id, pairing.remoteVc.id];
    if (!sites.includes(spec.protected_vc_guid) || pairing.isLocal) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidRequestBody,
        `field 'protected_vc_guid': ${spec.protected_vc_guid} is not one of the two vCenters of pairing ${pairing.id}.`,
      );
    }
    const wanted = spec.replication_type === "ABR" ? "abr_spec" : "hbr_spec";
    if ((spec.replication_type !== "ABR" && spec.replication_type !== "HBR") || !spec[wanted]) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidRequestBody,
        `field '${wanted}': required for replication_type ${spec.replication_type} (this server supports HBR and ABR).`,
      );
    }
    if (spec.abr_spec && spec.abr_spec.replicated_array_pair !== arrayPairOf(pairing.id)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.unknownInventoryObject,
        `field 'abr_spec.replicated_array_pair': no array pair '${spec.abr_spec.replicated_array_pair}' in pairing ${pairing.id}.`,
      );
    }
    if (model.protection.groupsOf(pairing.id).some((g) => g.name === spec.name)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateName,
        `A protection group named '${spec.name}' already exists.`,
      );
    }
    if (!checkMembers(model, reply, spec.protected_vc_guid, null, spec)) return reply;
    const folderId = folderOf(model, reply, "protection", pairing.id, spec.location);
    if (folderId === false) return reply;
    const local = spec.protected_vc_guid === pairing.localVc.id;
    const site = (vc: string) =>
      vc === model.inventory.local.vcGuid
        ? model.inventory.local.siteName
        : (model.remoteSite(vc)?.siteName ?? vc);
    const recoveryVcGuid = local ? pairing.remoteVc.id : pairing.localVc.id;
    const task = model.newTask("Create protection group", "com.vmware.dr.group.create", null, spec.name);
    runner.start(task, {
      run: () => {
        const g = model.protection.addGroup({
          pairingId: pairing.id,
          name: spec.name,
          description: spec.description ?? null,
          replicationType: spec.replication_type,
          protectedVcGuid: spec.protected_vc_guid,
          recoveryVcGuid,
          protectedSiteName: site(spec.protected_vc_guid),
          recoverySiteName: site(recoveryVcGuid),
          vms: [...(spec.hbr_spec?.vms ?? [])],
          arrayPair: spec.abr_spec?.replicated_array_pair ?? null,
          datastores: [...(spec.abr_spec?.datastores ?? [])],
          folderId,
        });
        task.entity = g.id;
        return { id: g.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.post(`${groupsPath}/:group_id/actions/reconfigure`, async (request, reply) => {
    const found = findGroup(ctx, request, reply);
    if (!found) return reply;
    const { pairing, group } = found;
    const spec = parseBody(ProtectionGroupEditSpec, request, reply);
    if (!spec) return reply;
    if (
      !requireRemoteSession(ctx, request, reply, pairing.id, `Reconfiguring protection group '${group.name}'`)
    )
      return reply;
    if (refuseWhileRunning(model, reply, group, "reconfigure")) return reply;
    if (
      (spec.hbr_spec && group.replicationType !== "HBR") ||
      (spec.abr_spec && group.replicationType !== "ABR")
    ) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.invalidRequestBody,
        `Protection group '${group.name}' uses ${group.replicationType} replication; its edit takes ${group.replicationType === "ABR" ? "abr_spec" : "hbr_spec"}.`,
      );
    }
    if (model.protection.groupsOf(pairing.id).some((g) => g.name === spec.name && g.id !== group.id)) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateName,
        `A protection group named '${spec.name}' already exists.`,
      );
    }
    if (!checkMembers(model, reply, group.protectedVcGuid, group.id, spec)) return reply;
    const task = model.newTask(
      "Reconfigure protection group",
      "com.vmware.dr.group.reconfigure",
      group.id,
      group.name,
    );
    runner.start(task, {
      run: () => {
        group.name = spec.name;
        if (spec.description !== undefined) group.description = spec.description ?? null;
        // HbrProtectionGroupSpec.vms is "the list of VMs to protect with this protection group": the new
        // membership. AbrProtectionGroupSpec.datastores lists "replicated datastores to add".
        if (spec.hbr_spec) group.vms = [...spec.hbr_spec.vms];
        if (spec.abr_spec)
          group.datastores = [...new Set([...group.datastores, ...spec.abr_spec.datastores])];
        model.syncPlansOfGroup(group.id);
        return { id: group.id };
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.delete(`${groupsPath}/:group_id`, async (request, reply) => {
    const found = findGroup(ctx, request, reply);
    if (!found) return reply;
    const { group } = found;
    const plans = model.plansWithGroup(group.id);
    if (plans.length > 0) {
      // SRM administration guide, "Delete a protection group": a group that a recovery plan contains
      // cannot be deleted; remove it from the plans first.
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.groupInUse,
        `Cannot delete protection group '${group.name}': it is used by recovery plan(s) ${plans.map((p) => `'${p.name}'`).join(", ")}. Remove it from those plans first.`,
      );
    }
    const task = model.newTask("Delete protection group", "com.vmware.dr.group.delete", group.id, group.name);
    runner.start(task, {
      run: () => {
        model.protection.groups.delete(group.id);
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.get(`${groupsPath}/:group_id/vms`, async (request, reply) => {
    const found = findGroup(ctx, request, reply);
    if (!found) return reply;
    const vms = model.protection
      .groupVmIds(found.group, (ds) => model.vmsOnDatastore(ds))
      .map((id) => ({
        id,
        name: model.vmName(id),
        template: false,
        inside_vapp: false,
        protection_status_details: { status: "OK" as const, errors: null },
      }));
    const body = page(ctx, request, reply, vms);
    return body ? reply.send(body) : reply;
  });

  app.get(`${groupsPath}/:group_id/recovery-plans`, async (request, reply) => {
    const found = findGroup(ctx, request, reply);
    if (!found) return reply;
    const body = page(
      ctx,
      request,
      reply,
      model.plansWithGroup(found.group.id).map((p) => model.planView(p)),
    );
    return body ? reply.send(body) : reply;
  });
}
