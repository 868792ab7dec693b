// What every provider method gets besides its arguments: the connection settings snapshot (from configure or
// the environment) and the sink for progress lines. Clients are built from it on demand.
import type { SettingsSnapshot } from "../config.js";
import { srmSettings, type SrmSettings } from "../config.js";
import { registerSecret } from "../client/errors.js";
import { getSrmClient, normalizeSrmUrl, type SrmClient } from "../client/index.js";

/** Per-call context of a provider implementation. */
export interface ProviderContext {
  /** Connection settings captured at configure time (else read from the environment); validated only on use. */
  readonly snapshot: SettingsSnapshot;
  /** Progress and warning lines; default stderr. */
  readonly log: (line: string) => void;
}

/** The shared SRM client for the configured site (one session per host and user per process). @internal */
export function srmClientFor(ctx: ProviderContext): { client: SrmClient; settings: SrmSettings } {
  const settings = srmSettings(ctx.snapshot);
  registerSecret(settings.password);
  registerSecret(settings.remotePassword);
  const client = getSrmClient({
    url: normalizeSrmUrl(settings.host),
    username: settings.username,
    password: settings.password,
    remoteUsername: settings.remoteUsername,
    remotePassword: settings.remotePassword,
    tls: settings.tls,
    log: (line: string) => ctx.log(line.startsWith("srm:") ? line : `srm: ${line}`),
  });
  return { client, settings };
}
