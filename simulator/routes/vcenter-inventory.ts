import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { VCENTER_INVENTORY_KINDS, type VcenterInventoryKind } from "../../provider/api/index.js";
import { sendSrmError } from "../errors.js";
import type { PairingState } from "../model.js";
import type { VcenterModel } from "../vcenter-model.js";
import { KIND_TYPES } from "../vcenter-model.js";
import { page, type SimContext, pairingAt } from "./context.js";
import { requireRemoteSession } from "./session.js";

/**
 * Resolves `{pairing_id, vcenter_id}`: 404 when the pairing is unknown or the vCenter is not one of its
 * two; 403 REMOTE_SITE_NOT_AUTHENTICATED for the remote vCenter without a remote login (the spec's
 * remote-site contract for these operations is "depends on the provided parameters").
 */
export function findVcenter(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
): { pairing: PairingState; vc: VcenterModel } | undefined {
  const { pairing_id, vcenter_id } = request.params as { pairing_id: string; vcenter_id: string };
  const pairing = pairingAt(ctx, pairing_id);
  if (!pairing || (vcenter_id !== pairing.localVc.id && vcenter_id !== pairing.remoteVc.id)) {
    sendSrmError(reply, 404);
    return undefined;
  }
  if (vcenter_id !== pairing.localVc.id) {
    const what = `Reading the inventory of vCenter ${pairing.remoteVc.name}`;
    if (!requireRemoteSession(ctx, request, reply, pairing.id, what)) return undefined;
  }
  return { pairing, vc: ctx.model.vcenter(vcenter_id) };
}

/** vCenter inventory reads: VM folders, networks, compute, datastores, storage policies, replicated VMs. */
export function registerVcenterInventoryRoutes(app: FastifyInstance, ctx: SimContext): void {
  const base = "/pairings/:pairing_id/vcenters/:vcenter_id";
  const idParam: Record<VcenterInventoryKind, string> = {
    "vm-folder": "vm_folder_id",
    network: "network_id",
    compute: "compute_id",
    datastores: "datastore_id",
  };

  for (const kind of VCENTER_INVENTORY_KINDS) {
    const view = (vc: VcenterModel, o: Parameters<VcenterModel["itemView"]>[0]) =>
      kind === "datastores" ? vc.datastoreView(o) : vc.itemView(o);

    app.get(`${base}/inventory/${kind}`, async (request, reply) => {
      const found = findVcenter(ctx, request, reply);
      if (!found) return reply;
      const { path } = request.query as { path?: string };
      const children = found.vc.children(kind, path);
      if (!children) return sendSrmError(reply, 404);
      const body = page(
        ctx,
        request,
        reply,
        children.map((o) => view(found.vc, o)),
      );
      return body ? reply.send(body) : reply;
    });

    app.get(`${base}/inventory/${kind}/:${idParam[kind]}`, async (request, reply) => {
      const found = findVcenter(ctx, request, reply);
      if (!found) return reply;
      const id = (request.params as Record<string, string>)[idParam[kind]];
      const o = found.vc.find(id, [...KIND_TYPES[kind], "datacenter"]);
      return o ? reply.send(view(found.vc, o)) : sendSrmError(reply, 404);
    });
  }

  app.get(`${base}/storage-policies`, async (request, reply) => {
    const found = findVcenter(ctx, request, reply);
    if (!found) return reply;
    const policies = [...found.vc.objects.values()].filter((o) => o.type === "storage-policy");
    const body = page(
      ctx,
      request,
      reply,
      policies.map((o) => found.vc.storagePolicyView(o)),
    );
    return body ? reply.send(body) : reply;
  });

  app.get(`${base}/storage-policies/:storage_policy_id`, async (request, reply) => {
    const found = findVcenter(ctx, request, reply);
    if (!found) return reply;
    const { storage_policy_id } = request.params as { storage_policy_id: string };
    const o = found.vc.find(storage_policy_id, ["storage-policy"]);
    return o ? reply.send(found.vc.storagePolicyView(o)) : sendSrmError(reply, 404);
  });

  app.get(`${base}/replicated-vms`, async (request, reply) => {
    const found = findVcenter(ctx, request, reply);
    if (!found) return reply;
    const body = page(ctx, request, reply, found.vc.replicatedVms(ctx.model.protectedVmIds()));
    return body ? reply.send(body) : reply;
  });
}
