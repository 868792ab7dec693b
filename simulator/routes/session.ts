import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { SRM_SESSION_HEADER } from "../../provider/api/index.js";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import { basicCredentials, sessionOf, type SimContext, pairingAt } from "./context.js";

/** Routes that need no `x-dr-session`. */
const PUBLIC_ROUTES = new Set(["POST /session"]);

/**
 * SRM sessions: `POST /session` (Basic) -> `{session_id}`, `GET` -> `{username}`, `DELETE` -> 204, and the
 * session check every other SRM route goes through (401 with no body when missing, unknown or idle
 * longer than the TTL). Remote-site logins (`/pairings/{id}/remote-session`) live here too.
 */
export function registerSessionRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.addHook("onRequest", async (request, reply) => {
    const route = `${request.method} ${(request.routeOptions.url ?? "").replace(/^\/api\/rest\/srm\/v2/, "")}`;
    if (PUBLIC_ROUTES.has(route) || request.routeOptions.url === undefined) return;
    const token = request.headers[SRM_SESSION_HEADER];
    const session = typeof token === "string" ? ctx.model.sessions.get(token) : undefined;
    const now = Date.now();
    // A session is valid at the SRM server that issued it only.
    if (
      !session ||
      session.siteVcGuid !== ctx.site.vcGuid ||
      now - session.lastUsedAt > ctx.options.sessionTtlMs
    ) {
      if (session && session.siteVcGuid !== ctx.site.vcGuid) return sendSrmError(reply, 401);
      if (session) ctx.model.sessions.delete(session.token);
      return sendSrmError(reply, 401);
    }
    session.lastUsedAt = now;
    ctx.sessions.set(request, session);
  });

  app.post("/session", async (request, reply) => {
    const creds = basicCredentials(request);
    const expected = ctx.site.credentials;
    if (!creds || creds.username !== expected.username || creds.password !== expected.password) {
      return sendSrmError(reply, 401);
    }
    const token = randomUUID();
    const now = Date.now();
    ctx.model.sessions.set(token, {
      token,
      username: creds.username,
      createdAt: now,
      lastUsedAt: now,
      siteVcGuid: ctx.site.vcGuid,
      remotePairings: new Set(),
    });
    return reply.code(200).send({ session_id: token });
  });

  app.get("/session", async (request, reply) => reply.send({ username: sessionOf(ctx, request).username }));

  app.delete("/session", async (request, reply) => {
    ctx.model.sessions.delete(sessionOf(ctx, request).token);
    return reply.code(204).send();
  });

  app.post("/pairings/:pairing_id/remote-session", async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    if (pairing.remoteSrm.server_status === "ERROR") {
      return sendSrmError(
        reply,
        500,
        SimErrorCodes.remoteUnreachable,
        `Cannot connect to the remote Site Recovery Manager server ${pairing.remoteSrm.name}.`,
      );
    }
    const creds = basicCredentials(request);
    const expected = pairing.isLocal ? ctx.site.credentials : ctx.model.siteCredentials(pairing.remoteVcGuid);
    // SRM answers a failed remote login like a failed local one: 401 without a body.
    if (!creds || !expected || creds.username !== expected.username || creds.password !== expected.password) {
      return sendSrmError(reply, 401);
    }
    sessionOf(ctx, request).remotePairings.add(pairing_id);
    return reply.code(204).send();
  });

  app.get("/pairings/:pairing_id/remote-session", async (request, reply) => {
    const { pairing_id } = request.params as { pairing_id: string };
    const pairing = pairingAt(ctx, pairing_id);
    if (!pairing) return sendSrmError(reply, 404);
    if (!sessionOf(ctx, request).remotePairings.has(pairing_id)) return sendSrmError(reply, 401);
    const remote = pairing.isLocal ? ctx.site.credentials : ctx.model.siteCredentials(pairing.remoteVcGuid);
    return reply.send({ username: remote?.username ?? ctx.site.credentials.username });
  });
}

/** Answers 403 REMOTE_SITE_NOT_AUTHENTICATED unless the session logged in to the pairing's remote site. */
export function requireRemoteSession(
  ctx: SimContext,
  request: Parameters<typeof sessionOf>[1],
  reply: Parameters<typeof sendSrmError>[0],
  pairingId: string,
  operation: string,
): boolean {
  if (sessionOf(ctx, request).remotePairings.has(pairingId)) return true;
  sendSrmError(
    reply,
    403,
    SimErrorCodes.remoteNotAuthenticated,
    `${operation} needs a login to the remote site of pairing ${pairingId}: call POST /pairings/${pairingId}/remote-session with the remote site's credentials first.`,
  );
  return false;
}
