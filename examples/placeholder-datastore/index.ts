// Gives the recovery site a placeholder datastore: the first datastore SRM finds suitable there (not
// replicated), unless config `placeholder:datastore` names one by path. Config (namespace `placeholder`):
// remoteVcName, datastore; plus the `srm:*` settings with the remote site's credentials.
import * as pulumi from "@pulumi/pulumi";
import {
  PlaceholderDatastore,
  getInventoryObjectOutput,
  getPairingOutput,
  getSuitablePlaceholderDatastoresOutput,
} from "pulumi-srm";

/** The program: one placeholder datastore at the remote (recovery) site. */
function placeholderDatastoreExample() {
  const config = new pulumi.Config("placeholder");
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const path = config.get("datastore");
  const datastoreId = path
    ? getInventoryObjectOutput({ pairingId: pairing.pairingId, side: "remote", kind: "datastore", path }).id
    : getSuitablePlaceholderDatastoresOutput({ pairingId: pairing.pairingId, side: "remote" }).apply(
        (list) => {
          if (list.length === 0)
            throw new Error("SRM finds no datastore at the recovery site suitable for placeholders");
          return list[0].datastoreId;
        },
      );
  const placeholder = new PlaceholderDatastore("placeholders", {
    pairingId: pairing.pairingId,
    recoverySite: "remote",
    datastoreId,
  });
  return { datastore: placeholder.datastoreName, visibleTo: placeholder.visibleTo };
}

export = placeholderDatastoreExample;
