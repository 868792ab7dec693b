import { z } from "zod";
import { DATASTORE_FILE_SYSTEM_TYPES, ReplicationStatus } from "../provider/api/index.js";

const Named = { id: z.string().min(1), name: z.string().min(1) };

/**
 * One vCenter's inventory as an inventory file writes it. Every object names its parent by id, so a
 * test can add objects without computing paths; paths are derived (`/DC/vm/Folder/...`).
 */
export const VcenterInventorySchema = z.object({
  vcGuid: z.string().min(1),
  datacenters: z.array(z.object(Named)).default([]),
  /** VM folders; `parent` is a datacenter (its `vm` folder) or another VM folder. */
  folders: z.array(z.object({ ...Named, parent: z.string().min(1) })).default([]),
  /** Networks and distributed port groups of a datacenter. */
  networks: z.array(z.object({ ...Named, datacenter: z.string().min(1) })).default([]),
  /**
   * Clusters and hosts (parent: a datacenter) and resource pools (parent: a cluster, host or pool).
   * A cluster's root pool is a resource pool named `Resources`, as vCenter shows it.
   */
  compute: z
    .array(
      z.object({
        ...Named,
        parent: z.string().min(1),
        type: z.enum(["cluster", "host", "resource-pool"]),
      }),
    )
    .default([]),
  datastores: z
    .array(
      z.object({
        ...Named,
        datacenter: z.string().min(1),
        fileSystemType: z.enum(DATASTORE_FILE_SYSTEM_TYPES).default("VMFS"),
        capacityGb: z.number().int().min(1).default(1024),
        usedGb: z.number().int().min(0).default(256),
        /** Backed by array-based or vSphere Replication to the other site (never a placeholder). */
        replicated: z.boolean().default(false),
        /** Clusters and hosts that mount it (placeholder `visible_to`); default: every cluster of the datacenter. */
        visibleTo: z.array(z.string()).optional(),
      }),
    )
    .default([]),
  storagePolicies: z.array(z.object(Named)).default([]),
  vms: z
    .array(
      z.object({
        ...Named,
        folder: z.string().min(1),
        datastore: z.string().min(1),
        network: z.string().min(1),
        /** Resource pool, cluster or host it runs in. */
        compute: z.string().min(1),
        /** Replicated to the other site, so a protection group can take it. */
        replicated: z.boolean().default(false),
        replicationStatus: ReplicationStatus.default("OK"),
      }),
    )
    .default([]),
});
export type VcenterInventory = z.infer<typeof VcenterInventorySchema>;
/** A vCenter inventory as written in JSON (defaults not yet applied). */
export type VcenterInventoryInput = z.input<typeof VcenterInventorySchema>;

/**
 * The default inventory of one site: ids are managed-object ids in a range of their own per site
 * (`base` 1000 for A, 2000 for B, ...) so an id taken from the wrong site is never valid by accident.
 * Names carry the site letter where vSphere admins usually make them differ (networks, clusters,
 * datastores); folder and storage-policy names are the same at every site, as they usually are.
 */
export function siteVcenterInventory(vcGuid: string, letter: string, base: number): VcenterInventoryInput {
  const id = (prefix: string, n: number) => `${prefix}${base + n}`;
  const dc = id("datacenter-", 1);
  const cluster = id("domain-c", 30);
  const rootPool = id("resgroup-", 31);
  const folder = (n: number) => id("group-v", n);
  return {
    vcGuid,
    datacenters: [{ id: dc, name: `DC-${letter}` }],
    folders: [
      { id: folder(10), name: "Apps", parent: dc },
      { id: folder(11), name: "Web", parent: folder(10) },
      { id: folder(12), name: "Databases", parent: dc },
      { id: folder(13), name: "Infra", parent: dc },
    ],
    networks: [
      { id: id("network-", 20), name: "VM Network", datacenter: dc },
      { id: id("dvportgroup-", 21), name: `PG-App-${letter}`, datacenter: dc },
      { id: id("dvportgroup-", 22), name: `PG-DB-${letter}`, datacenter: dc },
      { id: id("dvportgroup-", 23), name: `PG-Test-${letter}`, datacenter: dc },
    ],
    compute: [
      { id: cluster, name: `Cluster-${letter}`, parent: dc, type: "cluster" },
      { id: rootPool, name: "Resources", parent: cluster, type: "resource-pool" },
      { id: id("resgroup-", 32), name: "Prod", parent: rootPool, type: "resource-pool" },
      { id: id("resgroup-", 33), name: "Test", parent: rootPool, type: "resource-pool" },
    ],
    datastores: [
      {
        id: id("datastore-", 40),
        name: `ds-${letter.toLowerCase()}-repl-01`,
        datacenter: dc,
        replicated: true,
      },
      {
        id: id("datastore-", 41),
        name: `ds-${letter.toLowerCase()}-repl-02`,
        datacenter: dc,
        replicated: true,
      },
      {
        id: id("datastore-", 42),
        name: `ds-${letter.toLowerCase()}-local-01`,
        datacenter: dc,
        capacityGb: 200,
      },
      {
        id: id("datastore-", 43),
        name: `ds-${letter.toLowerCase()}-nfs-01`,
        datacenter: dc,
        fileSystemType: "NFS",
        capacityGb: 500,
      },
    ],
    storagePolicies: [
      {
        id: `${letter.toLowerCase().repeat(8)}-5000-4000-8000-${String(base + 50).padStart(12, "0")}`,
        name: "Gold",
      },
      {
        id: `${letter.toLowerCase().repeat(8)}-5000-4000-8000-${String(base + 51).padStart(12, "0")}`,
        name: "Silver",
      },
    ],
    vms: [
      vm(
        id("vm-", 100),
        `app-${letter.toLowerCase()}-01`,
        folder(11),
        id("datastore-", 40),
        id("dvportgroup-", 21),
        true,
      ),
      vm(
        id("vm-", 101),
        `app-${letter.toLowerCase()}-02`,
        folder(11),
        id("datastore-", 40),
        id("dvportgroup-", 21),
        true,
      ),
      vm(
        id("vm-", 102),
        `db-${letter.toLowerCase()}-01`,
        folder(12),
        id("datastore-", 41),
        id("dvportgroup-", 22),
        true,
      ),
      vm(
        id("vm-", 103),
        `jump-${letter.toLowerCase()}-01`,
        folder(13),
        id("datastore-", 42),
        id("network-", 20),
        false,
      ),
    ].map((v) => ({ ...v, compute: id("resgroup-", 32) })),
  };
}

function vm(
  id: string,
  name: string,
  folder: string,
  datastore: string,
  network: string,
  replicated: boolean,
) {
  return { id, name, folder, datastore, network, replicated };
}
