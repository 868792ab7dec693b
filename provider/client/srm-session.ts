// SRM login, logout and remote-site login. One session per (url, username) per process: every resource of
// a stack shares it, concurrent first calls wait for a single login, and an expired session is replaced once.
import { SessionIdData, SRM_BASE_PATH, SRM_SESSION_HEADER, srmPaths, ResponseError } from "../api/index.js";
import { registerSecret, scrub, SrmError } from "./errors.js";
import { HttpClient, type HttpConfig } from "./http.js";
import type { TlsSettings } from "./tls.js";

/** How to reach and log in to one SRM server. */
export interface SrmConnection {
  /** Base URL ".../api/rest/srm/v2"; {@link normalizeSrmUrl} builds it from "host", "host:port" or "https://host". */
  url: string;
  username: string;
  password: string;
  /** Remote site credentials, needed for operations touching both sites (reprotect, pairing removal). */
  remoteUsername?: string;
  remotePassword?: string;
  /**
   * Finds the login of the SRM server at the other end of a pairing when that server's own credentials are
   * known (another configured site); `undefined` falls back to {@link remoteUsername}. `source` names
   * the settings, for messages.
   */
  remoteCredentialsFor?: (
    pairingId: string,
  ) => Promise<{ username: string; password: string; source: string } | undefined>;
  tls: TlsSettings;
  /** Prefix of the settings to name in messages: `srm:` (default) or e.g. `srm:sites.siteB.` for a named site. */
  settingsPrefix?: string;
  /** Time allowed for each request phase; default 30 000 ms. */
  requestTimeoutMs?: number;
  /** Retries of idempotent requests; default 3. */
  retryLimit?: number;
  /** First retry delay, doubling per attempt; default 250 ms. */
  retryBaseDelayMs?: number;
  /** Sink for progress and warnings; default: a line on stderr. */
  log?: (line: string) => void;
}

/** Accepts "host", "host:port", "https://host[:port]" or a full base URL and returns the API v2 base URL. */
export function normalizeSrmUrl(hostOrUrl: string): string {
  let s = hostOrUrl.trim();
  if (s === "") throw new SrmError("BAD_REQUEST", "The SRM host is empty. Set srm:host (or SRM_HOST).");
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new SrmError(
      "BAD_REQUEST",
      `The SRM host "${hostOrUrl}" is not a host name or URL. Set srm:host to e.g. srm.example.com.`,
    );
  }
  requireHttps(url, "srm:host");
  let path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith(SRM_BASE_PATH)) path = `${path}${SRM_BASE_PATH}`;
  return `${url.protocol}//${url.host}${path}`;
}

/**
 * Refuses any scheme but https: the first request carries a password (Basic auth), and only TLS protects it
 * and lets the certificate be verified.
 */
export function requireHttps(url: URL, setting: string): void {
  if (url.protocol !== "https:") {
    throw new SrmError(
      "BAD_REQUEST",
      `${setting} uses ${url.protocol.replace(/:$/, "")}://; only https is supported, since the login sends a ` +
        `password. Set ${setting} to https://${url.host}.`,
    );
  }
}

/** The default log sink: one line on stderr. */
export function stderrLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Reads SRM's ResponseError body (400/403/500); 401 and 404 have none. */
export function describeSrmErrorBody(body: unknown): { errorCode?: string; opId?: string; message?: string } {
  const parsed = ResponseError.safeParse(body);
  if (parsed.success) {
    return { errorCode: parsed.data.error_code, opId: parsed.data.op_id, message: parsed.data.message };
  }
  return typeof body === "string" && body.trim() !== "" ? { message: body.slice(0, 300) } : {};
}

/** A logged-in (or about to be) SRM session and the HTTP client that carries it. */
export class SrmSession {
  readonly http: HttpClient;
  private token?: string;
  private pending?: Promise<string>;
  private readonly remotePairings = new Set<string>();
  private conn: SrmConnection;

  constructor(conn: SrmConnection) {
    this.conn = conn;
    registerSecret(conn.password);
    registerSecret(conn.remotePassword);
    this.http = new HttpClient(this.httpConfig());
  }

  /** The connection this session uses (passwords included; never log it). */
  get connection(): SrmConnection {
    return this.conn;
  }

  get log(): (line: string) => void {
    return this.conn.log ?? stderrLog;
  }

  /** Applies a newer connection: a changed password drops the session, changed TLS or timeouts rebuild HTTP. */
  update(next: SrmConnection): void {
    const old = this.conn;
    // Several settings may name one server and user (a site in srm:sites and the single-site settings, or a
    // peer probe that needs no remote login); they share this session, so one without remote credentials
    // keeps those the others gave instead of taking the remote login away from them.
    const conn: SrmConnection = {
      ...next,
      ...(next.remoteUsername === undefined && next.remotePassword === undefined
        ? { remoteUsername: old.remoteUsername, remotePassword: old.remotePassword }
        : {}),
      remoteCredentialsFor: next.remoteCredentialsFor ?? old.remoteCredentialsFor,
    };
    this.conn = conn;
    registerSecret(conn.password);
    registerSecret(conn.remotePassword);
    if (old.password !== conn.password) {
      this.token = undefined;
      this.remotePairings.clear();
    }
    if (old.remoteUsername !== conn.remoteUsername || old.remotePassword !== conn.remotePassword) {
      this.remotePairings.clear();
    }
    if (
      JSON.stringify(old.tls) !== JSON.stringify(conn.tls) ||
      old.requestTimeoutMs !== conn.requestTimeoutMs ||
      old.retryLimit !== conn.retryLimit ||
      old.retryBaseDelayMs !== conn.retryBaseDelayMs
    ) {
      this.http.reset(this.httpConfig());
    }
  }

  /** Current token, logging in first (once, for all concurrent callers) when there is none. */
  async getToken(): Promise<string> {
    return this.token ?? this.login();
  }

  /** Logs in unless a session exists or a login is under way; concurrent callers share one login. */
  login(): Promise<string> {
    if (this.token) return Promise.resolve(this.token);
    this.pending ??= this.doLogin().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Called on 401: replaces the rejected token (once, however many requests saw it) and restores remote logins. */
  async relogin(rejected: string | undefined): Promise<string> {
    if (this.token && this.token !== rejected) return this.token;
    if (this.pending) return this.pending;
    this.token = undefined;
    const remote = [...this.remotePairings];
    this.remotePairings.clear();
    this.pending = (async () => {
      const token = await this.doLogin();
      // A remote-site login belongs to the session; restore it so a repeated reprotect still has it.
      for (const pairingId of remote) {
        await this.remoteLogin(pairingId).catch(() => undefined);
      }
      return token;
    })().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Ends the session on the server (best effort) and forgets it. */
  async logout(): Promise<void> {
    const token = this.token;
    this.token = undefined;
    this.remotePairings.clear();
    if (!token) return;
    await this.http.raw("DELETE", srmPaths.session(), {
      headers: { [SRM_SESSION_HEADER]: token },
      context: { what: "logging out of SRM", noSession: true, relogged: true },
      throwHttpErrors: false,
    });
  }

  /** Logs in to the remote site of a pairing with the remote credentials (needed for reprotect). */
  async remoteLogin(pairingId: string): Promise<void> {
    const peer = await this.conn.remoteCredentialsFor?.(pairingId);
    if (peer) registerSecret(peer.password);
    const remoteUsername = peer?.username ?? this.conn.remoteUsername;
    const remotePassword = peer?.password ?? this.conn.remotePassword;
    if (!remoteUsername || !remotePassword) {
      throw new SrmError(
        "MISSING_CREDENTIALS",
        `Logging in to the remote site of pairing "${pairingId}" needs the remote SRM credentials. ` +
          `Configure the other site in srm:sites, or set srm:remoteUsername and srm:remotePassword (or ` +
          `SRM_REMOTE_USERNAME and SRM_REMOTE_PASSWORD).`,
      );
    }
    await this.http.raw("POST", srmPaths.remoteSession(pairingId), {
      username: remoteUsername,
      password: remotePassword,
      context: {
        what: `logging in to the remote site of pairing "${pairingId}" as ${remoteUsername}`,
        credentials: peer?.source ?? "srm:remoteUsername and srm:remotePassword",
      },
    });
    this.remotePairings.add(pairingId);
  }

  private async doLogin(): Promise<string> {
    const { username, password } = this.conn;
    const data = await this.http.json(SessionIdData, "POST", srmPaths.session(), {
      username,
      password,
      context: {
        what: `logging in to SRM ${this.conn.url} as ${username}`,
        noSession: true,
        // The login path always exists on an SRM server, so a 404 means the URL leads somewhere else.
        notFound:
          `No SRM REST API at that URL: the path is wrong (POST ${this.conn.url}/${srmPaths.session()} answered 404). ` +
          `Set ${this.http.config.settingNames.host} to the SRM server's host name, host:port or its API URL ` +
          `https://<srm>${SRM_BASE_PATH}.`,
      },
    });
    this.token = data.session_id;
    registerSecret(data.session_id);
    return data.session_id;
  }

  private httpConfig(): HttpConfig {
    const conn = this.conn;
    const prefix = conn.settingsPrefix ?? "srm:";
    return {
      baseUrl: conn.url,
      tls: conn.tls,
      settingNames: {
        thumbprint: `${prefix}thumbprint`,
        caCert: `${prefix}caCert`,
        host: `${prefix}host`,
        credentials: `${prefix}username and ${prefix}password`,
      },
      serverKind: "SRM",
      requestTimeoutMs: conn.requestTimeoutMs,
      retryLimit: conn.retryLimit,
      retryBaseDelayMs: conn.retryBaseDelayMs,
      log: (line) => this.log(scrub(line)),
      sessionHeader: SRM_SESSION_HEADER,
      getToken: () => this.getToken(),
      relogin: (rejected) => this.relogin(rejected),
      describeErrorBody: describeSrmErrorBody,
    };
  }
}

const sessions = new Map<string, SrmSession>();

/** The process-wide session for (url, username); a later call with other settings updates it. */
export function getSrmSession(conn: SrmConnection): SrmSession {
  const normalized = { ...conn, url: normalizeSrmUrl(conn.url) };
  const key = `${normalized.url}\u0000${conn.username}`;
  const existing = sessions.get(key);
  if (existing) {
    existing.update(normalized);
    return existing;
  }
  const session = new SrmSession(normalized);
  sessions.set(key, session);
  return session;
}

/** Forgets every shared session (tests and long-lived hosts that rotate servers). */
export function clearSrmSessions(): void {
  sessions.clear();
}
