// TLS settings -> got options. Verification is on by default; SRM sites usually run self-signed
// certificates, so a pinned thumbprint (what the SRM UI shows) is the common way to trust one.
import * as https from "node:https";
import * as net from "node:net";
import type { Duplex } from "node:stream";
import * as tls from "node:tls";
import { SrmError } from "./errors.js";

/** How the server certificate is trusted. With none of these set, the system CAs verify it. */
export interface TlsSettings {
  /** PEM CA bundle (or the server's own self-signed certificate). */
  caCert?: string;
  /** SHA-256 (64 hex) or SHA-1 (40 hex) certificate thumbprint; colons, spaces and case are ignored. */
  thumbprint?: string;
  /** Skip verification entirely (prints a warning). */
  insecure?: boolean;
}

/** A thumbprint reduced to uppercase hex, with the digest it names. */
export interface PinnedThumbprint {
  hex: string;
  algorithm: "sha256" | "sha1";
}

/**
 * Normalizes a thumbprint: drops colons and whitespace, uppercases, and requires 64 (SHA-256) or
 * 40 (SHA-1) hex digits. Throws an {@link SrmError} `BAD_REQUEST` otherwise.
 */
export function normalizeThumbprint(thumbprint: string, setting = "srm:thumbprint"): PinnedThumbprint {
  const hex = thumbprint.replace(/[:\s]/g, "").toUpperCase();
  if (/^[0-9A-F]{64}$/.test(hex)) return { hex, algorithm: "sha256" };
  if (/^[0-9A-F]{40}$/.test(hex)) return { hex, algorithm: "sha1" };
  throw new SrmError(
    "BAD_REQUEST",
    `Invalid ${setting}: expected a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) certificate thumbprint, ` +
      `colons optional; got ${hex.length} characters${/^[0-9A-F]*$/.test(hex) ? "" : " including non-hex ones"}.`,
  );
}

/** "AB:CD:..." form, as vSphere shows thumbprints. */
export function formatThumbprint(hex: string): string {
  return hex.replace(/(..)(?!$)/g, "$1:");
}

function fingerprintHex(cert: tls.PeerCertificate, algorithm: "sha256" | "sha1"): string {
  const fp = algorithm === "sha256" ? cert.fingerprint256 : cert.fingerprint;
  return (fp ?? "").replace(/:/g, "").toUpperCase();
}

/**
 * Connections kept per server: enough for the plans a stack changes at once, few enough that a refresh of
 * thousands of resources does not open thousands of TLS sessions (requests beyond it queue for a free one).
 */
export const MAX_SOCKETS_PER_SERVER = 8;

/** Agent options shared by every trust mode: connections are kept alive and reused across requests. */
export const KEEP_ALIVE_AGENT_OPTIONS: https.AgentOptions = {
  keepAlive: true,
  maxSockets: MAX_SOCKETS_PER_SERVER,
  scheduling: "lifo",
};

/**
 * An https.Agent that completes the TLS handshake itself and compares the peer certificate with the
 * pinned thumbprint before handing the socket to the HTTP layer, so on a mismatch not one byte of
 * the request (and so no credential) is written. Sockets that passed the check are kept alive and reused:
 * the certificate of a connection cannot change after its handshake, so the pin holds for its lifetime.
 */
export class PinningAgent extends https.Agent {
  constructor(
    readonly pin: PinnedThumbprint,
    readonly setting = "srm:thumbprint",
    /** Time allowed for connecting and the handshake; 0 = none. */
    readonly handshakeTimeoutMs = 0,
  ) {
    super(KEEP_ALIVE_AGENT_OPTIONS);
  }

  /**
   * The last TLS session this agent's server issued, offered on the next connection: a resumed session skips
   * the certificate exchange, so a burst of connections to one server costs one full handshake. It is only
   * ever taken from a connection whose certificate matched the pin.
   */
  private session?: Buffer;

  override createConnection(
    options: https.RequestOptions,
    callback?: (err: Error | null, stream: Duplex) => void,
  ): Duplex | undefined {
    const socket = tls.connect({
      ...(options as tls.ConnectionOptions),
      rejectUnauthorized: false,
      session: this.session,
    });
    let pinned = false;
    // TLS 1.3 sends its session tickets after the handshake, so they may arrive after the pin check.
    socket.on("session", (session: Buffer) => {
      if (pinned) this.session = session;
    });
    const onError = (err: Error) => {
      socket.destroy();
      callback?.(err, socket);
    };
    socket.once("error", onError);
    // got's connect and secureConnect timeouts never see this socket: it reaches the request only after the
    // pin check, so a server that accepts and then stays silent is timed out here.
    const onTimeout = () => onError(new HandshakeTimeoutError(this.handshakeTimeoutMs));
    if (this.handshakeTimeoutMs > 0) socket.setTimeout(this.handshakeTimeoutMs, onTimeout);
    socket.once("secureConnect", () => {
      socket.removeListener("error", onError);
      socket.setTimeout(0);
      socket.removeListener("timeout", onTimeout);
      const cert = socket.getPeerCertificate();
      const actual = fingerprintHex(cert, this.pin.algorithm);
      // A resumed session carries no certificate: the server proved it holds the keys of a session this agent
      // took only from a connection that passed the pin, which is the same proof.
      if (actual === this.pin.hex || (socket.isSessionReused() && this.session !== undefined)) {
        pinned = true;
        callback?.(null, socket);
        return;
      }
      const actual256 = fingerprintHex(cert, "sha256");
      socket.destroy();
      callback?.(
        new SrmError(
          "TLS_PINNING_FAILED",
          `TLS certificate of ${options.host ?? "the server"}:${options.port ?? 443} does not match ${this.setting}: ` +
            `expected ${this.pin.algorithm === "sha256" ? "SHA-256" : "SHA-1"} ${formatThumbprint(this.pin.hex)}, the server presented ` +
            `${formatThumbprint(actual)}. No request was sent. If the certificate was replaced on purpose, set ` +
            `${this.setting} to ${formatThumbprint(actual256)}; otherwise you may be talking to a different server.`,
        ),
        socket,
      );
    });
    // Returning nothing makes the agent wait for the callback, i.e. for the pin check.
    return undefined;
  }
}

/** A pinned connection whose TLS handshake did not finish in time; retried like got's own timeouts. */
export class HandshakeTimeoutError extends Error {
  override readonly name = "TimeoutError";
  readonly code = "ETIMEDOUT";
  readonly event = "TLS handshake";

  constructor(ms: number) {
    super(`Timeout awaiting the TLS handshake for ${ms}ms`);
  }
}

/** What {@link tlsOptions} yields for got: `https` options and the agent that owns the connections. */
export interface GotTlsOptions {
  https: { rejectUnauthorized: boolean; certificateAuthority?: string };
  /** A keep-alive agent of this client's own ({@link PinningAgent} when pinning); destroy it when done. */
  agent: { https: https.Agent };
  /** True when a thumbprint is pinned. */
  pinned: boolean;
  /** Set when verification is disabled, so the caller warns. */
  insecure: boolean;
}

/** Translates {@link TlsSettings} into got options. Thumbprint wins over CA; insecure only when explicit. */
export function tlsOptions(settings: TlsSettings, setting = "srm:thumbprint", timeoutMs = 0): GotTlsOptions {
  if (settings.thumbprint && settings.thumbprint.trim() !== "") {
    const pin = normalizeThumbprint(settings.thumbprint, setting);
    return {
      // Not a switch-off: self-signed SRM certificates fail CA checks, so trust is the pin, which the agent
      // checks before a single request byte (or credential) is sent.
      https: { rejectUnauthorized: false },
      agent: { https: new PinningAgent(pin, setting, timeoutMs) },
      pinned: true,
      insecure: false,
    };
  }
  const agent = { https: new https.Agent(KEEP_ALIVE_AGENT_OPTIONS) };
  if (settings.caCert && settings.caCert.trim() !== "") {
    return {
      https: { rejectUnauthorized: true, certificateAuthority: settings.caCert },
      agent,
      pinned: false,
      insecure: false,
    };
  }
  if (settings.insecure === true) {
    return { https: { rejectUnauthorized: false }, agent, pinned: false, insecure: true };
  }
  return { https: { rejectUnauthorized: true }, agent, pinned: false, insecure: false };
}

/** Error codes Node uses when certificate verification fails. */
export const TLS_VERIFY_ERROR_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "CERT_SIGNATURE_FAILURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/**
 * Reads the SHA-256 thumbprint a server presents, completing only the handshake (nothing is sent after
 * it). Used to put the exact value into the advice of a verification failure. Resolves undefined on failure.
 */
export function probeThumbprint(host: string, port: number, timeoutMs = 5000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      // Only reads the presented certificate for the advice in an error; no request follows on this socket.
      rejectUnauthorized: false,
    });
    const done = (value: string | undefined) => {
      socket.destroy();
      resolve(value);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once("error", () => done(undefined));
    socket.once("secureConnect", () => {
      const hex = fingerprintHex(socket.getPeerCertificate(), "sha256");
      done(hex ? formatThumbprint(hex) : undefined);
    });
  });
}
