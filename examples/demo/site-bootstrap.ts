// The site bootstrap of the demo: what SRM needs before any VM can be protected. Folders, networks,
// resource pools and storage policies of site A are mapped to site B at site A's SRM server, and back (for
// reprotect) at site B's own server (`site: siteB`, a login of its own from `srm:sites`); the app network
// carries IP subnet rules both ways, recovered app VMs join a test network during tests, and site B gets a
// placeholder datastore. Every id comes from a lookup by path or name, at the site that holds the object.
import * as pulumi from "@pulumi/pulumi";
import {
  getInventoryObjectOutput,
  InventoryMapping,
  PlaceholderDatastore,
  TestNetworkMapping,
  type InventoryMappingKind,
} from "pulumi-srm";

/** Resources the bootstrap declares (the demo's step counts include them). */
export const SITE_BOOTSTRAP_RESOURCES = 10;

type Kind = "folder" | "network" | "compute" | "datastore";

/** The IP subnet rule of the app network, from `from` to `to` (10.1.0.0/24 at site A, 10.2.0.0/24 at B). */
const appSubnetRule = (from: 1 | 2, to: 1 | 2) => ({
  name: "app-subnet",
  localSubnet: `10.${from}.0.0/24`,
  remoteSubnet: `10.${to}.0.0/24`,
  defaultGateway: `10.${to}.0.1`,
  dnsServers: [`10.${to}.0.53`],
});

/**
 * Declares the bootstrap: site A's mappings in `pairingId` at the single-site server, site B's in `pairingIdAtB`
 * (the same pairing as site B's server lists it) at `siteB`. Returns the resources so the runbooks can depend on them.
 */
export function siteBootstrap(
  pairingId: pulumi.Input<string>,
  siteB: string,
  pairingIdAtB: pulumi.Input<string>,
): pulumi.Resource[] {
  const at = (side: "local" | "remote", kind: Kind, path: string) =>
    getInventoryObjectOutput({ pairingId, side, kind, path }).id;
  const atB = (side: "local" | "remote", kind: Kind, path: string) =>
    getInventoryObjectOutput({ pairingId: pairingIdAtB, site: siteB, side, kind, path }).id;
  const policy = (side: "local" | "remote", name: string) =>
    getInventoryObjectOutput({ pairingId, side, kind: "storage-policy", name }).id;
  const policyAtB = (side: "local" | "remote", name: string) =>
    getInventoryObjectOutput({ pairingId: pairingIdAtB, site: siteB, side, kind: "storage-policy", name }).id;
  /** A mapping at site A's server and its reverse at site B's, each in its own server's terms. */
  const both = (
    name: string,
    kind: InventoryMappingKind,
    a: [pulumi.Input<string>, pulumi.Input<string>],
    b: [pulumi.Input<string>, pulumi.Input<string>],
    rules?: [ReturnType<typeof appSubnetRule>, ReturnType<typeof appSubnetRule>],
  ): [InventoryMapping, InventoryMapping] => [
    new InventoryMapping(name, {
      pairingId,
      kind,
      sourceId: a[0],
      targetId: a[1],
      ...(rules ? { ipSubnetRules: [rules[0]] } : {}),
    }),
    new InventoryMapping(`${name}-back`, {
      site: siteB,
      pairingId: pairingIdAtB,
      kind,
      sourceId: b[0],
      targetId: b[1],
      ...(rules ? { ipSubnetRules: [rules[1]] } : {}),
    }),
  ];

  const folders = both(
    "map-folder-apps",
    "folder",
    [at("local", "folder", "/DC-A/vm/Apps"), at("remote", "folder", "/DC-B/vm/Apps")],
    [atB("local", "folder", "/DC-B/vm/Apps"), atB("remote", "folder", "/DC-A/vm/Apps")],
  );
  const networks = both(
    "map-network-app",
    "network",
    [at("local", "network", "/DC-A/network/PG-App-A"), at("remote", "network", "/DC-B/network/PG-App-B")],
    [atB("local", "network", "/DC-B/network/PG-App-B"), atB("remote", "network", "/DC-A/network/PG-App-A")],
    [appSubnetRule(1, 2), appSubnetRule(2, 1)],
  );
  const pools = both(
    "map-pool-prod",
    "resource-pool",
    [
      at("local", "compute", "/DC-A/host/Cluster-A/Resources/Prod"),
      at("remote", "compute", "/DC-B/host/Cluster-B/Resources/Prod"),
    ],
    [
      atB("local", "compute", "/DC-B/host/Cluster-B/Resources/Prod"),
      atB("remote", "compute", "/DC-A/host/Cluster-A/Resources/Prod"),
    ],
  );
  const policies = both(
    "map-policy-gold",
    "storage-policy",
    [policy("local", "Gold"), policy("remote", "Gold")],
    [policyAtB("local", "Gold"), policyAtB("remote", "Gold")],
  );
  return [
    ...folders,
    ...networks,
    ...pools,
    ...policies,
    new TestNetworkMapping("test-network-app", {
      pairingId,
      recoveryNetworkId: networks[0].targetId,
      testNetworkId: at("remote", "network", "/DC-B/network/PG-Test-B"),
    }),
    new PlaceholderDatastore("placeholder-b", {
      pairingId,
      recoverySite: "remote",
      datastoreId: at("remote", "datastore", "/DC-B/datastore/ds-b-local-01"),
    }),
  ];
}
