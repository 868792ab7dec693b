// One got instance per server: prefixUrl, explicit timeouts, bounded retries for idempotent calls,
// the session header, a single re-login on 401 and error mapping. got is ESM-only, so it is loaded
// lazily inside functions; nothing here touches the network or got at module load.
import type { Got, RequestError, Response } from "got" with {
  "resolution-mode": "import",
};
import type { z } from "zod";

/**
 * A promise-style got call, as far as the response-size guard needs it. Spelled out here because got's own
 * name for it is not exported by every major the package allows (16 dropped it).
 */
type CancelablePromise = Promise<unknown> & {
  on(
    event: "downloadProgress",
    listener: (progress: { transferred: number; total?: number }) => void,
  ): unknown;
  cancel(): void;
};
import { adviceForStatus, codeForStatus, isSrmError, scrub, serverText, SrmError } from "./errors.js";
import { inFlightLimit } from "./in-flight-limit.js";
import {
  MAX_SOCKETS_PER_SERVER,
  probeThumbprint,
  TLS_VERIFY_ERROR_CODES,
  tlsOptions,
  type TlsSettings,
} from "./tls.js";

/** Default time allowed for each phase of a request. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default number of retries of an idempotent request. */
export const DEFAULT_RETRY_LIMIT = 3;
/** Default first retry delay; it doubles per attempt up to {@link MAX_RETRY_DELAY_MS}. */
export const DEFAULT_RETRY_BASE_DELAY_MS = 250;
export const MAX_RETRY_DELAY_MS = 5_000;
/** A Retry-After longer than this is not waited for; the error is reported instead. */
export const MAX_RETRY_AFTER_MS = 60_000;
/** A response body larger than this is refused: SRM's answers are pages of at most a few hundred kB. */
export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
/** Statuses with which a server refuses a request before acting on it, so even a POST may be repeated. */
export const REFUSED_STATUS_CODES: readonly number[] = [429, 503];

/** Connection errors after which an idempotent request is safe to repeat. */
export const RETRY_ERROR_CODES = [
  "ETIMEDOUT",
  "ECONNRESET",
  "ECONNREFUSED",
  "ECONNABORTED",
  "EPIPE",
  "EADDRINUSE",
  "ENOTFOUND",
  "ENETUNREACH",
  "EHOSTUNREACH",
  "EAI_AGAIN",
];

/** Per-request context read by the hooks. */
export interface RequestContext extends Record<string, unknown> {
  /** Human description for messages, e.g. `reading pairing "p-1"`. */
  what?: string;
  /** Login requests carry Basic auth instead of the session header. */
  noSession?: boolean;
  /** Set once the request was repeated after a re-login, so a second 401 is reported. */
  relogged?: boolean;
  /** Settings to name when the server answers 401 (default: the login credentials). */
  credentials?: string;
  /** Advice when the server answers 404, where that means something else than a missing object (a login). */
  notFound?: string;
}

/** Per-call options of {@link HttpClient.json} and {@link HttpClient.raw}. */
export interface RequestOptions {
  json?: unknown;
  context?: RequestContext;
  /** Basic auth (login calls only). */
  username?: string;
  password?: string;
  headers?: Record<string, string>;
  /** Query parameters; a URLSearchParams object can repeat a name (`filter=a&filter=b`). */
  searchParams?: URLSearchParams;
  throwHttpErrors?: boolean;
}

/** What the server-specific part supplies to {@link HttpClient}. */
export interface HttpConfig {
  /** prefixUrl: every path is relative to it. */
  baseUrl: string;
  tls: TlsSettings;
  /** Names of the settings to mention in TLS advice, e.g. `srm:thumbprint`. */
  settingNames: { thumbprint: string; caCert: string; host: string; credentials: string };
  /** Server kind for messages: "SRM" or "vCenter appliance". */
  serverKind: string;
  requestTimeoutMs?: number;
  retryLimit?: number;
  retryBaseDelayMs?: number;
  /** Largest response body accepted; default {@link MAX_RESPONSE_BYTES}. */
  maxResponseBytes?: number;
  log: (line: string) => void;
  sessionHeader: string;
  /** Current token, logging in first when there is none. */
  getToken: () => Promise<string>;
  /** Replaces a token the server rejected with 401 and returns the new one. */
  relogin: (rejected: string | undefined) => Promise<string>;
  /** Extracts server error facts from an error body. */
  describeErrorBody: (body: unknown) => { errorCode?: string; opId?: string; message?: string };
}

type GotModule = typeof import("got", { with: { "resolution-mode": "import" } });
let gotModule: Promise<GotModule> | undefined;
/** Loads got once per process (ESM from CommonJS). */
export function loadGot(): Promise<GotModule> {
  gotModule ??= import("got");
  return gotModule;
}

/** Thin owner of one configured got instance. */
export class HttpClient {
  private instance?: Promise<Got>;
  private agent?: { https: import("node:https").Agent };
  /**
   * Requests in flight at once. The agent alone cannot cap connections while pinned handshakes are under way
   * (a connection counts only once its pin check passed), so without this a burst opens one per request.
   */
  private readonly slots = inFlightLimit(MAX_SOCKETS_PER_SERVER);
  private warned = false;

  constructor(private cfg: HttpConfig) {}

  /** The settings in use. */
  get config(): HttpConfig {
    return this.cfg;
  }

  /** The configured got instance, created on first use. */
  got(): Promise<Got> {
    this.instance ??= this.create();
    return this.instance;
  }

  /** Drops the instance so changed settings (TLS, timeouts) apply to the next request. */
  reset(config: HttpConfig): void {
    this.cfg = config;
    this.instance = undefined;
    // Kept-alive connections were set up under the old trust settings; none may be reused.
    this.agent?.https.destroy();
    this.agent = undefined;
  }

  /** Request answered with JSON validated by `schema`. */
  async json<S extends z.ZodType>(
    schema: S,
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    options: RequestOptions = {},
  ): Promise<z.infer<S>> {
    const response = await this.raw(method, path, options);
    return parseBody(schema, response.body, method, path, options.context?.what, this.config.serverKind);
  }

  /** Request returning got's response (callers check status themselves when `throwHttpErrors` is false). */
  async raw(
    method: "GET" | "POST" | "PUT" | "DELETE",
    path: string,
    options: RequestOptions = {},
  ): Promise<Response<unknown>> {
    const got = await this.got();
    const send = () =>
      got(path, {
        method,
        json: options.json,
        context: options.context ?? {},
        username: options.username,
        password: options.password,
        headers: options.headers ?? {},
        searchParams: options.searchParams,
        throwHttpErrors: options.throwHttpErrors ?? true,
      }) as Promise<Response<unknown>>;
    try {
      // Logins bypass the cap: a re-login runs while the requests that saw the 401 still hold their places.
      return await (options.username !== undefined ? send() : this.slots(send));
    } catch (e) {
      throw isSrmError(e) ? e : await this.mapError(e as RequestError);
    }
  }

  /** Runs `fn` (a request made with {@link got} directly, e.g. a paged listing) within the in-flight cap. */
  limited<T>(fn: () => Promise<T>): Promise<T> {
    return this.slots(fn);
  }

  private async create(): Promise<Got> {
    // The default export: got 15 and later no longer export a named `got`.
    const { default: got } = await loadGot();
    const cfg = this.config;
    const timeoutMs = cfg.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    const tls = tlsOptions(cfg.tls, cfg.settingNames.thumbprint, timeoutMs);
    if (tls.insecure && !this.warned) {
      this.warned = true;
      cfg.log(
        `WARNING: TLS certificate verification is disabled for ${cfg.serverKind} ${cfg.baseUrl} (insecure: true). ` +
          `Anyone on the network path can read the credentials; set ${cfg.settingNames.thumbprint} or ${cfg.settingNames.caCert} instead.`,
      );
    }
    this.agent = tls.agent;
    if (tls.pinned && (cfg.tls.caCert?.trim() || cfg.tls.insecure === true) && !this.warned) {
      // A pin is the stricter trust; say so rather than let the user believe the CA (or insecure) applies.
      this.warned = true;
      cfg.log(
        `NOTE: ${cfg.settingNames.thumbprint} pins the certificate of ${cfg.serverKind} ${cfg.baseUrl}; the CA ` +
          `bundle and insecure settings are ignored while it is set.`,
      );
    }
    const baseDelay = cfg.retryBaseDelayMs ?? DEFAULT_RETRY_BASE_DELAY_MS;
    const maxBytes = cfg.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    return got.extend({
      prefixUrl: cfg.baseUrl,
      responseType: "json",
      // A redirect would carry the Basic credentials or the session token to wherever it points (even plain
      // http); the 3xx is reported instead (afterResponse below, mapError).
      followRedirect: false,
      handlers: [
        (options, next) => {
          const result = next(options);
          // Only promise calls are made here; a stream has no cancel and is left to its consumer.
          if (!("cancel" in result)) return result;
          // Spelled out: got 16's types no longer narrow its return union by the `in` check.
          const request = result as unknown as CancelablePromise;
          let received = 0;
          let tooLarge = false;
          request.on("downloadProgress", (progress: { transferred: number; total?: number }) => {
            received = progress.transferred;
            if (!tooLarge && (received > maxBytes || (progress.total ?? 0) > maxBytes)) {
              tooLarge = true;
              request.cancel();
            }
          });
          return request.catch((e: unknown) => {
            if (!tooLarge) throw e;
            const url = options.url instanceof URL ? options.url : undefined;
            const ctx = (options.context ?? {}) as RequestContext;
            const what = ctx.what ?? `${options.method} ${url?.pathname ?? cfg.baseUrl}`;
            throw new SrmError(
              "RESPONSE_TOO_LARGE",
              `${capitalize(what)} failed: ${cfg.serverKind} at ${cfg.baseUrl} sent a response larger than ` +
                `${maxBytes} bytes, so it was not read. Check that ${cfg.settingNames.host} points at the right server.`,
              { method: options.method, path: url?.pathname },
            );
          }) as unknown as typeof result;
        },
      ],
      https: tls.https,
      agent: tls.agent,
      timeout: {
        lookup: timeoutMs,
        connect: timeoutMs,
        secureConnect: timeoutMs,
        send: timeoutMs,
        response: timeoutMs,
        // The phases above end when the headers arrive; without this a body that stops flowing hangs forever.
        read: timeoutMs,
      },
      retry: {
        limit: cfg.retryLimit ?? DEFAULT_RETRY_LIMIT,
        // POST is repeated only after a refusal (calculateDelay): a mutation is never repeated blindly. PUT
        // replaces a whole object (the IP subnet rules of a network mapping), so sending it twice has the
        // effect of sending it once.
        methods: ["GET", "PUT", "DELETE", "HEAD", "OPTIONS", "POST"],
        statusCodes: [429, 502, 503, 504],
        errorCodes: RETRY_ERROR_CODES,
        maxRetryAfter: MAX_RETRY_AFTER_MS,
        backoffLimit: MAX_RETRY_DELAY_MS,
        calculateDelay: ({ attemptCount, computedValue, retryAfter, error }) => {
          // computedValue is got's verdict: 0 = do not retry; 1 = retry after re-login; else the server's Retry-After.
          if (computedValue === 0 || error.name === "RetryError") return computedValue;
          // A POST is repeated only when the server said it did not act on it; a lost answer or a timeout
          // leaves its fate unknown, and repeating it could run the mutation twice.
          if (
            error.options.method === "POST" &&
            !(error.name === "HTTPError" && REFUSED_STATUS_CODES.includes(error.response?.statusCode ?? 0))
          ) {
            return 0;
          }
          if (retryAfter !== undefined && retryAfter > 0) return computedValue;
          return (
            Math.min(baseDelay * 2 ** (attemptCount - 1), MAX_RETRY_DELAY_MS) +
            Math.random() * (baseDelay / 4)
          );
        },
      },
      hooks: {
        beforeRequest: [
          async (options) => {
            const ctx = options.context as RequestContext;
            if (ctx.noSession) return;
            options.headers[cfg.sessionHeader] = await cfg.getToken();
          },
        ],
        afterResponse: [
          async (response, retryWithMergedOptions) => {
            const ctx = response.request.options.context as RequestContext;
            if (isRedirect(response.statusCode)) throw this.redirectError(response);
            if (response.statusCode !== 401 || ctx.noSession || ctx.relogged) return response;
            // The server rejected the call before acting on it, so repeating it (even a POST) is safe.
            const sent = response.request.options.headers[cfg.sessionHeader];
            const token = await cfg.relogin(typeof sent === "string" ? sent : undefined);
            return retryWithMergedOptions({
              headers: { [cfg.sessionHeader]: token },
              context: { ...ctx, relogged: true },
            });
          },
        ],
        beforeError: [async (error: RequestError) => (await this.mapError(error)) as unknown as RequestError],
      },
    });
  }

  /** The error for a 3xx answer: it is never followed, so nothing was sent to where it points. */
  redirectError(response: Response<unknown>): SrmError {
    const cfg = this.config;
    const options = response.request.options;
    const ctx = (options.context ?? {}) as RequestContext;
    const path = options.url instanceof URL ? options.url.pathname : undefined;
    const what = ctx.what ?? `${options.method} ${path ?? cfg.baseUrl}`;
    const location = response.headers.location;
    const target = typeof location === "string" && location !== "" ? serverText(location, 200) : undefined;
    return new SrmError(
      "UNEXPECTED_REDIRECT",
      scrub(
        `${capitalize(what)} failed: ${cfg.serverKind} at ${cfg.baseUrl} answered HTTP ${response.statusCode} ` +
          `${target ? `redirecting to ${target}` : "(a redirect without a Location)"}. Redirects are not followed, ` +
          `so no credential or session token was sent there. Set ${cfg.settingNames.host} to the address the ` +
          `server itself is reached at.`,
      ),
      { method: options.method, path, status: response.statusCode, details: target },
    );
  }

  /** Turns a got error into an {@link SrmError} with advice and no secrets. */
  async mapError(error: RequestError): Promise<SrmError> {
    if (isSrmError(error)) return error;
    const cause = (error as { cause?: unknown }).cause;
    const cfg = this.config;
    const method = error.options?.method ?? "GET";
    const url = error.options?.url instanceof URL ? error.options.url : undefined;
    const path = url ? url.pathname : undefined;
    const ctx = (error.options?.context ?? {}) as RequestContext;
    const what = ctx.what ?? `${method} ${path ?? cfg.baseUrl}`;
    const fields = { method, path };
    if (isSrmError(cause)) {
      Object.assign(cause, { method: cause.method ?? method, path: cause.path ?? path });
      return cause;
    }
    // A 3xx whose body was not JSON fails parsing before the afterResponse hook sees it.
    if (error.response && isRedirect(error.response.statusCode)) return this.redirectError(error.response);
    // Timeouts, parse and read errors can carry a response too (its headers arrived); only an HTTPError is
    // the server refusing the call.
    const response = error.name === "HTTPError" ? error.response : undefined;
    if (response) {
      const status = response.statusCode;
      const raw = cfg.describeErrorBody(response.body);
      const facts = {
        errorCode: raw.errorCode === undefined ? undefined : serverText(raw.errorCode, 100),
        opId: raw.opId === undefined ? undefined : serverText(raw.opId, 100),
        message: raw.message === undefined ? undefined : serverText(raw.message),
      };
      const code = codeForStatus(status);
      const advice =
        status === 401
          ? `Check ${ctx.credentials ?? cfg.settingNames.credentials}.`
          : status === 404 && ctx.notFound
            ? ctx.notFound
            : status === 404 && facts.message === undefined
              ? adviceForStatus(404)
              : adviceForStatus(status);
      const parts = [
        `${capitalize(what)} failed: ${cfg.serverKind} answered HTTP ${status}`,
        facts.errorCode ? ` ${facts.errorCode}` : "",
        facts.message ? `: ${facts.message.trim().replace(/\.+$/, "")}` : "",
        facts.opId ? ` (op_id ${facts.opId})` : "",
        `. ${advice}`,
      ];
      return new SrmError(code, scrub(parts.join("")), {
        ...fields,
        status,
        errorCode: facts.errorCode,
        opId: facts.opId,
        details: facts.message ? scrub(facts.message) : undefined,
      });
    }
    const errCode = error.code ?? "";
    const timedOut = error.name === "TimeoutError" ? error : (cause as Error | undefined);
    if (timedOut?.name === "TimeoutError") {
      const phase = (timedOut as { event?: string }).event ?? "response";
      return new SrmError(
        "REQUEST_TIMEOUT",
        `${capitalize(what)} failed: ${cfg.serverKind} at ${cfg.baseUrl} did not complete the ${phase} phase within ` +
          `${cfg.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS} ms. Check that the server is reachable and healthy, ` +
          `or raise the request timeout.` +
          (method === "POST"
            ? " The server may have acted on the request; check its state before running again."
            : ""),
        fields,
      );
    }
    if (TLS_VERIFY_ERROR_CODES.has(errCode)) {
      const host = (url?.hostname ?? "").replace(/^\[(.*)\]$/, "$1");
      const port = Number(url?.port || 443);
      const actual = host ? await probeThumbprint(host, port) : undefined;
      return new SrmError(
        "TLS_FAILED",
        `${capitalize(what)} failed: the TLS certificate of ${cfg.serverKind} ${host}:${port} could not be verified ` +
          `(${errCode}). No credential was sent. If you trust this server, set ${cfg.settingNames.thumbprint} to ` +
          `${actual ?? "its SHA-256 thumbprint"} or ${cfg.settingNames.caCert} to the PEM of its CA.`,
        { ...fields, details: errCode },
      );
    }
    if (error.name === "ParseError") {
      return new SrmError(
        "INVALID_RESPONSE",
        `${capitalize(what)} failed: ${cfg.serverKind} sent a response that is not valid JSON. Check that ${cfg.settingNames.host} points at the right server.`,
        fields,
      );
    }
    return new SrmError(
      "NETWORK_ERROR",
      scrub(
        `${capitalize(what)} failed: cannot talk to ${cfg.serverKind} at ${cfg.baseUrl} (${errCode || error.name}: ${error.message}). ` +
          `Check ${cfg.settingNames.host} and the network path.`,
      ),
      { ...fields, details: errCode || undefined },
    );
  }
}

/** Validates a response body; a mismatch is INVALID_RESPONSE naming the fields. */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  method: string,
  path: string,
  what: string | undefined,
  serverKind: string,
): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
    .join("; ");
  throw new SrmError(
    "INVALID_RESPONSE",
    `${capitalize(what ?? `${method} ${path}`)} failed: ${serverKind} sent an unexpected response (${issues}). ` +
      `The server version may not be supported.`,
    { method, path, details: issues },
  );
}

/** Validates a request body before sending; a mismatch is INVALID_REQUEST naming the fields. */
export function checkRequest<S extends z.ZodType>(schema: S, body: unknown, what: string): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`).join("; ");
  throw new SrmError(
    "INVALID_REQUEST",
    `${capitalize(what)}: invalid request (${issues}). Correct these inputs.`,
    {
      details: issues,
    },
  );
}

/** 3xx except 304 (not modified, which no call here asks for). */
function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** The first letter in upper case. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
