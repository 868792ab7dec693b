// Typed errors of the client. Messages say what failed, on which object and what to do; they are built only
// from fields we choose, never from request options, so credentials and Authorization headers cannot leak.

/** Stable error codes callers can branch on. */
export const SRM_ERROR_CODES = [
  "TLS_PINNING_FAILED",
  "TLS_FAILED",
  "AUTHENTICATION_FAILED",
  "NOT_FOUND",
  "BAD_REQUEST",
  "FORBIDDEN",
  "CONFLICT",
  "SERVER_ERROR",
  "NETWORK_ERROR",
  "REQUEST_TIMEOUT",
  "INVALID_RESPONSE",
  "UNEXPECTED_REDIRECT",
  "RESPONSE_TOO_LARGE",
  "INVALID_REQUEST",
  "MISSING_CREDENTIALS",
  "TASK_FAILED",
  "TASK_CANCELLED",
  "TASK_TIMEOUT",
  "RECONCILIATION_FAILED",
] as const;
export type SrmErrorCode = (typeof SRM_ERROR_CODES)[number];

/** Structured facts carried by an {@link SrmError}. */
export interface SrmErrorFields {
  status?: number;
  method?: string;
  path?: string;
  /** SRM `error_code` (or vAPI `error_type`). */
  errorCode?: string;
  /** SRM `op_id`, the key to the server logs. */
  opId?: string;
  taskId?: string;
  details?: string;
}

/** Every failure the client reports. `message` never contains a password or an Authorization header. */
export class SrmError extends Error implements SrmErrorFields {
  override readonly name = "SrmError";
  readonly code: SrmErrorCode;
  status?: number;
  method?: string;
  path?: string;
  errorCode?: string;
  opId?: string;
  taskId?: string;
  details?: string;

  constructor(code: SrmErrorCode, message: string, fields: SrmErrorFields = {}) {
    super(message);
    this.code = code;
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) (this as Record<string, unknown>)[key] = value;
    }
  }
}

/** True for an {@link SrmError}, also across copies of this module loaded twice. */
export function isSrmError(e: unknown): e is SrmError {
  return e instanceof SrmError || (e instanceof Error && e.name === "SrmError" && "code" in e);
}

/**
 * True when SRM certainly did not act on a request: it answered with a refusal (4xx), or the request's task
 * failed or was cancelled. Any other failure (a lost answer, a 5xx, a wait that ended, a malformed answer to an
 * accepted request) may follow a change SRM made.
 */
export function srmRefused(e: unknown): boolean {
  if (!isSrmError(e)) return false;
  if (e.code === "TASK_FAILED" || e.code === "TASK_CANCELLED") return true;
  return e.status !== undefined && e.status >= 400 && e.status < 500;
}

const secrets = new Set<string>();

/**
 * Registers a secret (password, token) so {@link scrub} removes it from any text that ends up in an error.
 * Short strings are skipped: they would mangle ordinary words.
 */
export function registerSecret(secret: string | undefined): void {
  if (secret && secret.length >= 4) secrets.add(secret);
}

/** Removes registered secrets, Basic/Bearer credentials and session tokens from text. */
export function scrub(text: string): string {
  let out = text
    .replace(/(authorization["']?\s*[:=]\s*["']?)(basic|bearer)\s+[^\s"',}]+/gi, "$1$2 <redacted>")
    .replace(/\b(basic|bearer)\s+[A-Za-z0-9+/=._-]{8,}/gi, "$1 <redacted>")
    .replace(/((?:x-dr-session|vmware-api-session-id)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, "$1<redacted>");
  for (const s of secrets) out = out.split(s).join("<redacted>");
  return out;
}

/** Advice per HTTP status, appended to messages so users know the next step. */
export function adviceForStatus(status: number): string {
  if (status === 401) return "Check srm:username and srm:password.";
  if (status === 403)
    return "The user lacks the SRM privilege for this operation; grant it or use another account.";
  if (status === 404) return "The object does not exist (any more); check the id or refresh the stack.";
  if (status === 400) return "The server rejected the request; correct the inputs named in the message.";
  if (status === 409)
    return "The object is busy or in a conflicting state; retry when the running operation ends.";
  if (status === 429) return "The server is throttling requests; retry later.";
  return "The server failed; retry later and check the server logs with the op_id.";
}

/** Maps an HTTP status to the error code callers branch on. */
export function codeForStatus(status: number): SrmErrorCode {
  if (status === 401) return "AUTHENTICATION_FAILED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 400 || status === 422) return "BAD_REQUEST";
  return "SERVER_ERROR";
}

/** Drops a trailing period, so server text can be embedded in a sentence of ours without "..". */
export function clause(text: string): string {
  return text.trim().replace(/[.\s]+$/, "");
}

/** Server text (messages, error codes, task descriptions) shown to users is cut to this many characters. */
export const MAX_SERVER_TEXT_CHARS = 500;

/**
 * Makes text a server chose safe to show in a terminal or log: control characters (which could move the
 * cursor, recolour or rewrite earlier lines) and bidirectional overrides become spaces, runs of whitespace
 * collapse, and it is cut to `max` characters, saying so.
 */
export function serverText(text: string, max = MAX_SERVER_TEXT_CHARS): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, " ");
  const collapsed = flat.replace(/\s+/g, " ").trim();
  if (collapsed.length <= max) return collapsed;
  return `${collapsed.slice(0, max)}... (${collapsed.length - max} more characters cut)`;
}
