// vCenter appliance client for post-restore reconciliation. vCenter 7+ serves `/api/...`; 6.7 only the
// legacy `/rest/...` form (body wrapped in `{spec}`, answers in `{value}`), so each call falls back on 404.
import {
  ApiError,
  ApiSessionToken,
  appliancePaths,
  ReconciliationCreateSpec,
  ReconciliationJobInfo,
  RestError,
  RestReconciliationCreateBody,
  RestReconciliationJobInfo,
  RestSessionToken,
  VAPI_SESSION_HEADER,
  type LocalizableMessage,
} from "../api/index.js";
import { clause, isSrmError, registerSecret, scrub, SrmError } from "./errors.js";
import { guardMutation } from "./mutation-guard.js";
import { checkRequest, HttpClient, type HttpConfig } from "./http.js";
import { requireHttps, stderrLog } from "./srm-session.js";
import type { TlsSettings } from "./tls.js";

/** How to reach and log in to a vCenter appliance. */
export interface ApplianceConnection {
  /** https://host[:port]; a bare host is accepted. */
  url: string;
  username: string;
  password: string;
  tls: TlsSettings;
  requestTimeoutMs?: number;
  retryLimit?: number;
  retryBaseDelayMs?: number;
  log?: (line: string) => void;
}

/** Which API form the appliance answered. */
export type ApplianceApiFlavor = "api" | "rest";

/** Options of {@link ApplianceClient.waitForReconciliation}. */
export interface ReconciliationWaitOptions {
  /** Deadline; default 30 minutes. */
  timeoutMs?: number;
  onProgress?: (job: ReconciliationJobInfo) => void;
}

export const DEFAULT_RECONCILIATION_TIMEOUT_MS = 30 * 60_000;

/** Joins vAPI localizable messages into one readable string. */
export function formatMessages(messages: readonly LocalizableMessage[] | undefined): string {
  return (messages ?? [])
    .map((m) => m.localized ?? m.default_message ?? m.id ?? "")
    .filter((m) => m !== "")
    .join("; ");
}

/** Reads both vAPI error forms: `/api` `{error_type, messages}` and `/rest` `{type, value: {messages}}`. */
export function describeVapiErrorBody(body: unknown): { errorCode?: string; message?: string } {
  const api = ApiError.safeParse(body);
  if (api.success)
    return { errorCode: api.data.error_type, message: formatMessages(api.data.messages) || undefined };
  const rest = RestError.safeParse(body);
  if (rest.success) {
    const type = rest.data.type.split(".").pop()?.toUpperCase();
    return { errorCode: type, message: formatMessages(rest.data.value?.messages) || undefined };
  }
  return {};
}

/** Normalizes "host", "host:port" or "https://host[:port]/" to "https://host[:port]". */
export function normalizeApplianceUrl(hostOrUrl: string): string {
  let s = hostOrUrl.trim();
  if (s === "") {
    throw new SrmError(
      "BAD_REQUEST",
      "The vCenter appliance host is empty. Set srm:applianceHost (or SRM_APPLIANCE_HOST).",
    );
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  const url = new URL(s);
  requireHttps(url, "srm:applianceHost");
  return `${url.protocol}//${url.host}`;
}

/** Client of one vCenter appliance for one user; get the shared instance with {@link getApplianceClient}. */
export class ApplianceClient {
  readonly http: HttpClient;
  private token?: string;
  private pending?: Promise<string>;
  /** Form answered by the last successful call; `/api` is tried first until the appliance says otherwise. */
  private flavor: ApplianceApiFlavor = "api";
  private conn: ApplianceConnection;

  constructor(conn: ApplianceConnection) {
    this.conn = { ...conn, url: normalizeApplianceUrl(conn.url) };
    registerSecret(conn.password);
    this.http = new HttpClient(this.httpConfig());
  }

  get url(): string {
    return this.conn.url;
  }

  /** The API form in use: "api" or, after a 404 fallback, "rest". */
  get apiFlavor(): ApplianceApiFlavor {
    return this.flavor;
  }

  /** Applies newer settings; a changed password drops the session. */
  update(conn: ApplianceConnection): void {
    const old = this.conn;
    this.conn = { ...conn, url: normalizeApplianceUrl(conn.url) };
    registerSecret(conn.password);
    if (old.password !== conn.password) this.token = undefined;
    if (
      old.url !== this.conn.url ||
      JSON.stringify(old.tls) !== JSON.stringify(conn.tls) ||
      old.requestTimeoutMs !== conn.requestTimeoutMs ||
      old.retryLimit !== conn.retryLimit ||
      old.retryBaseDelayMs !== conn.retryBaseDelayMs
    ) {
      this.http.reset(this.httpConfig());
    }
  }

  /** Logs in (`POST /api/session`, on 404 the legacy `/rest/com/vmware/cis/session`) unless logged in. */
  async login(): Promise<void> {
    await this.getToken();
  }

  /** Starts a reconciliation job; `/api` first, `/rest` on 404. */
  async createReconciliationJob(
    spec: ReconciliationCreateSpec,
  ): Promise<{ job: ReconciliationJobInfo; flavor: ApplianceApiFlavor }> {
    registerSecret(spec.sso_admin_user_password);
    const what = "starting the vCenter reconciliation job";
    const body = checkRequest(ReconciliationCreateSpec, spec, what);
    await this.getToken();
    await guardMutation(what);
    if (this.flavor === "api") {
      try {
        const job = await this.http.json(
          ReconciliationJobInfo,
          "POST",
          rel(appliancePaths.apiReconciliationJob),
          {
            json: body,
            context: { what },
          },
        );
        return { job, flavor: "api" };
      } catch (e) {
        if (!(isSrmError(e) && e.code === "NOT_FOUND")) throw e;
        this.flavor = "rest";
      }
    }
    const json = checkRequest(RestReconciliationCreateBody, { spec: body }, what);
    const answer = await this.http.json(
      RestReconciliationJobInfo,
      "POST",
      rel(appliancePaths.restReconciliationJob),
      {
        json,
        context: { what },
      },
    );
    return { job: answer.value, flavor: "rest" };
  }

  /** The current reconciliation job; undefined when the appliance has none (404). */
  async getReconciliationJob(): Promise<ReconciliationJobInfo | undefined> {
    const what = "reading the vCenter reconciliation job";
    await this.getToken();
    try {
      if (this.flavor === "api") {
        return await this.http.json(ReconciliationJobInfo, "GET", rel(appliancePaths.apiReconciliationJob), {
          context: { what },
        });
      }
      const answer = await this.http.json(
        RestReconciliationJobInfo,
        "GET",
        rel(appliancePaths.restReconciliationJob),
        {
          context: { what },
        },
      );
      return answer.value;
    } catch (e) {
      if (isSrmError(e) && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  }

  /**
   * Polls the job until SUCCEEDED (resolves with it); FAILED is an SrmError RECONCILIATION_FAILED carrying the
   * job's messages; the deadline is TASK_TIMEOUT with the last status.
   */
  async waitForReconciliation(opts: ReconciliationWaitOptions = {}): Promise<ReconciliationJobInfo> {
    const started = Date.now();
    const timeoutMs = opts.timeoutMs ?? DEFAULT_RECONCILIATION_TIMEOUT_MS;
    let delay = 15;
    let lastSeen = "";
    let lastLog = started;
    for (;;) {
      const job = await this.getReconciliationJob();
      const seen = job ? `${job.status}${job.progress != null ? ` ${job.progress}%` : ""}` : "no job";
      if (job && seen !== lastSeen) opts.onProgress?.(job);
      lastSeen = seen;
      if (job?.status === "SUCCEEDED") return job;
      if (job?.status === "FAILED") {
        const messages = formatMessages(job.messages) || formatMessages(errorMessages(job.error));
        throw new SrmError(
          "RECONCILIATION_FAILED",
          scrub(
            `The vCenter reconciliation job on ${this.conn.url} failed${messages ? `: ${clause(messages)}` : ""}. ` +
              `Correct the cause (see the appliance's recovery logs) and run the reconciliation again.`,
          ),
          { details: messages ? scrub(messages) : undefined },
        );
      }
      const now = Date.now();
      if (now - started >= timeoutMs) {
        throw new SrmError(
          "TASK_TIMEOUT",
          `The vCenter reconciliation job on ${this.conn.url} did not finish within ${Math.round(timeoutMs / 1000)} s ` +
            `(last status ${seen}). It may still be running; check the appliance, then raise timeoutSeconds and run again.`,
          { details: seen },
        );
      }
      if (now - lastLog >= 5_000) {
        lastLog = now;
        this.log(
          `vCenter reconciliation on ${this.conn.url}: ${seen} after ${Math.round((now - started) / 1000)} s`,
        );
      }
      await new Promise((r) => setTimeout(r, Math.min(delay, Math.max(started + timeoutMs - now, 1))));
      delay = Math.min(delay * 1.5, 3_000);
    }
  }

  private get log(): (line: string) => void {
    return this.conn.log ?? stderrLog;
  }

  private async getToken(): Promise<string> {
    if (this.token) return this.token;
    this.pending ??= this.doLogin().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async relogin(rejected: string | undefined): Promise<string> {
    if (this.token && this.token !== rejected) return this.token;
    if (this.token === rejected) this.token = undefined;
    return this.getToken();
  }

  private async doLogin(): Promise<string> {
    const { username, password } = this.conn;
    const context = {
      what: `logging in to vCenter appliance ${this.conn.url} as ${username}`,
      noSession: true,
    };
    let token: string;
    if (this.flavor === "api") {
      try {
        token = await this.http.json(ApiSessionToken, "POST", rel(appliancePaths.apiSession), {
          username,
          password,
          context,
        });
      } catch (e) {
        if (!(isSrmError(e) && e.code === "NOT_FOUND")) throw e;
        this.flavor = "rest";
      }
    }
    if (this.flavor === "rest") {
      const answer = await this.http.json(RestSessionToken, "POST", rel(appliancePaths.restSession), {
        username,
        password,
        context,
      });
      token = answer.value;
    }
    registerSecret(token!);
    this.token = token!;
    return token!;
  }

  private httpConfig(): HttpConfig {
    const conn = this.conn;
    return {
      baseUrl: conn.url,
      tls: conn.tls,
      settingNames: {
        thumbprint: "srm:applianceThumbprint",
        caCert: "srm:applianceCaCert",
        host: "srm:applianceHost",
        credentials: "srm:applianceUsername and srm:appliancePassword",
      },
      serverKind: "vCenter appliance",
      requestTimeoutMs: conn.requestTimeoutMs,
      retryLimit: conn.retryLimit,
      retryBaseDelayMs: conn.retryBaseDelayMs,
      log: (line) => this.log(scrub(line)),
      sessionHeader: VAPI_SESSION_HEADER,
      getToken: () => this.getToken(),
      relogin: (rejected) => this.relogin(rejected),
      describeErrorBody: describeVapiErrorBody,
    };
  }
}

/** got's prefixUrl wants paths without a leading slash. */
function rel(path: string): string {
  return path.replace(/^\/+/, "");
}

function errorMessages(error: unknown): LocalizableMessage[] {
  const parsed = ApiError.safeParse(error);
  return parsed.success ? parsed.data.messages : [];
}

const appliances = new Map<string, ApplianceClient>();

/** The shared appliance client for (url, username) in this process; later calls update its settings. */
export function getApplianceClient(conn: ApplianceConnection): ApplianceClient {
  const key = `${normalizeApplianceUrl(conn.url)}\u0000${conn.username}`;
  const existing = appliances.get(key);
  if (existing) {
    existing.update(conn);
    return existing;
  }
  const client = new ApplianceClient(conn);
  appliances.set(key, client);
  return client;
}

/** Forgets every shared appliance client of this process. */
export function clearApplianceClients(): void {
  appliances.clear();
}
