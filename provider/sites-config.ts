// Several SRM servers in one stack: structured config `srm:sites` names each site with its host, login and
// TLS trust, set with `pulumi config set --path [--secret] srm:sites.<name>.<field> <value>`. A resource's
// `site` input picks one; without it the single-site settings (`srm:host` and the rest) apply as before.
import {
  ConfigError,
  isThumbprint,
  loadCaCert,
  parseBooleanSetting,
  srmSettings,
  type SettingsSnapshot,
  type SrmSettings,
} from "./config.js";

/** The fields of one site under `srm:sites.<name>`. */
const SITE_FIELDS = [
  "host",
  "username",
  "password",
  "remoteUsername",
  "remotePassword",
  "thumbprint",
  "caCert",
  "insecure",
] as const;
type SiteField = (typeof SITE_FIELDS)[number];
const SECRET_FIELDS: ReadonlySet<SiteField> = new Set(["password", "remotePassword"]);
const REQUIRED_FIELDS: readonly SiteField[] = ["host", "username", "password"];

// The engine may pass a structured value whose secret leaves are still wrapped in Pulumi's secret envelope
// (only the top level is unwrapped for a dynamic provider); the value is what counts here.
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value === null || typeof value !== "object") return value;
  const o = value as Record<string, unknown>;
  if (o[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(o.value);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, unwrapSecrets(v)]));
}

function howToSetField(site: string, field: SiteField): string {
  const secret = SECRET_FIELDS.has(field) ? " --secret" : "";
  return `\`pulumi config set --path${secret} srm:sites.${site}.${field} <value>\``;
}

function fromEnv(snapshot: SettingsSnapshot): string {
  return snapshot.sources.sites === "env" ? " (read from the environment variable SRM_SITES)" : "";
}

/** The raw `srm:sites` object: site name -> its fields as strings. Throws a ConfigError naming the bad path. */
function rawSites(snapshot: SettingsSnapshot): Record<string, Partial<Record<SiteField, string>>> {
  const text = snapshot.values.sites;
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = unwrapSecrets(JSON.parse(text));
  } catch {
    throw new ConfigError(
      `srm:sites${fromEnv(snapshot)} must be an object of sites (JSON when set as one value); set each field ` +
        `with \`pulumi config set --path srm:sites.<name>.host <value>\`.`,
      "srm:sites",
    );
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new ConfigError(
      `srm:sites${fromEnv(snapshot)} must be an object of sites by name, e.g. srm:sites.siteA.host; set each ` +
        `field with \`pulumi config set --path srm:sites.<name>.host <value>\`.`,
      "srm:sites",
    );
  }
  const out: Record<string, Partial<Record<SiteField, string>>> = {};
  for (const [name, site] of Object.entries(parsed as Record<string, unknown>)) {
    if (site === null || typeof site !== "object" || Array.isArray(site)) {
      throw new ConfigError(
        `srm:sites.${name}${fromEnv(snapshot)} must be an object with host, username and password; set them with ` +
          `${howToSetField(name, "host")} and the like.`,
        `srm:sites.${name}`,
      );
    }
    const fields: Partial<Record<SiteField, string>> = {};
    for (const [field, value] of Object.entries(site as Record<string, unknown>)) {
      if (!(SITE_FIELDS as readonly string[]).includes(field)) {
        throw new ConfigError(
          `srm:sites.${name}.${field}${fromEnv(snapshot)} is not a site setting; a site has ${SITE_FIELDS.join(", ")}.`,
          `srm:sites.${name}.${field}`,
        );
      }
      if (value === undefined || value === null || value === "") continue;
      if (typeof value === "object") {
        throw new ConfigError(
          `srm:sites.${name}.${field}${fromEnv(snapshot)} must be a single value, not an object or list; set it ` +
            `with ${howToSetField(name, field as SiteField)}.`,
          `srm:sites.${name}.${field}`,
        );
      }
      fields[field as SiteField] = String(value);
    }
    out[name] = fields;
  }
  return out;
}

/** Names of the sites in `srm:sites`, in config order; throws a ConfigError when `srm:sites` is malformed. */
export function configuredSites(snapshot: SettingsSnapshot): string[] {
  return Object.keys(rawSites(snapshot));
}

/**
 * The validated settings of one site: `site` names an entry of `srm:sites`; without it the single-site
 * settings apply. Throws a {@link ConfigError} naming the config path at fault, e.g. `srm:sites.siteB.host`.
 */
export function siteSettings(snapshot: SettingsSnapshot, site?: string): SrmSettings {
  if (site === undefined) {
    const settings = srmSettings(snapshot);
    return { ...settings, hasPeerSites: configuredSites(snapshot).length > 0 };
  }
  const sites = rawSites(snapshot);
  const fields = Object.hasOwn(sites, site) ? sites[site] : undefined;
  if (!fields) {
    const known = Object.keys(sites);
    throw new ConfigError(
      `no site "${site}" in srm:sites${fromEnv(snapshot)} (${known.length > 0 ? `configured: ${known.join(", ")}` : "none is configured"}); ` +
        `add it with ${howToSetField(site, "host")}, ${howToSetField(site, "username")} and ` +
        `${howToSetField(site, "password")}, or fix the resource's site input.`,
      `srm:sites.${site}`,
    );
  }
  for (const field of REQUIRED_FIELDS) {
    if (fields[field] === undefined) {
      throw new ConfigError(
        `srm:sites.${site}.${field} is not set${fromEnv(snapshot)}: set it with ${howToSetField(site, field)}.`,
        `srm:sites.${site}.${field}`,
      );
    }
  }
  const host = fields.host!;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(host.trim())?.[1];
  if (scheme !== undefined && scheme.toLowerCase() !== "https") {
    throw new ConfigError(
      `srm:sites.${site}.host must be a host name, host:port or an https:// URL (SRM serves HTTPS only); set ` +
        `it with ${howToSetField(site, "host")}.`,
      `srm:sites.${site}.host`,
    );
  }
  if (fields.thumbprint !== undefined && !isThumbprint(fields.thumbprint)) {
    throw new ConfigError(
      `srm:sites.${site}.thumbprint must be a SHA-256 (64 hex digits) or SHA-1 (40 hex digits) thumbprint, colons optional.`,
      `srm:sites.${site}.thumbprint`,
    );
  }
  return {
    host,
    username: fields.username!,
    password: fields.password!,
    remoteUsername: fields.remoteUsername,
    remotePassword: fields.remotePassword,
    tls: {
      thumbprint: fields.thumbprint,
      caCert: renamed(site, "caCert", () => loadCaCert(fields.caCert, "caCert")),
      insecure: renamed(site, "insecure", () => parseBooleanSetting(fields.insecure, "insecure")),
    },
    site,
    hasPeerSites: Object.keys(sites).length > 1 || snapshot.values.host !== undefined,
  };
}

/** Runs a single-site parser and says `srm:sites.<site>.<field>` in its error instead of the single-site key. */
function renamed<T>(site: string, field: "caCert" | "insecure", parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const message = e.message
      .replace(/srm:\w+ \(or SRM_\w+\)/, `srm:sites.${site}.${field}`)
      .replace(/srm:\w+/, `srm:sites.${site}.${field}`);
    throw new ConfigError(message, `srm:sites.${site}.${field}`);
  }
}

/** Every other configured site than `site` (the single-site settings count as one when `srm:host` is set). */
export function peerSites(snapshot: SettingsSnapshot, site?: string): (string | undefined)[] {
  const named: (string | undefined)[] = configuredSites(snapshot).filter((n) => n !== site);
  if (site !== undefined && snapshot.values.host !== undefined) named.push(undefined);
  return named;
}
