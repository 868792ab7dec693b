// Pairs the local SRM site with another site. Run it with:
//   pulumi config set pairing:remoteVcGuid <uuid of the remote vCenter>
//   pulumi config set pairing:pscUrl vc-c.example.local
//   pulumi config set pairing:pscThumbprint <SHA-256 of the remote PSC certificate>
//   pulumi config set pairing:pscUsername administrator@vsphere.local
//   pulumi config set --secret pairing:pscPassword ...
//   pulumi config set pairing:adopt true     (only to take over an existing pairing to that vCenter; destroy
//                                            then breaks it)
// plus the `srm:*` connection settings (README).
import * as pulumi from "@pulumi/pulumi";
import { Pairing } from "pulumi-srm";

/** The program: one pairing; exports its id and the connection status of both sites. */
function pairingExample() {
  const config = new pulumi.Config("pairing");
  const pairing = new Pairing("site-c", {
    remoteVcGuid: config.require("remoteVcGuid"),
    pscUrl: config.require("pscUrl"),
    pscThumbprint: config.get("pscThumbprint"),
    pscUsername: config.require("pscUsername"),
    pscPassword: config.requireSecret("pscPassword"),
    adopt: config.getBoolean("adopt") ?? false,
  });
  return {
    pairingId: pairing.pairingId,
    remoteVcName: pairing.remoteVcName,
    remoteVcServerStatus: pairing.remoteVcServerStatus,
    remoteSrmServerStatus: pairing.remoteSrmServerStatus,
    adopted: pairing.adopted,
  };
}

export = pairingExample;
