import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { SRM_BASE_PATH } from "../provider/api/index.js";
import { sendSrmError, sendVapiError, SimErrorCodes } from "./errors.js";
import type { RouteFault } from "./faults.js";
import { redactHeaders, type RecordedRequest } from "./requests.js";
import { registerApplianceRoutes } from "./routes/appliance.js";
import type { SimContext } from "./routes/context.js";
import { registerPairingRoutes } from "./routes/pairings.js";
import { registerPlanRoutes } from "./routes/plans.js";
import { registerPlanConfigRoutes } from "./routes/plan-config.js";
import { registerProtectionGroupRoutes } from "./routes/protection-groups.js";
import { registerFolderRoutes } from "./routes/folders.js";
import { registerVmRecoverySettingsRoutes } from "./routes/vm-recovery-settings.js";
import { registerRecoveryStepRoutes } from "./routes/recovery-steps.js";
import { registerSessionRoutes } from "./routes/session.js";
import { registerTaskRoutes } from "./routes/tasks.js";
import { registerInventoryMappingRoutes } from "./routes/inventory-mappings.js";
import { registerVcenterInventoryRoutes } from "./routes/vcenter-inventory.js";

type Area = "srm" | "api" | "rest" | "other";

function areaOf(path: string): Area {
  if (path.startsWith(`${SRM_BASE_PATH}/`) || path === SRM_BASE_PATH) return "srm";
  if (path.startsWith("/api/")) return "api";
  if (path.startsWith("/rest/")) return "rest";
  return "other";
}

/** "GET /pairings/{pairing_id}" for SRM routes, "POST /api/session" for appliance ones. */
export function routeKey(request: FastifyRequest): string {
  const template = request.routeOptions.url ?? request.url.split("?")[0];
  const path = template.replace(/:([A-Za-z_]+)/g, "{$1}");
  const relative = path.startsWith(`${SRM_BASE_PATH}/`) ? path.slice(SRM_BASE_PATH.length) : path;
  return `${request.method} ${relative}`;
}

function sendFault(request: FastifyRequest, reply: FastifyReply, fault: RouteFault): FastifyReply {
  if (fault.retryAfterSeconds !== undefined) reply.header("retry-after", String(fault.retryAfterSeconds));
  const area = areaOf(request.url);
  const text = `Injected fault: HTTP ${fault.status} for ${request.method} ${request.url.split("?")[0]}`;
  if (area === "api" || area === "rest") {
    const kind = fault.status === 503 || fault.status === 429 ? "service_unavailable" : "error";
    return sendVapiError(reply, area, fault.status, kind, text);
  }
  return sendSrmError(reply, fault.status, fault.errorCode ?? SimErrorCodes.injected, text);
}

/** Builds the Fastify HTTPS server with every route, the fault hooks and request recording. */
export function buildServer(
  ctx: SimContext,
  tls: { cert: string; key: string },
  requests: RecordedRequest[],
  routes: string[] = [],
  serve: { appliance: boolean } = { appliance: true },
): FastifyInstance {
  const app = Fastify({
    https: { cert: tls.cert, key: tls.key },
    forceCloseConnections: true,
    logger: false,
  });
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const path = route.url.replace(/:([A-Za-z_]+)/g, "{$1}");
    const relative = path.startsWith(`${SRM_BASE_PATH}/`) ? path.slice(SRM_BASE_PATH.length) : path;
    for (const m of methods) if (m !== "HEAD") routes.push(`${m} ${relative}`);
  });
  const records = new WeakMap<FastifyRequest, RecordedRequest>();

  // Empty JSON bodies are allowed (optional bodies such as ReprotectPlanSpec); bad JSON is a spec-shaped 400.
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === "") return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new Error("Invalid request body: not valid JSON") as Error & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });

  app.addHook("onRequest", async (request, reply) => {
    const record: RecordedRequest = {
      method: request.method,
      path: request.url.split("?")[0],
      query: { ...(request.query as Record<string, string | string[]>) },
      headers: redactHeaders(request.headers),
      hasAuthorization: request.headers.authorization !== undefined,
      body: undefined,
      status: 0,
      route: routeKey(request),
      time: Date.now(),
    };
    requests.push(record);
    records.set(request, record);
    const faults = ctx.faults;
    // Half of the round trip on the way in; onSend adds the other half on the way out.
    if (faults.current.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.current.latencyMs / 2));
    if (faults.takeDrop(record.route)) {
      ctx.options.log(`${record.route} -> connection dropped`);
      reply.hijack();
      request.raw.socket.destroy();
      return reply;
    }
    const fault = faults.takeRouteFault(record.route);
    if (fault) return sendFault(request, reply, fault);
  });

  app.addHook("onSend", async (_request, _reply, payload) => {
    const latency = ctx.faults.current.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency / 2));
    return payload;
  });

  app.addHook("preHandler", async (request) => {
    const record = records.get(request);
    if (record) record.body = request.body;
  });

  // The request was carried out; losing its answer now is what a client sees when the network fails late.
  app.addHook("onSend", async (request, reply, payload) => {
    const record = records.get(request);
    if (record && ctx.faults.takeDropAnswer(record.route)) {
      ctx.options.log(`${record.route} -> ${reply.statusCode} carried out, answer dropped`);
      record.status = 0;
      record.answerDropped = reply.statusCode;
      request.raw.socket.destroy();
    }
    return payload;
  });

  app.addHook("onResponse", async (request, reply) => {
    const record = records.get(request);
    if (record && record.answerDropped === undefined) {
      record.status = reply.statusCode;
      if (record.body === undefined) record.body = request.body;
    }
    ctx.options.log(`${request.method} ${request.url} -> ${reply.statusCode}`);
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? 400 : 500;
    const area = areaOf(request.url);
    const text = status === 400 ? error.message : `Internal error: ${error.message}`;
    if (area === "api" || area === "rest") {
      return sendVapiError(reply, area, status, status === 400 ? "invalid_argument" : "error", text);
    }
    return sendSrmError(
      reply,
      status,
      status === 400 ? SimErrorCodes.invalidRequestBody : "INTERNAL_ERROR",
      text,
    );
  });

  // 404 has no body, for SRM and appliance alike.
  app.setNotFoundHandler((_request, reply) => reply.code(404).send());

  app.register(
    async (srm) => {
      registerSessionRoutes(srm, ctx);
      registerTaskRoutes(srm, ctx);
      registerPairingRoutes(srm, ctx);
      registerPlanRoutes(srm, ctx);
      registerPlanConfigRoutes(srm, ctx);
      registerProtectionGroupRoutes(srm, ctx);
      registerFolderRoutes(srm, ctx);
      registerVmRecoverySettingsRoutes(srm, ctx);
      registerRecoveryStepRoutes(srm, ctx);
      registerVcenterInventoryRoutes(srm, ctx);
      registerInventoryMappingRoutes(srm, ctx);
    },
    { prefix: SRM_BASE_PATH },
  );
  // The appliance is the local site's vCenter; a remote site's SRM endpoint does not serve it.
  if (serve.appliance) registerApplianceRoutes(app, ctx);
  return app;
}
