import type { FastifyInstance } from "fastify";
import { PairingSpec } from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { RemoteSite } from "../inventory.js";
import type { PairingState, SimulatorModel } from "../model.js";
import { TaskFailure } from "../tasks.js";
import { page, parseBody, type SimContext, pairingAt } from "./context.js";
import { requireRemoteSession } from "./session.js";

/** "https://Host:443/path" -> "host". */
function hostOf(url: string): string {
  const withScheme = /^[a-z]+:\/\//i.test(url) ? url : `https://${url}`;
  try {
    return new URL(withScheme).hostname.toLowerCase();
  } catch {
    return url.toLowerCase();
  }
}

/** "ab:cd" / "ABCD" -> "ABCD". */
function normalizeThumbprint(t: string): string {
  return t.replace(/[^0-9a-f]/gi, "").toUpperCase();
}

/**
 * Does what SRM does before pairing (or reconnecting): connects to the remote PSC, checks its
 * certificate thumbprint, logs in, and looks up the remote vCenter. Throws a TaskFailure with the
 * message SRM would show. Never puts the password in a message.
 */
export function checkPairingSpec(model: SimulatorModel, spec: PairingSpec): RemoteSite {
  const psc = spec.pair_psc_info;
  const host = hostOf(psc.url);
  const site = model.inventory.remoteSites.find((s) => hostOf(s.pscUrl) === host);
  if (!site || psc.port !== site.pscPort) {
    throw new TaskFailure(
      `Cannot connect to the Platform Services Controller at ${host}:${psc.port}. Check the address and port.`,
      "Connection refused.",
    );
  }
  if (
    site.pscThumbprint &&
    psc.thumbprint &&
    normalizeThumbprint(psc.thumbprint) !== normalizeThumbprint(site.pscThumbprint)
  ) {
    throw new TaskFailure(
      `The certificate thumbprint of the Platform Services Controller at ${host}:${psc.port} does not match: expected ${psc.thumbprint}, the server presented ${site.pscThumbprint}.`,
    );
  }
  if (psc.username !== site.username || psc.password !== site.password) {
    throw new TaskFailure(
      `Cannot complete login due to an incorrect user name or password (user ${psc.username} at the Platform Services Controller ${host}).`,
    );
  }
  if (spec.pair_vc_guid !== site.vcGuid) {
    throw new TaskFailure(
      `Cannot find a vCenter Server with instance UUID ${spec.pair_vc_guid} registered with the Platform Services Controller at ${host}.`,
    );
  }
  if (
    spec.pair_srm_thumbprint &&
    site.srmThumbprint &&
    normalizeThumbprint(spec.pair_srm_thumbprint) !== normalizeThumbprint(site.srmThumbprint)
  ) {
    throw new TaskFailure(
      `The certificate thumbprint of the remote Site Recovery Manager ${site.srmName} does not match: expected ${spec.pair_srm_thumbprint}, the server presented ${site.srmThumbprint}.`,
    );
  }
  return site;
}

function storeConnection(pairing: PairingState, spec: PairingSpec): void {
  const psc = spec.pair_psc_info;
  pairing.psc = { url: psc.url, port: psc.port, thumbprint: psc.thumbprint };
  if (spec.pair_srm_url) pairing.srm.url = spec.pair_srm_url;
  if (spec.pair_srm_thumbprint) pairing.srm.thumbprint = spec.pair_srm_thumbprint;
}

/** Pairings: list (with the self-pairing, paged), get, create, reconnect, delete. */
export function registerPairingRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;

  app.get("/pairings", async (request, reply) => {
    const body = page(
      ctx,
      request,
      reply,
      model.listPairings(ctx.site.vcGuid).map((p) => model.pairingView(p)),
    );
    return body ? reply.send(body) : reply;
  });

  app.get("/pairings/:pairing_id", async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    return reply.send(model.pairingView(pairing));
  });

  app.post("/pairings", async (request, reply) => {
    const spec = parseBody(PairingSpec, request, reply);
    if (!spec) return reply;
    const task = model.newTask("Pair sites", "com.vmware.dcui.srm.pairing.create", null, null);
    runner.start(task, {
      run: () => {
        if (spec.pair_vc_guid === ctx.site.vcGuid) {
          throw new TaskFailure(
            `Cannot pair the site with itself (vCenter Server instance UUID ${spec.pair_vc_guid}).`,
          );
        }
        const site = checkPairingSpec(model, spec);
        const existing = model.pairingTo(site.vcGuid, ctx.site.vcGuid);
        if (existing) {
          throw new TaskFailure(
            `The local site is already paired with ${site.vcName} (pairing ${existing.id}).`,
          );
        }
        const pairing = model.addPairing(site, spec.pair_psc_info, undefined, ctx.site.vcGuid);
        storeConnection(pairing, spec);
        task.entity = pairing.id;
        task.entityName = site.siteName;
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.post("/pairings/:pairing_id/actions/reconnect", async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    if (pairing.isLocal) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.localPairing,
        "The local site's own pairing cannot be reconnected.",
      );
    }
    const spec = parseBody(PairingSpec, request, reply);
    if (!spec) return reply;
    const name = pairing.remoteVc.name;
    const task = model.newTask("Reconnect sites", "com.vmware.dcui.srm.pairing.reconnect", pairing.id, name);
    runner.start(task, {
      run: () => {
        const current = pairingAt(ctx, pairing_id);
        if (!current) throw new TaskFailure(`The pairing ${pairing_id} no longer exists.`);
        const site = checkPairingSpec(model, spec);
        if (site.vcGuid !== current.remoteVcGuid) {
          throw new TaskFailure(
            `Pairing ${pairing_id} is with vCenter Server ${current.remoteVcGuid}, not ${spec.pair_vc_guid}; a reconnect cannot change the remote site.`,
          );
        }
        storeConnection(current, spec);
        current.remoteVc.server_status = "OK";
        current.remoteSrm.server_status = "OK";
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });

  app.delete("/pairings/:pairing_id", async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    if (pairing.isLocal) {
      return sendSrmError(
        reply,
        400,
        SimErrorCodes.localPairing,
        "The local site's own pairing cannot be deleted.",
      );
    }
    if (!requireRemoteSession(ctx, request, reply, pairing_id, "Breaking a site pair")) return reply;
    const task = model.newTask(
      "Break site pair",
      "com.vmware.dcui.srm.pairing.delete",
      pairing.id,
      pairing.remoteVc.name,
    );
    runner.start(task, {
      run: () => {
        const plans = model.plansOf(pairing_id);
        if (plans.length > 0) {
          throw new TaskFailure(
            `Cannot break the site pair with ${pairing.remoteVc.name}: ${plans.length} recovery plan(s) still exist (${plans
              .map((p) => p.name)
              .join(", ")}). Delete them first.`,
          );
        }
        model.removePairing(pairing_id);
        return null;
      },
    });
    return reply.code(202).send(model.taskView(task));
  });
}
