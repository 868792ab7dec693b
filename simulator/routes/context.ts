import type { FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { sendSrmError, SimErrorCodes } from "../errors.js";
import type { FaultState } from "../faults.js";
import type { PairingState, SessionState, SimulatorModel } from "../model.js";
import type { ResolvedOptions } from "../options.js";
import type { TaskRunner } from "../tasks.js";

/** What every route module gets: the state, the options, the task runner and the faults. */
export interface SimContext {
  model: SimulatorModel;
  options: ResolvedOptions;
  runner: TaskRunner;
  faults: FaultState;
  /** The site whose SRM server this endpoint is: every pairing is shown with this site as the local side. */
  site: SiteEndpoint;
  /** The SRM session of an authenticated request (set by the session check). */
  sessions: WeakMap<FastifyRequest, SessionState>;
}

/** Which site's SRM server an endpoint serves. */
export interface SiteEndpoint {
  /** vCenter guid of the site. */
  vcGuid: string;
  /** Its SRM login (`POST /session`): vCenter SSO credentials of that site. */
  credentials: { username: string; password: string };
}

/** The pairing `id` as this endpoint's SRM server shows it, or undefined when it does not list it. */
export function pairingAt(ctx: SimContext, id: string): PairingState | undefined {
  return ctx.model.pairingAt(id, ctx.site.vcGuid);
}

/** Credentials of a `Basic` Authorization header, if it has one. */
export function basicCredentials(
  request: FastifyRequest,
): { username: string; password: string } | undefined {
  const header = request.headers.authorization;
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** Describes the first zod issues of a body, naming the fields (never their values). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `field '${i.path.join(".") || "(body)"}': ${i.message}`)
    .join("; ");
}

/**
 * Parses a request body with an exact api schema; on failure answers a ResponseError 400 naming the
 * field and returns undefined. `emptyAs` stands in for a missing body (for optional bodies).
 */
export function parseBody<T extends z.ZodTypeAny>(
  schema: T,
  request: FastifyRequest,
  reply: FastifyReply,
  emptyAs?: unknown,
): z.infer<T> | undefined {
  const body = request.body === undefined || request.body === null ? emptyAs : request.body;
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    sendSrmError(
      reply,
      400,
      SimErrorCodes.invalidRequestBody,
      `Invalid request body: ${describeIssues(parsed.error)}`,
    );
    return undefined;
  }
  return parsed.data;
}

/** SRM's paged list envelope `{list, _meta}`; honours `offset` and `limit` query parameters. */
export function page<T>(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  items: T[],
): { list: T[]; _meta: Record<string, unknown> } | undefined {
  const query = request.query as Record<string, string | undefined>;
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  const asked = query.limit === undefined ? ctx.options.pageLimit : Number(query.limit);
  const limit = Number.isInteger(asked) ? Math.min(asked, ctx.options.maxPageLimit) : asked;
  if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) {
    sendSrmError(
      reply,
      400,
      SimErrorCodes.invalidRequestBody,
      "Query parameters 'offset' (>= 0) and 'limit' (>= 1) must be integers.",
    );
    return undefined;
  }
  const list = items.slice(offset, offset + limit);
  const base = request.url.split("?")[0];
  const links: Record<string, { href: string }> = {
    self: { href: `${base}?offset=${offset}&limit=${limit}` },
  };
  if (offset + limit < items.length) links.next = { href: `${base}?offset=${offset + limit}&limit=${limit}` };
  if (offset > 0) links.previous = { href: `${base}?offset=${Math.max(0, offset - limit)}&limit=${limit}` };
  return { list, _meta: { total: items.length, offset, limit, links } };
}

/** The request's SRM session; the session check guarantees it exists on every route but POST /session. */
export function sessionOf(ctx: SimContext, request: FastifyRequest): SessionState {
  const s = ctx.sessions.get(request);
  if (!s) throw new Error("route reached without a session");
  return s;
}
