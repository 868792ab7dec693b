// Maps a VM network of the local site to one at the remote site and back (so reprotect has the reverse),
// with an IP subnet rule for the recovered VMs. Objects are found by their vSphere path. Config (namespace
// `mapping`, defaults below): remoteVcName, sourceNetwork, targetNetwork; plus the `srm:*` settings with
// the remote site's credentials (SRM changes mappings only with both sites logged in).
import * as pulumi from "@pulumi/pulumi";
import { InventoryMapping, getInventoryObjectOutput, getPairingOutput } from "pulumi-srm";

/** The program: one network mapping both ways with one IP subnet rule. */
function inventoryMappingExample() {
  const config = new pulumi.Config("mapping");
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const network = (side: "local" | "remote", path: string) =>
    getInventoryObjectOutput({ pairingId: pairing.pairingId, side, kind: "network", path }).id;
  const mapping = new InventoryMapping("app-network", {
    pairingId: pairing.pairingId,
    kind: "network",
    sourceId: network("local", config.get("sourceNetwork") ?? "/DC-A/network/PG-App-A"),
    targetId: network("remote", config.get("targetNetwork") ?? "/DC-B/network/PG-App-B"),
    reverse: true,
    ipSubnetRules: [
      {
        name: "app-subnet",
        localSubnet: "10.1.0.0/24",
        remoteSubnet: "10.2.0.0/24",
        defaultGateway: "10.2.0.1",
        dnsServers: ["10.2.0.53"],
      },
    ],
  });
  return {
    mappingId: mapping.mappingId,
    reverseMappingId: mapping.reverseMappingId,
    reverseMappingType: mapping.reverseMappingType,
    mapped: pulumi.interpolate`${mapping.sourceName} -> ${mapping.targetName}`,
  };
}

export = inventoryMappingExample;
