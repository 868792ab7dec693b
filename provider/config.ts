// Connection settings: stack config (namespace `srm`) first, environment variables second. Values are read
// once into a plain snapshot (synchronously, so a provider's `configure` cannot race its first calls) and
// validated with zod only when a connection is needed, so a stack that only reconciles a vCenter appliance
// does not need SRM settings and the reverse.
import * as fs from "node:fs";
import { z } from "zod";
import type { TlsSettings } from "./client/tls.js";

/** Where one connection setting is read from. */
export interface ConfigKey<Key extends string = string, Env extends string = string> {
  /** Stack config key, always in the `srm` namespace, e.g. `srm:host`; takes precedence over {@link env}. */
  readonly key: Key;
  /** Environment variable read when the stack config key is not set, e.g. `SRM_HOST`. */
  readonly env: Env;
  /**
   * True for credentials: error messages then suggest `pulumi config set --secret`, which keeps the value
   * encrypted in the stack's config file.
   */
  readonly secret?: boolean;
}

const SETTINGS = {
  /** Local SRM server: host name, `host:port` or URL. */
  host: { key: "srm:host", env: "SRM_HOST" },
  /** User of the local SRM server, e.g. `administrator@vsphere.local`. */
  username: { key: "srm:username", env: "SRM_USERNAME" },
  /** Password of {@link CONFIG_KEYS.username}. */
  password: { key: "srm:password", env: "SRM_PASSWORD", secret: true },
  /** SRM user on the remote site; only Reprotect and breaking a pairing log in to both sites and need it. */
  remoteUsername: { key: "srm:remoteUsername", env: "SRM_REMOTE_USERNAME" },
  /** Password of {@link CONFIG_KEYS.remoteUsername}. */
  remotePassword: { key: "srm:remotePassword", env: "SRM_REMOTE_PASSWORD", secret: true },
  /** SHA-256 or SHA-1 thumbprint the SRM server certificate must match (hex, colons optional). */
  thumbprint: { key: "srm:thumbprint", env: "SRM_THUMBPRINT" },
  /** PEM text, or path of a PEM file, of the CA that signed the SRM server certificate. */
  caCert: { key: "srm:caCert", env: "SRM_CA_CERT" },
  /** `true` skips SRM certificate verification (lab use only); default `false`. */
  insecure: { key: "srm:insecure", env: "SRM_INSECURE" },
  /**
   * Several SRM servers by name (structured config, e.g. `srm:sites.siteB.host`), each with `host`,
   * `username`, `password`, TLS trust (`thumbprint`, `caCert`, `insecure`) and optionally `remoteUsername`,
   * `remotePassword`; a resource's `site` input picks one. JSON in the environment variable.
   */
  sites: { key: "srm:sites", env: "SRM_SITES", secret: true },
  /** vCenter appliance for ApplianceReconciliation: host name, `host:port` or `https://` URL. */
  applianceHost: { key: "srm:applianceHost", env: "SRM_APPLIANCE_HOST" },
  /** User of the vCenter appliance management API, e.g. `root`. */
  applianceUsername: { key: "srm:applianceUsername", env: "SRM_APPLIANCE_USERNAME" },
  /** Password of {@link CONFIG_KEYS.applianceUsername}. */
  appliancePassword: { key: "srm:appliancePassword", env: "SRM_APPLIANCE_PASSWORD", secret: true },
  /** SHA-256 or SHA-1 thumbprint the appliance certificate must match (hex, colons optional). */
  applianceThumbprint: { key: "srm:applianceThumbprint", env: "SRM_APPLIANCE_THUMBPRINT" },
  /** PEM text, or path of a PEM file, of the CA that signed the appliance certificate. */
  applianceCaCert: { key: "srm:applianceCaCert", env: "SRM_APPLIANCE_CA_CERT" },
  /** `true` skips appliance certificate verification (lab use only); default `false`. */
  applianceInsecure: { key: "srm:applianceInsecure", env: "SRM_APPLIANCE_INSECURE" },
} as const satisfies Record<string, ConfigKey>;

/**
 * The type of {@link CONFIG_KEYS}: each setting with its literal config key and environment variable.
 *
 * @interface
 */
export type ConfigKeys = {
  readonly [N in keyof typeof SETTINGS]: ConfigKey<(typeof SETTINGS)[N]["key"], (typeof SETTINGS)[N]["env"]>;
};

/** Every connection setting: its stack config key and its environment variable. */
export const CONFIG_KEYS: ConfigKeys = SETTINGS;

/** Name of one connection setting, e.g. `host`. */
export type SettingName = keyof typeof CONFIG_KEYS;

/** Where a setting's value came from. */
export type SettingSource = "config" | "env" | "input";

/** A plain, immutable copy of the connection settings as found; nothing validated yet. */
export interface SettingsSnapshot {
  /** Raw value of each setting that is set, as a string (booleans and numbers from stack config are stringified). */
  readonly values: Readonly<Partial<Record<SettingName, string>>>;
  /** Where each value in {@link values} was found, so messages can say which one to fix. */
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
  /** Always `"ConfigError"`, so the class survives in stack traces and engine diagnostics. */
  override readonly name = "ConfigError";
  constructor(
    message: string,
    /** Stack config key of the setting at fault, e.g. `srm:host`; absent when no single setting is to blame. */
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

// SRM and the appliance API only speak HTTPS, and every login sends Basic credentials: a URL naming any
// other scheme (e.g. a mistyped http://) would put the password on the wire in clear text, so it is refused
// before any connection. A bare host name gets https:// added later.
const SCHEME_RE = /^([a-z][a-z0-9+.-]*):\/\//i;

function hasForeignScheme(hostOrUrl: string): boolean {
  const scheme = SCHEME_RE.exec(hostOrUrl.trim())?.[1];
  return scheme !== undefined && scheme.toLowerCase() !== "https";
}

const SrmSettingsSchema = z.object({
  host: required("host").refine((v) => !hasForeignScheme(v), {
    error: `srm:host must be a host name, host:port or an https:// URL (SRM serves HTTPS only): ${howToSet("host")}.`,
  }),
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
  /** SRM user of the local site. */
  username: string;
  /** Password of {@link username}. */
  password: string;
  /** SRM user of the remote site; required only where an operation logs in to both sites (Reprotect, breaking a pairing). */
  remoteUsername?: string;
  /** Password of {@link remoteUsername}. */
  remotePassword?: string;
  /** How the SRM server certificate is trusted; CA file paths are already read into PEM text. */
  tls: TlsSettings;
  /**
   * The configured site these settings are of (a name in `srm:sites`); absent for the single-site settings
   * (`srm:host` and the rest).
   */
  site?: string;
  /** True when another configured site may be the other end of a pairing (its login then serves remote operations). */
  hasPeerSites?: boolean;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? issue.message : error.message;
}

/**
 * A ConfigError about a setting whose value came from its environment variable names that variable, since
 * the stack config key it talks about is not set at all.
 */
function fromEnvironment(
  e: unknown,
  snapshot: SettingsSnapshot,
  overridden: (name: SettingName) => boolean,
): unknown {
  if (!(e instanceof ConfigError) || !e.setting) return e;
  const name = (Object.keys(CONFIG_KEYS) as SettingName[]).find((n) => CONFIG_KEYS[n].key === e.setting);
  if (!name || snapshot.sources[name] !== "env" || overridden(name)) return e;
  const { key, env } = CONFIG_KEYS[name];
  const message = e.message.includes(key)
    ? e.message.replace(key, `${env} (environment variable; ${key} is not set)`)
    : `${e.message} The value came from the environment variable ${env}.`;
  return new ConfigError(message, e.setting);
}

/** Validates the SRM settings of a snapshot; throws {@link ConfigError} naming the first bad setting. */
export function srmSettings(snapshot: SettingsSnapshot): SrmSettings {
  try {
    return validateSrmSettings(snapshot);
  } catch (e) {
    throw fromEnvironment(e, snapshot, () => false);
  }
}

function validateSrmSettings(snapshot: SettingsSnapshot): SrmSettings {
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
  // The other site's own configured login serves when that site is in srm:sites; the client finds it.
  if (settings.hasPeerSites && !(settings.remoteUsername && !settings.remotePassword)) return;
  const fix = (field: "remoteUsername" | "remotePassword") =>
    settings.site === undefined
      ? `${CONFIG_KEYS[field].key} is not set: ${howToSet(field)}`
      : `srm:sites.${settings.site}.${field} is not set: add the other site to srm:sites (its own login is then ` +
        `used), or set \`pulumi config set --path${field === "remotePassword" ? " --secret" : ""} ` +
        `srm:sites.${settings.site}.${field} <value>\``;
  const key = (field: "remoteUsername" | "remotePassword") =>
    settings.site === undefined ? CONFIG_KEYS[field].key : `srm:sites.${settings.site}.${field}`;
  if (!settings.remoteUsername) {
    throw new ConfigError(
      `${operation} needs the remote site's credentials: ${fix("remoteUsername")}.`,
      key("remoteUsername"),
    );
  }
  if (!settings.remotePassword) {
    throw new ConfigError(
      `${operation} needs the remote site's credentials: ${fix("remotePassword")}.`,
      key("remotePassword"),
    );
  }
}

/** Per-resource values that take precedence over the appliance settings of the snapshot. */
export interface ApplianceOverrides {
  /** Overrides `srm:applianceHost`: host name, `host:port` or `https://` URL of the vCenter appliance. */
  applianceHost?: string;
  /** Overrides `srm:applianceUsername`. */
  applianceUsername?: string;
  /** Overrides `srm:appliancePassword`. */
  appliancePassword?: string;
  /** Overrides `srm:applianceThumbprint`: SHA-256 or SHA-1 thumbprint in hex, colons optional. */
  applianceThumbprint?: string;
  /** Overrides `srm:applianceCaCert`: PEM text or the path of a PEM file. */
  applianceCaCert?: string;
  /** Overrides `srm:applianceInsecure`; `true` skips certificate verification. */
  applianceInsecure?: boolean;
}

/** Validated settings of a vCenter appliance. */
export interface ApplianceSettings {
  /** `https://host[:port]`. */
  url: string;
  /** User of the appliance management API. */
  username: string;
  /** Password of {@link username}. */
  password: string;
  /** How the appliance certificate is trusted; CA file paths are already read into PEM text. */
  tls: TlsSettings;
}

/** Accepts "host", "host:port" or "https://host[:port]" and returns "https://host[:port]". */
export function normalizeApplianceUrl(hostOrUrl: string): string {
  let s = hostOrUrl.trim();
  if (hasForeignScheme(s)) {
    throw new ConfigError(
      `The vCenter appliance host "${hostOrUrl}" must be a host name, host:port or an https:// URL (the ` +
        `appliance API is served over HTTPS only); ${howToSet("applianceHost", "applianceHost")}.`,
      "srm:applianceHost",
    );
  }
  if (!SCHEME_RE.test(s)) s = `https://${s}`;
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
  try {
    return validateApplianceSettings(snapshot, overrides);
  } catch (e) {
    throw fromEnvironment(e, snapshot, (name) => {
      const v = (overrides as Record<string, unknown>)[name];
      return v !== undefined && v !== null && v !== "";
    });
  }
}

function validateApplianceSettings(
  snapshot: SettingsSnapshot,
  overrides: ApplianceOverrides,
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
