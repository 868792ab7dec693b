// Connection settings: stack config (namespace `srm`) first, environment variables second. Values are read
// once into a plain snapshot (synchronously, so a provider's `configure` cannot race its first calls) and
// validated with zod only when a connection is needed, so a stack that only reconciles a vCenter appliance
// does not need SRM settings and the reverse.
import * as fs from "node:fs";
import { z } from "zod";
import type { TlsSettings } from "./client/tls.js";

/** Every connection setting: its stack config key and its environment variable. */
export const CONFIG_KEYS = {
  host: { key: "srm:host", env: "SRM_HOST" },
  username: { key: "srm:username", env: "SRM_USERNAME" },
  password: { key: "srm:password", env: "SRM_PASSWORD", secret: true },
  remoteUsername: { key: "srm:remoteUsername", env: "SRM_REMOTE_USERNAME" },
  remotePassword: { key: "srm:remotePassword", env: "SRM_REMOTE_PASSWORD", secret: true },
  thumbprint: { key: "srm:thumbprint", env: "SRM_THUMBPRINT" },
  caCert: { key: "srm:caCert", env: "SRM_CA_CERT" },
  insecure: { key: "srm:insecure", env: "SRM_INSECURE" },
  applianceHost: { key: "srm:applianceHost", env: "SRM_APPLIANCE_HOST" },
  applianceUsername: { key: "srm:applianceUsername", env: "SRM_APPLIANCE_USERNAME" },
  appliancePassword: { key: "srm:appliancePassword", env: "SRM_APPLIANCE_PASSWORD", secret: true },
  applianceThumbprint: { key: "srm:applianceThumbprint", env: "SRM_APPLIANCE_THUMBPRINT" },
  applianceCaCert: { key: "srm:applianceCaCert", env: "SRM_APPLIANCE_CA_CERT" },
  applianceInsecure: { key: "srm:applianceInsecure", env: "SRM_APPLIANCE_INSECURE" },
} as const satisfies Record<string, { key: string; env: string; secret?: boolean }>;

/** Name of one connection setting, e.g. `host`. */
export type SettingName = keyof typeof CONFIG_KEYS;

/** Where a setting's value came from. */
export type SettingSource = "config" | "env" | "input";

/** A plain, immutable copy of the connection settings as found; nothing validated yet. */
export interface SettingsSnapshot {
  readonly values: Readonly<Partial<Record<SettingName, string>>>;
  readonly sources: Readonly<Partial<Record<SettingName, SettingSource>>>;
}

/** Reads one stack config value; `undefined` when the key is not set. */
export type ConfigGetter = (key: string) => unknown;

/** Config values may arrive as strings, booleans or numbers; settings are kept as strings. */
function asString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "boolean" || typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/**
 * Takes the snapshot: for every setting the stack config value when `get` returns one, else the environment
 * variable. Synchronous by design.
 */
export function readSettings(get?: ConfigGetter, env: NodeJS.ProcessEnv = process.env): SettingsSnapshot {
  const values: Partial<Record<SettingName, string>> = {};
  const sources: Partial<Record<SettingName, SettingSource>> = {};
  for (const [name, { key, env: envName }] of Object.entries(CONFIG_KEYS) as [
    SettingName,
    { key: string; env: string },
  ][]) {
    const fromConfig = get ? asString(get(key)) : undefined;
    const fromEnv = asString(env[envName]);
    if (fromConfig !== undefined) {
      values[name] = fromConfig;
      sources[name] = "config";
    } else if (fromEnv !== undefined) {
      values[name] = fromEnv;
      sources[name] = "env";
    }
  }
  return { values, sources };
}

/** How a user sets one setting, for error messages. */
export function howToSet(name: SettingName, inputName?: string): string {
  const { key, env } = CONFIG_KEYS[name];
  const secret = "secret" in CONFIG_KEYS[name] ? " --secret" : "";
  const viaInput = inputName ? `the \`${inputName}\` input, ` : "";
  return `set ${viaInput}${key} with \`pulumi config set${secret} ${key} <value>\` or the environment variable ${env}`;
}

/** A connection setting is missing or invalid. The message names the setting and how to set it. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    readonly setting?: string,
  ) {
    super(message);
  }
}

const TRUE_WORDS = ["true", "1", "yes", "on"];
const FALSE_WORDS = ["false", "0", "no", "off"];

/** Parses a boolean setting ("true"/"false", "1"/"0", "yes"/"no", "on"/"off"). */
export function parseBooleanSetting(value: string | undefined, name: SettingName): boolean {
  if (value === undefined) return false;
  const v = value.trim().toLowerCase();
  if (TRUE_WORDS.includes(v)) return true;
  if (FALSE_WORDS.includes(v)) return false;
  throw new ConfigError(
    `${CONFIG_KEYS[name].key} (or ${CONFIG_KEYS[name].env}) must be true or false, got "${value}".`,
    CONFIG_KEYS[name].key,
  );
}

/** A CA setting holds PEM text, or the path of a PEM file (read now). */
export function loadCaCert(value: string | undefined, name: SettingName): string | undefined {
  if (value === undefined) return undefined;
  if (value.includes("-----BEGIN")) return value;
  try {
    const text = fs.readFileSync(value, "utf8");
    if (!text.includes("-----BEGIN")) {
      throw new Error("the file holds no PEM certificate");
    }
    return text;
  } catch (e) {
    const reason = e instanceof Error ? ((e as NodeJS.ErrnoException).code ?? e.message) : String(e);
    throw new ConfigError(
      `${CONFIG_KEYS[name].key} (or ${CONFIG_KEYS[name].env}) must be PEM text or the path of a PEM file; ` +
        `cannot read "${value}" (${reason}).`,
      CONFIG_KEYS[name].key,
    );
  }
}

const THUMBPRINT_RE = /^(?:[0-9a-fA-F]{2}(?::?[0-9a-fA-F]{2}){19}|[0-9a-fA-F]{2}(?::?[0-9a-fA-F]{2}){31})$/;

/** True for a SHA-1 or SHA-256 thumbprint in hex, colons optional. */
export function isThumbprint(value: string): boolean {
  return THUMBPRINT_RE.test(value.replace(/\s/g, ""));
}

const required = (name: SettingName, inputName?: string) =>
  z.string({ error: `${CONFIG_KEYS[name].key} is not set: ${howToSet(name, inputName)}.` }).min(1, {
    error: `${CONFIG_KEYS[name].key} is empty: ${howToSet(name, inputName)}.`,
  });

const thumbprintSetting = (name: SettingName, inputName?: string) =>
  z
    .string()
    .refine(isThumbprint, {
      error: `${inputName ?? CONFIG_KEYS[name].key} must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint, colons optional.`,
    })
    .optional();

const SrmSettingsSchema = z.object({
  host: required("host"),
  username: required("username"),
  password: required("password"),
  remoteUsername: z.string().optional(),
  remotePassword: z.string().optional(),
  thumbprint: thumbprintSetting("thumbprint"),
  caCert: z.string().optional(),
  insecure: z.string().optional(),
});

/** Validated settings of the local SRM server (the shape of the client's SrmConnection, minus tuning). */
export interface SrmSettings {
  /** Host, host:port or URL as configured; the client turns it into the API base URL. */
  host: string;
  username: string;
  password: string;
  remoteUsername?: string;
  remotePassword?: string;
  tls: TlsSettings;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? issue.message : error.message;
}

/** Validates the SRM settings of a snapshot; throws {@link ConfigError} naming the first bad setting. */
export function srmSettings(snapshot: SettingsSnapshot): SrmSettings {
  const parsed = SrmSettingsSchema.safeParse(snapshot.values);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path[0];
    const setting =
      typeof path === "string" && path in CONFIG_KEYS ? CONFIG_KEYS[path as SettingName].key : undefined;
    throw new ConfigError(firstIssue(parsed.error), setting);
  }
  const v = parsed.data;
  return {
    host: v.host,
    username: v.username,
    password: v.password,
    remoteUsername: v.remoteUsername,
    remotePassword: v.remotePassword,
    tls: {
      thumbprint: v.thumbprint,
      caCert: loadCaCert(v.caCert, "caCert"),
      insecure: parseBooleanSetting(v.insecure, "insecure"),
    },
  };
}

/** Remote-site credentials for operations touching both sites; throws naming the missing setting. */
export function requireRemoteCredentials(settings: SrmSettings, operation: string): void {
  if (!settings.remoteUsername) {
    throw new ConfigError(
      `${operation} needs the remote site's credentials: srm:remoteUsername is not set: ${howToSet("remoteUsername")}.`,
      "srm:remoteUsername",
    );
  }
  if (!settings.remotePassword) {
    throw new ConfigError(
      `${operation} needs the remote site's credentials: srm:remotePassword is not set: ${howToSet("remotePassword")}.`,
      "srm:remotePassword",
    );
  }
}

/** Per-resource values that take precedence over the appliance settings of the snapshot. */
export interface ApplianceOverrides {
  applianceHost?: string;
  applianceUsername?: string;
  appliancePassword?: string;
  applianceThumbprint?: string;
  applianceCaCert?: string;
  applianceInsecure?: boolean;
}

/** Validated settings of a vCenter appliance. */
export interface ApplianceSettings {
  /** `https://host[:port]`. */
  url: string;
  username: string;
  password: string;
  tls: TlsSettings;
}

/** Accepts "host", "host:port" or "https://host[:port]" and returns "https://host[:port]". */
export function normalizeApplianceUrl(hostOrUrl: string): string {
  let s = hostOrUrl.trim();
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `https://${s}`;
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new ConfigError(
      `The vCenter appliance host "${hostOrUrl}" is not a host name or URL; ${howToSet("applianceHost", "applianceHost")}.`,
      "srm:applianceHost",
    );
  }
  return `${url.protocol}//${url.host}`;
}

/**
 * Resolves the appliance connection: each value from the resource input, else stack config, else environment.
 * Throws {@link ConfigError} naming the input, the config key and the environment variable of a missing value.
 */
export function applianceSettings(
  snapshot: SettingsSnapshot,
  overrides: ApplianceOverrides = {},
): ApplianceSettings {
  const pick = (name: keyof ApplianceOverrides & SettingName): string | undefined => {
    const v = overrides[name];
    if (v !== undefined && v !== null && v !== "") return String(v);
    return snapshot.values[name];
  };
  const need = (name: "applianceHost" | "applianceUsername" | "appliancePassword"): string => {
    const v = pick(name);
    if (v === undefined || v === "") {
      throw new ConfigError(
        `${CONFIG_KEYS[name].key} is not set: ${howToSet(name, name)}.`,
        CONFIG_KEYS[name].key,
      );
    }
    return v;
  };
  const thumbprint = pick("applianceThumbprint");
  if (thumbprint !== undefined && !isThumbprint(thumbprint)) {
    throw new ConfigError(
      `applianceThumbprint (or srm:applianceThumbprint, SRM_APPLIANCE_THUMBPRINT) must be a SHA-256 (64 hex digits) ` +
        `or SHA-1 (40 hex digits) thumbprint, colons optional.`,
      "srm:applianceThumbprint",
    );
  }
  return {
    url: normalizeApplianceUrl(need("applianceHost")),
    username: need("applianceUsername"),
    password: need("appliancePassword"),
    tls: {
      thumbprint,
      caCert: loadCaCert(pick("applianceCaCert"), "applianceCaCert"),
      insecure: parseBooleanSetting(pick("applianceInsecure"), "applianceInsecure"),
    },
  };
}
