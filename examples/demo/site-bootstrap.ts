// The site bootstrap of the demo: what SRM needs before any VM can be protected. Folders, networks,
// resource pools and storage policies of site A are mapped to site B and back (for reprotect), the app
// network carries IP subnet rules, recovered app VMs join a test network during tests, and site B gets a
// placeholder datastore. Every id comes from a lookup by path or name.
import * as pulumi from "@pulumi/pulumi";
import {
  getInventoryObjectOutput,
  InventoryMapping,
  PlaceholderDatastore,
  TestNetworkMapping,
  type InventoryMappingKind,
} from "pulumi-srm";

/** Resources the bootstrap declares (the demo's step counts include them). */
export const SITE_BOOTSTRAP_RESOURCES = 6;

/** Declares the bootstrap in the pairing; returns its resources so the runbook can depend on them. */
export function siteBootstrap(pairingId: pulumi.Input<string>): pulumi.Resource[] {
  const at = (side: "local" | "remote", kind: "folder" | "network" | "compute" | "datastore", path: string) =>
    getInventoryObjectOutput({ pairingId, side, kind, path }).id;
  const policy = (side: "local" | "remote", name: string) =>
    getInventoryObjectOutput({ pairingId, side, kind: "storage-policy", name }).id;
  const map = (
    name: string,
    kind: InventoryMappingKind,
    sourceId: pulumi.Input<string>,
    targetId: pulumi.Input<string>,
    extra: Partial<{
      ipSubnetRules: {
        name: string;
        localSubnet: string;
        remoteSubnet: string;
        defaultGateway: string;
        dnsServers: string[];
      }[];
    }> = {},
  ) => new InventoryMapping(name, { pairingId, kind, sourceId, targetId, reverse: true, ...extra });

  const network = map(
    "map-network-app",
    "network",
    at("local", "network", "/DC-A/network/PG-App-A"),
    at("remote", "network", "/DC-B/network/PG-App-B"),
    {
      ipSubnetRules: [
        {
          name: "app-subnet",
          localSubnet: "10.1.0.0/24",
          remoteSubnet: "10.2.0.0/24",
          defaultGateway: "10.2.0.1",
          dnsServers: ["10.2.0.53"],
        },
      ],
    },
  );
  return [
    map(
      "map-folder-apps",
      "folder",
      at("local", "folder", "/DC-A/vm/Apps"),
      at("remote", "folder", "/DC-B/vm/Apps"),
    ),
    network,
    map(
      "map-pool-prod",
      "resource-pool",
      at("local", "compute", "/DC-A/host/Cluster-A/Resources/Prod"),
      at("remote", "compute", "/DC-B/host/Cluster-B/Resources/Prod"),
    ),
    map("map-policy-gold", "storage-policy", policy("local", "Gold"), policy("remote", "Gold")),
    new TestNetworkMapping("test-network-app", {
      pairingId,
      recoveryNetworkId: network.targetId,
      testNetworkId: at("remote", "network", "/DC-B/network/PG-Test-B"),
    }),
    new PlaceholderDatastore("placeholder-b", {
      pairingId,
      recoverySite: "remote",
      datastoreId: at("remote", "datastore", "/DC-B/datastore/ds-b-local-01"),
    }),
  ];
}
