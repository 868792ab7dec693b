import { isIP } from "node:net";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  AddPlaceholderDatastoreSpec,
  IpMapping,
  MAPPING_KINDS,
  MappingCreateSpec,
  type MappingKind,
  TestNetworkMappingCreateSpec,
} from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import { MAPPABLE_TYPES, type MappingSides } from "../mapping-model.js";
import type { PairingState } from "../model.js";
import { page, parseBody, type SimContext, pairingAt } from "./context.js";
import { requireRemoteSession } from "./session.js";

const KIND_NAMES: Record<MappingKind, string> = {
  folders: "folder",
  networks: "network",
  resources: "resource",
  "storage-policies": "storage policy",
};

/**
 * Resolves `{pairing_id, srm_id}` to the SRM server's own vCenter and the paired one: 404 when the pairing
 * is unknown or the SRM is not one of its two. `remote` asks for the remote login the spec's remote-site
 * contract demands ("ERROR" when not authenticated), either always or only for the remote SRM.
 */
function findSrm(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  remote: "always" | "remote-srm",
  operation: string,
): { pairing: PairingState; sides: MappingSides } | undefined {
  const { pairing_id, srm_id } = request.params as { pairing_id: string; srm_id: string };
  const pairing = pairingAt(ctx, pairing_id);
  if (!pairing || (srm_id !== pairing.localSrm.id && srm_id !== pairing.remoteSrm.id)) {
    sendSrmError(reply, 404);
    return undefined;
  }
  const isLocal = srm_id === pairing.localSrm.id;
  if ((remote === "always" || !isLocal) && !pairing.isLocal) {
    if (!requireRemoteSession(ctx, request, reply, pairing.id, operation)) return undefined;
  }
  const own = ctx.model.vcenter(isLocal ? pairing.localVc.id! : pairing.remoteVc.id!);
  const paired = ctx.model.vcenter(isLocal ? pairing.remoteVc.id! : pairing.localVc.id!);
  const otherSrmId = isLocal ? pairing.remoteSrm.id : pairing.localSrm.id;
  return { pairing, sides: { srmId: srm_id, otherSrmId, own, paired } };
}

/** Why a CIDR is not one ("" when it is fine): SRM takes only CIDR notation for subnets. */
function cidrProblem(value: string | undefined): string {
  if (!value) return "is missing";
  const [address, prefix, extra] = value.split("/");
  const family = isIP(address ?? "");
  const bits = Number(prefix);
  if (extra !== undefined || !family || !/^\d{1,3}$/.test(prefix ?? "") || bits > (family === 4 ? 32 : 128))
    return `'${value}' is not a subnet in CIDR notation (such as 10.1.0.0/24)`;
  return "";
}

/** Problems of an IPMapping's rules, each naming the rule and field. */
function ipMappingProblems(mapping: IpMapping): string[] {
  const problems: string[] = [];
  (mapping.rules ?? []).forEach((rule, i) => {
    const label = `rules[${i}]${rule.name ? ` ('${rule.name}')` : ""}`;
    for (const field of ["local_subnet", "remote_subnet"] as const) {
      const p = cidrProblem(rule[field]);
      if (p) problems.push(`${label}.${field} ${p}`);
    }
    const settings = rule.remote_ip_settings;
    const addresses: [string, string | null | undefined][] = [
      ["remote_ip_settings.ip_v4.default_gateway", settings?.ip_v4?.default_gateway],
      ["remote_ip_settings.ip_v4.alternate_gateway", settings?.ip_v4?.alternate_gateway],
      ["remote_ip_settings.dns.preferred_server", settings?.dns?.preferred_server],
      ["remote_ip_settings.dns.alternate_server", settings?.dns?.alternate_server],
    ];
    for (const [field, value] of addresses) {
      if (value !== null && value !== undefined && !isIP(value))
        problems.push(`${label}.${field} '${value}' is not an IP address`);
    }
  });
  return problems;
}

/**
 * Inventory mappings (folders, networks, resources, storage policies) with SRM's synchronous 204 create
 * and delete, IP subnet rules of network mappings, test network mappings, and placeholder datastores
 * (added and removed by tasks). Everything is kept per SRM server.
 */
export function registerInventoryMappingRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const store = model.mappings;
  const base = "/pairings/:pairing_id/srms/:srm_id/inventory-mappings";

  for (const kind of MAPPING_KINDS) {
    const noun = KIND_NAMES[kind];
    const types = MAPPABLE_TYPES[kind];

    app.get(`${base}/${kind}`, async (request, reply) => {
      const found = findSrm(ctx, request, reply, "always", `Listing ${noun} mappings`);
      if (!found) return reply;
      const views = store.list(kind, found.sides.srmId).map((m) => store.mappingView(m, found.sides));
      const body = page(ctx, request, reply, views);
      return body ? reply.send(body) : reply;
    });

    app.post(`${base}/${kind}`, async (request, reply) => {
      const spec = parseBody(MappingCreateSpec, request, reply);
      if (!spec) return reply;
      const found = findSrm(ctx, request, reply, "always", `Creating a ${noun} mapping`);
      if (!found) return reply;
      const { own, paired, srmId } = found.sides;
      const source = own.find(spec.mapping_source_object, types);
      if (!source) {
        return sendSrmError(
          reply,
          400,
          SimErrorCodes.unknownInventoryObject,
          `mapping_source_object '${spec.mapping_source_object}' is not a ${types.join(" or ")} in vCenter ${own.vcGuid}.`,
        );
      }
      const target = paired.find(spec.mapping_target_object, types);
      if (!target) {
        return sendSrmError(
          reply,
          400,
          SimErrorCodes.unknownInventoryObject,
          `mapping_target_object '${spec.mapping_target_object}' is not a ${types.join(" or ")} in vCenter ${paired.vcGuid}.`,
        );
      }
      const existing = store.bySource(kind, srmId, source.id);
      if (existing) {
        return sendSrmError(
          reply,
          400,
          SimErrorCodes.duplicateMapping,
          `${source.type} '${source.name}' (${source.id}) is already mapped (mapping ${existing.id}); delete that mapping first.`,
        );
      }
      store.add(kind, srmId, source.id, target.id);
      return reply.code(204).send();
    });

    const one = `${base}/${kind}/:mapping_id`;
    const findMapping = (request: FastifyRequest, reply: FastifyReply, operation: string) => {
      const found = findSrm(ctx, request, reply, "always", operation);
      if (!found) return undefined;
      const { mapping_id } = request.params as { mapping_id: string };
      const m = store.mappings.get(mapping_id);
      if (!m || m.kind !== kind || m.srmId !== found.sides.srmId) {
        sendSrmError(reply, 404);
        return undefined;
      }
      return { ...found, m };
    };

    app.get(one, async (request, reply) => {
      const f = findMapping(request, reply, `Reading a ${noun} mapping`);
      return f ? reply.send(store.mappingView(f.m, f.sides)) : reply;
    });

    app.delete(one, async (request, reply) => {
      const f = findMapping(request, reply, `Deleting a ${noun} mapping`);
      if (!f) return reply;
      store.remove(f.m.id);
      return reply.code(204).send();
    });

    if (kind !== "networks") continue;
    const ip = `${one}/ip-subnet-mapping`;
    app.get(ip, async (request, reply) => {
      const f = findMapping(request, reply, "Reading IP subnet rules");
      if (!f) return reply;
      return f.m.ipMapping ? reply.send(f.m.ipMapping) : sendSrmError(reply, 404);
    });
    app.put(ip, async (request, reply) => {
      const spec = parseBody(IpMapping, request, reply);
      if (!spec) return reply;
      const f = findMapping(request, reply, "Setting IP subnet rules");
      if (!f) return reply;
      const problems = ipMappingProblems(spec);
      if (problems.length > 0)
        return sendSrmError(reply, 400, SimErrorCodes.invalidSubnetRule, problems.slice(0, 5).join("; "));
      f.m.ipMapping = { name: spec.name ?? "", rules: spec.rules ?? [] };
      return reply.code(204).send();
    });
    app.delete(ip, async (request, reply) => {
      const f = findMapping(request, reply, "Removing IP subnet rules");
      if (!f) return reply;
      if (!f.m.ipMapping) return sendSrmError(reply, 404);
      f.m.ipMapping = null;
      return reply.code(204).send();
    });
  }

  // Test network mappings: both networks are at the recovery site (the paired vCenter of this SRM).
  const tn = `${base}/test-networks`;
  app.get(tn, async (request, reply) => {
    const found = findSrm(ctx, request, reply, "always", "Listing test network mappings");
    if (!found) return reply;
    const views = store.testNetworksOf(found.sides.srmId).map((t) => store.testNetworkView(t, found.sides));
    const body = page(ctx, request, reply, views);
    return body ? reply.send(body) : reply;
  });
  app.post(tn, async (request, reply) => {
    const spec = parseBody(TestNetworkMappingCreateSpec, request, reply);
    if (!spec) return reply;
    const found = findSrm(ctx, request, reply, "always", "Creating a test network mapping");
    if (!found) return reply;
    const { paired, srmId } = found.sides;
    for (const field of ["target_network", "test_network"] as const) {
      if (!paired.find(spec[field], ["network"])) {
        return sendSrmError(
          reply,
          400,
          SimErrorCodes.unknownInventoryObject,
          `${field} '${spec[field]}' is not a network in vCenter ${paired.vcGuid} (the recovery site).`,
        );
      }
    }
    const existing = store.testNetworksOf(srmId).find((t) => t.targetNetwork === spec.target_network);
    if (existing) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.duplicateMapping,
        `Network '${spec.target_network}' already has a test network mapping (${existing.id}); delete it first.`,
      );
    }
    store.addTestNetwork(srmId, spec.target_network, spec.test_network);
    return reply.code(204).send();
  });
  const findTestNetwork = (request: FastifyRequest, reply: FastifyReply, operation: string) => {
    const found = findSrm(ctx, request, reply, "always", operation);
    if (!found) return undefined;
    const { mapping_id } = request.params as { mapping_id: string };
    const t = store.testNetworks.get(mapping_id);
    if (!t || t.srmId !== found.sides.srmId) {
      sendSrmError(reply, 404);
      return undefined;
    }
    return { ...found, t };
  };
  app.get(`${tn}/:mapping_id`, async (request, reply) => {
    const f = findTestNetwork(request, reply, "Reading a test network mapping");
    return f ? reply.send(store.testNetworkView(f.t, f.sides)) : reply;
  });
  app.delete(`${tn}/:mapping_id`, async (request, reply) => {
    const f = findTestNetwork(request, reply, "Deleting a test network mapping");
    if (!f) return reply;
    store.testNetworks.delete(f.t.id);
    return reply.code(204).send();
  });

  // Placeholder datastores: datastores of this SRM's own vCenter, added and removed by tasks.
  const pd = `${base}/placeholder-datastores`;
  app.get(pd, async (request, reply) => {
    const found = findSrm(ctx, request, reply, "remote-srm", "Listing placeholder datastores");
    if (!found) return reply;
    const { own, srmId } = found.sides;
    const views = store.placeholdersOf(srmId).map((id) => store.placeholderView(id, own));
    const body = page(ctx, request, reply, views);
    return body ? reply.send(body) : reply;
  });
  app.post(pd, async (request, reply) => {
    const spec = parseBody(AddPlaceholderDatastoreSpec, request, reply);
    if (!spec) return reply;
    const found = findSrm(ctx, request, reply, "always", "Adding placeholder datastores");
    if (!found) return reply;
    const { own, srmId } = found.sides;
    const unknown = spec.datastores.find((id) => !own.find(id, ["datastore"]));
    if (unknown !== undefined) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.unknownInventoryObject,
        `datastores: '${unknown}' is not a datastore in vCenter ${own.vcGuid}.`,
      );
    }
    const task = model.newTask(
      "Configure placeholder datastores",
      "com.vmware.dr.placeholderdatastore.add",
      srmId,
      null,
    );
    runner.start(task, {
      run: () => {
        // Datastores that cannot hold placeholders are reported in the result, the rest are added.
        const failed: { datastore_id: string; error_msg: string }[] = [];
        const list = store.placeholdersOf(srmId);
        for (const id of spec.datastores) {
          const ds = own.find(id, ["datastore"]);
          if (!ds) failed.push({ datastore_id: id, error_msg: `Datastore '${id}' no longer exists.` });
          else if (ds.datastore?.replicated)
            failed.push({
              datastore_id: id,
              error_msg: `Datastore '${ds.name}' is replicated; placeholder datastores must not be replicated.`,
            });
          else if (!list.includes(id)) list.push(id);
        }
        return failed.length > 0 ? failed : null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
  app.post(`${pd}/actions/query-suitable-datastores`, async (request, reply) => {
    const found = findSrm(ctx, request, reply, "always", "Querying suitable placeholder datastores");
    if (!found) return reply;
    const { own, srmId } = found.sides;
    const task = model.newTask(
      "Query suitable placeholder datastores",
      "com.vmware.dr.placeholderdatastore.querySuitable",
      srmId,
      null,
    );
    runner.start(task, {
      run: () =>
        [...own.objects.values()]
          .filter((o) => o.type === "datastore" && !o.datastore?.replicated)
          .map((o) => ({
            datastore_id: o.id,
            placeholder_datastore: store.placeholdersOf(srmId).includes(o.id),
          })),
    });
    return reply.code(202).send(model.taskView(task));
  });
  const findPlaceholder = (
    request: FastifyRequest,
    reply: FastifyReply,
    operation: string,
    remote: "always" | "remote-srm",
  ) => {
    const found = findSrm(ctx, request, reply, remote, operation);
    if (!found) return undefined;
    const { datastore_id } = request.params as { datastore_id: string };
    if (!store.placeholdersOf(found.sides.srmId).includes(datastore_id)) {
      sendSrmError(reply, 404);
      return undefined;
    }
    return { ...found, id: datastore_id };
  };
  app.get(`${pd}/:datastore_id`, async (request, reply) => {
    const f = findPlaceholder(request, reply, "Reading a placeholder datastore", "remote-srm");
    return f ? reply.send(store.placeholderView(f.id, f.sides.own)) : reply;
  });
  app.delete(`${pd}/:datastore_id`, async (request, reply) => {
    const f = findPlaceholder(request, reply, "Removing a placeholder datastore", "always");
    if (!f) return reply;
    const task = model.newTask(
      "Remove placeholder datastore",
      "com.vmware.dr.placeholderdatastore.remove",
      f.id,
      f.sides.own.find(f.id)?.name ?? null,
    );
    runner.start(task, {
      run: () => {
        const list = store.placeholdersOf(f.sides.srmId);
        const index = list.indexOf(f.id);
        if (index >= 0) list.splice(index, 1);
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
}
