import { randomUUID } from "node:crypto";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import {
  ReconciliationCreateSpec,
  RestReconciliationCreateBody,
  VAPI_SESSION_HEADER,
  appliancePaths,
} from "../../provider/api/index.js";
import { sendVapiError } from "../errors.js";
import type { ReconciliationJobState } from "../model.js";
import { basicCredentials, describeIssues, type SimContext } from "./context.js";

type Flavor = "api" | "rest";

function message(id: string, text: string) {
  return { id, default_message: text, args: [] as string[] };
}

/** The job Info as both forms return it (`/rest` wraps it in `{value}`). */
function jobInfo(job: ReconciliationJobState) {
  let progress = 100;
  if (job.status === "RUNNING") {
    const span = Math.max(1, job.plannedEndMs - job.startedAtMs);
    progress = Math.min(99, Math.max(0, Math.floor(((Date.now() - job.startedAtMs) / span) * 100)));
  } else if (job.status === "NONE") progress = 0;
  return {
    status: job.status,
    description: message(
      "com.vmware.appliance.recovery.reconciliation.job",
      "Reconciliation of the restored vCenter Server",
    ),
    service: "com.vmware.appliance.recovery.reconciliation.job",
    operation: "create",
    cancelable: false,
    start_time: job.startTime,
    end_time: job.endTime,
    progress,
    messages: job.messages,
  };
}

/**
 * The vCenter appliance part: sessions (`/api/session` 201 bare token, legacy `/rest/com/vmware/cis/session`
 * `{value}`) and the reconciliation job in both forms. With `api: "rest-only"` every `/api/...` path
 * answers 404, like vCenter 6.7.
 */
export function registerApplianceRoutes(app: FastifyInstance, ctx: SimContext): void {
  const { model, runner } = ctx;
  const appliance = model.appliance;

  /** 404 (no body) for `/api` paths when the appliance has only the legacy API. */
  function apiMissing(flavor: Flavor, reply: FastifyReply): boolean {
    if (flavor === "api" && appliance.api === "rest-only") {
      reply.code(404).send();
      return true;
    }
    return false;
  }

  function authenticated(flavor: Flavor, request: FastifyRequest, reply: FastifyReply): boolean {
    const token = request.headers[VAPI_SESSION_HEADER];
    if (typeof token === "string" && appliance.tokens.has(token)) return true;
    sendVapiError(reply, flavor, 401, "unauthenticated", "This method requires authentication.");
    return false;
  }

  function login(flavor: Flavor, request: FastifyRequest, reply: FastifyReply): string | undefined {
    const creds = basicCredentials(request);
    const expected = model.inventory.credentials;
    if (
      !creds ||
      creds.username !== expected.applianceUsername ||
      creds.password !== expected.appliancePassword
    ) {
      sendVapiError(
        reply,
        flavor,
        401,
        "unauthenticated",
        "Authentication required: incorrect user name or password.",
      );
      return undefined;
    }
    const token = randomUUID().replace(/-/g, "");
    appliance.tokens.add(token);
    return token;
  }

  function logout(request: FastifyRequest): void {
    const token = request.headers[VAPI_SESSION_HEADER];
    if (typeof token === "string") appliance.tokens.delete(token);
  }

  function createJob(
    flavor: Flavor,
    spec: ReconciliationCreateSpec,
    reply: FastifyReply,
  ): ReconciliationJobState | undefined {
    if (!appliance.restoreCompleted) {
      sendVapiError(
        reply,
        flavor,
        400,
        "not_allowed_in_current_state",
        "Reconciliation is allowed only after restore has finished successfully.",
      );
      return undefined;
    }
    if (appliance.job?.status === "RUNNING") {
      sendVapiError(reply, flavor, 400, "feature_in_use", "A backup or restore is already in progress.");
      return undefined;
    }
    const now = Date.now();
    const duration = ctx.faults.current.taskDurationMs ?? ctx.options.taskDurationMs;
    const job: ReconciliationJobState = {
      status: "RUNNING",
      startTime: new Date(now).toISOString(),
      endTime: null,
      startedAtMs: now,
      plannedEndMs: now + duration,
      messages: [],
    };
    appliance.job = job;
    const injected = runner.takeInjectedFailure();
    const sso = model.inventory.credentials;
    // Wrong SSO credentials are found by the job itself (it logs in to SSO), so the job FAILS.
    const ssoOk =
      spec.sso_admin_user_name === sso.ssoUsername && spec.sso_admin_user_password === sso.ssoPassword;
    runner.after(duration, () => {
      job.endTime = new Date().toISOString();
      if (injected !== undefined) {
        job.status = "FAILED";
        job.messages = [message("com.vmware.appliance.recovery.reconciliation.failed", injected)];
      } else if (!ssoOk) {
        job.status = "FAILED";
        job.messages = [
          message(
            "com.vmware.appliance.recovery.reconciliation.sso_auth_failed",
            `Cannot authenticate with SSO as ${spec.sso_admin_user_name}: incorrect user name or password.`,
          ),
        ];
      } else {
        job.status = "SUCCEEDED";
        job.messages = [
          message(
            "com.vmware.appliance.recovery.reconciliation.succeeded",
            "Reconciliation completed successfully.",
          ),
        ];
      }
      ctx.options.log(`reconciliation job ${job.status}`);
    });
    return job;
  }

  app.post(appliancePaths.apiSession, async (request, reply) => {
    if (apiMissing("api", reply)) return reply;
    const token = login("api", request, reply);
    return token ? reply.code(201).type("application/json").send(JSON.stringify(token)) : reply;
  });

  app.delete(appliancePaths.apiSession, async (request, reply) => {
    if (apiMissing("api", reply)) return reply;
    if (!authenticated("api", request, reply)) return reply;
    logout(request);
    return reply.code(204).send();
  });

  app.post(appliancePaths.restSession, async (request, reply) => {
    const token = login("rest", request, reply);
    return token ? reply.code(200).send({ value: token }) : reply;
  });

  app.delete(appliancePaths.restSession, async (request, reply) => {
    if (!authenticated("rest", request, reply)) return reply;
    logout(request);
    return reply.code(200).send();
  });

  app.post(appliancePaths.apiReconciliationJob, async (request, reply) => {
    if (apiMissing("api", reply) || !authenticated("api", request, reply)) return reply;
    const parsed = ReconciliationCreateSpec.safeParse(request.body);
    if (!parsed.success)
      return sendVapiError(
        reply,
        "api",
        400,
        "invalid_argument",
        `Invalid request body: ${describeIssues(parsed.error)}`,
      );
    const job = createJob("api", parsed.data, reply);
    return job ? reply.code(201).send(jobInfo(job)) : reply;
  });

  app.post(appliancePaths.restReconciliationJob, async (request, reply) => {
    if (!authenticated("rest", request, reply)) return reply;
    const parsed = RestReconciliationCreateBody.safeParse(request.body);
    if (!parsed.success)
      return sendVapiError(
        reply,
        "rest",
        400,
        "invalid_argument",
        `Invalid request body: ${describeIssues(parsed.error)}`,
      );
    const job = createJob("rest", parsed.data.spec, reply);
    return job ? reply.code(200).send({ value: jobInfo(job) }) : reply;
  });

  app.get(appliancePaths.apiReconciliationJob, async (request, reply) => {
    if (apiMissing("api", reply) || !authenticated("api", request, reply)) return reply;
    if (!appliance.job)
      return sendVapiError(reply, "api", 404, "not_found", "No reconciliation job has run.");
    return reply.send(jobInfo(appliance.job));
  });

  app.get(appliancePaths.restReconciliationJob, async (request, reply) => {
    if (!authenticated("rest", request, reply)) return reply;
    if (!appliance.job)
      return sendVapiError(reply, "rest", 404, "not_found", "No reconciliation job has run.");
    return reply.send({ value: jobInfo(appliance.job) });
  });
}
