// The two sites of a pairing as the site-bootstrap resources name them: "local" (the SRM server in srm:host)
// and "remote" (its pair). Mappings, test networks and placeholder datastores are kept per SRM server.
import { z } from "zod";
import type { SrmClient } from "../client/index.js";
import { requireRemoteCredentials, type SrmSettings } from "../config.js";

/** `local` (the SRM server in `srm:host`) or `remote` (the other site of the pairing). */
export type SiteSide = "local" | "remote";

/** Which SRM server of the pairing, as an input field. @internal */
export const SiteSideSchema = z.enum(["local", "remote"], { error: 'must be "local" or "remote"' });

/** One site of a pairing: its SRM server and vCenter. */
export interface PairingSite {
  srmId: string;
  srmName: string;
  vcGuid: string;
  vcName: string;
}

/** Both sites of a pairing, read from SRM. Throws naming the pairing when SRM does not know it. @internal */
export async function pairingSites(
  client: SrmClient,
  pairingId: string,
): Promise<Record<SiteSide, PairingSite>> {
  const p = await client.getPairing(pairingId);
  if (!p) {
    throw new Error(
      `pairing ${pairingId} does not exist in SRM ${client.url}. Use getPairing to find the id of the pairing.`,
    );
  }
  const site = (srm: typeof p.local_srm_server, vc: typeof p.local_vc_server, side: string): PairingSite => {
    if (!srm?.id || !vc?.id)
      throw new Error(`SRM did not name the ${side} SRM server and vCenter of pairing ${pairingId}`);
    return { srmId: srm.id, srmName: srm.name ?? srm.id, vcGuid: vc.id, vcName: vc.name ?? vc.id };
  };
  return {
    local: site(p.local_srm_server, p.local_vc_server, "local"),
    remote: site(p.remote_srm_server, p.remote_vc_server, "remote"),
  };
}

/** The other side. @internal */
export function otherSide(side: SiteSide): SiteSide {
  return side === "local" ? "remote" : "local";
}

/**
 * Logs in to the remote site of the pairing, which SRM requires for every mapping operation (the spec's
 * remote-site contract of these operations is "ERROR" when not logged in).
 * @internal
 */
export async function loginBothSites(
  client: SrmClient,
  settings: SrmSettings,
  pairingId: string,
  operation: string,
): Promise<void> {
  requireRemoteCredentials(settings, operation);
  await client.remoteLogin(pairingId);
}
