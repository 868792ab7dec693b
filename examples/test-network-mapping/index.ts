// During a test recovery, VMs recovered onto the remote site's app network join its test network instead.
// Config (namespace `testnet`, defaults below): remoteVcName, recoveryNetwork, testNetwork; plus the `srm:*`
// settings with the remote site's credentials.
import * as pulumi from "@pulumi/pulumi";
import { TestNetworkMapping, getInventoryObjectOutput, getPairingOutput } from "pulumi-srm";

/** The program: one test network mapping at the recovery site. */
function testNetworkMappingExample() {
  const config = new pulumi.Config("testnet");
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const network = (path: string) =>
    getInventoryObjectOutput({ pairingId: pairing.pairingId, side: "remote", kind: "network", path }).id;
  const mapping = new TestNetworkMapping("app-test-network", {
    pairingId: pairing.pairingId,
    recoveryNetworkId: network(config.get("recoveryNetwork") ?? "/DC-B/network/PG-App-B"),
    testNetworkId: network(config.get("testNetwork") ?? "/DC-B/network/PG-Test-B"),
  });
  return { mappingId: mapping.mappingId, testNetworkName: mapping.testNetworkName };
}

export = testNetworkMappingExample;
