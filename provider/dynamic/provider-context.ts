// What every provider method gets besides its arguments: the connection settings snapshot (from configure or
// the environment), the configured site it acts on, and the sink for progress lines. Clients are built from
// it on demand.
import type { SettingsSnapshot, SrmSettings } from "../config.js";
import { peerSites, siteSettings } from "../sites-config.js";
import { registerSecret } from "../client/errors.js";
import { getSrmClient, normalizeSrmUrl, type SrmClient } from "../client/index.js";

/** Per-call context of a provider implementation. */
export interface ProviderContext {
  /** Connection settings captured at configure time (else read from the environment); validated only on use. */
  readonly snapshot: SettingsSnapshot;
  /** The site in `srm:sites` the call acts on (a resource's `site` input); absent: the single-site settings. */
  readonly site?: string;
  /** Progress and warning lines; default stderr. */
  readonly log: (line: string) => void;
}

type PeerLogin = { username: string; password: string; source: string } | undefined;

/** Remote logins found per snapshot, acting site and pairing, so the other sites are asked once per process. */
const peerLogins = new WeakMap<SettingsSnapshot, Map<string, Promise<PeerLogin>>>();

/** The shared SRM client for the site the call acts on (one session per host and user per process). @internal */
export function srmClientFor(ctx: ProviderContext): { client: SrmClient; settings: SrmSettings } {
  const settings = siteSettings(ctx.snapshot, ctx.site);
  return { client: clientOf(ctx, settings, true), settings };
}

function clientOf(ctx: ProviderContext, settings: SrmSettings, findPeers: boolean): SrmClient {
  registerSecret(settings.password);
  registerSecret(settings.remotePassword);
  return getSrmClient({
    url: normalizeSrmUrl(settings.host),
    username: settings.username,
    password: settings.password,
    remoteUsername: settings.remoteUsername,
    remotePassword: settings.remotePassword,
    remoteCredentialsFor:
      findPeers && settings.hasPeerSites ? (pairingId) => peerLogin(ctx, pairingId) : undefined,
    settingsPrefix: settings.site === undefined ? undefined : `srm:sites.${settings.site}.`,
    tls: settings.tls,
    log: (line: string) => ctx.log(line.startsWith("srm:") ? line : `srm: ${line}`),
  });
}

/**
 * The login of the configured site at the other end of a pairing: the site whose SRM server lists itself
 * (`local_srm_server`) as the pairing's `remote_srm_server` here. SRM server ids identify the servers
 * whatever host name or address each side is configured with.
 */
function peerLogin(ctx: ProviderContext, pairingId: string): Promise<PeerLogin> {
  let cache = peerLogins.get(ctx.snapshot);
  if (!cache) peerLogins.set(ctx.snapshot, (cache = new Map()));
  const key = `${ctx.site ?? ""}\u0000${pairingId}`;
  let found = cache.get(key);
  if (!found) {
    found = findPeerLogin(ctx, pairingId);
    cache.set(key, found);
    found.catch(() => cache.delete(key));
  }
  return found;
}

async function findPeerLogin(ctx: ProviderContext, pairingId: string): Promise<PeerLogin> {
  const own = clientOf(ctx, siteSettings(ctx.snapshot, ctx.site), false);
  const remoteSrm = (await own.getPairing(pairingId))?.remote_srm_server?.id;
  if (!remoteSrm) return undefined;
  for (const peer of peerSites(ctx.snapshot, ctx.site)) {
    const label = peer === undefined ? "srm:host" : `srm:sites.${peer}`;
    try {
      const settings = siteSettings(ctx.snapshot, peer);
      const pairings = await clientOf(ctx, settings, false).listPairings();
      if (pairings.some((p) => p.local_srm_server?.id === remoteSrm)) {
        const prefix = peer === undefined ? "srm:" : `srm:sites.${peer}.`;
        return {
          username: settings.username,
          password: settings.password,
          source: `${prefix}username and ${prefix}password (the site at the other end of pairing ${pairingId})`,
        };
      }
    } catch (e) {
      ctx.log(
        `srm: cannot ask ${label} whether it is the other end of pairing ${pairingId}: ` +
          `${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }
  return undefined;
}
