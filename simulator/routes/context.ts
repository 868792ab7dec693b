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

/**
 * The items matching the request's `filter_property` + `filter` query parameters, as the spec describes them
 * on every list operation (e.g. `getRecentTasksInfo`): "The name of the field by which to filter the result
 * data. Must be used in combination with filter parameter. Supports for nested fields." and, repeatable,
 * "The filter value by which to filter the result data". A dotted name reaches a nested field; an item
 * matches when the field (or, for a list, one of its elements) equals one of the values. One parameter
 * without the other is a malformed query: a 400 ResponseError, undefined returned. A server that does not
 * know the parameters (fault `ignoreFilters`) answers every item.
 */
export function filtered<T>(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  items: T[],
): T[] | undefined {
  const query = request.query as Record<string, string | string[] | undefined>;
  const property = query.filter_property;
  const values = query.filter === undefined ? [] : ([] as string[]).concat(query.filter);
  if (property === undefined && values.length === 0) return items;
  if (typeof property !== "string" || property === "" || values.length === 0) {
    sendSrmError(
      reply,
      400,
      SimErrorCodes.invalidQuery,
      "Query parameters 'filter_property' and 'filter' must be used together: one field name, one or more values.",
    );
    return undefined;
  }
  if (ctx.faults.current.ignoreFilters) return items;
  const wanted = new Set(values);
  const path = property.split(".");
  return items.filter((item) => {
    let value: unknown = item;
    for (const key of path) {
      value =
        value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    }
    const candidates = Array.isArray(value) ? value : [value];
    return candidates.some(
      (v) =>
        (typeof v === "string" || typeof v === "number" || typeof v === "boolean") && wanted.has(String(v)),
    );
  });
}

/**
 * SRM's paged list envelope `{list, _meta}`; honours `filter_property`/`filter` (see {@link filtered}), then
 * `offset` and `limit`.
 */
export function page<T>(
  ctx: SimContext,
  request: FastifyRequest,
  reply: FastifyReply,
  all: T[],
): { list: T[]; _meta: Record<string, unknown> } | undefined {
  const query = request.query as Record<string, string | string[] | undefined>;
  const items = filtered(ctx, request, reply, all);
  if (!items) return undefined;
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
  // Links keep the filter, so following `next` pages through the same matches.
  const filter = new URLSearchParams();
  if (typeof query.filter_property === "string" && !ctx.faults.current.ignoreFilters) {
    filter.append("filter_property", query.filter_property);
    for (const v of ([] as string[]).concat(query.filter ?? [])) filter.append("filter", v);
  }
  const href = (at: number) => {
    const q = new URLSearchParams(filter);
    q.set("offset", String(at));
    q.set("limit", String(limit));
    return { href: `${base}?${q.toString()}` };
  };
  const links: Record<string, { href: string }> = { self: href(offset) };
  if (offset + limit < items.length) links.next = href(offset + limit);
  if (offset > 0) links.previous = href(Math.max(0, offset - limit));
  return { list, _meta: { total: items.length, offset, limit, links } };
}

/** The request's SRM session; the session check guarantees it exists on every route but POST /session. */
export function sessionOf(ctx: SimContext, request: FastifyRequest): SessionState {
  const s = ctx.sessions.get(request);
  if (!s) throw new Error("route reached without a session");
  return s;
}
