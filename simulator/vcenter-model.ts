import type {
  StoragePolicy,
  VcenterDatastoreItem,
  VcenterInventoryItem,
  VcenterInventoryKind,
  VmReplicationInfo,
} from "../provider/api/index.js";
import type { VcenterInventory } from "./vcenter-inventory.js";

/** What an inventory object is; the listing kinds of the API group them (compute: cluster, host, pool). */
export type VcenterObjectType =
  | "datacenter"
  | "folder"
  | "network"
  | "cluster"
  | "host"
  | "resource-pool"
  | "datastore"
  | "storage-policy"
  | "vm";

/** One object of a simulated vCenter. */
export interface VcenterObject {
  type: VcenterObjectType;
  id: string;
  name: string;
  /** Parent object id (null for datacenters and storage policies). */
  parent: string | null;
  /** Datastores: file system, sizes, replication, visibility. VMs: placement and replication. */
  datastore?: VcenterInventory["datastores"][number];
  vm?: VcenterInventory["vms"][number];
}

/** The datacenter sub-folder each type lives under in an inventory path. */
const CONTAINER: Partial<Record<VcenterObjectType, string>> = {
  folder: "vm",
  vm: "vm",
  network: "network",
  cluster: "host",
  host: "host",
  "resource-pool": "host",
  datastore: "datastore",
};

/** Object types each listing kind of the API returns. */
export const KIND_TYPES: Record<VcenterInventoryKind, VcenterObjectType[]> = {
  "vm-folder": ["folder"],
  network: ["network"],
  compute: ["cluster", "host", "resource-pool"],
  datastores: ["datastore"],
};

/**
 * The live inventory of one vCenter: objects by id, paths as vSphere writes them (`/DC-A/vm/Apps/Web`),
 * children by path. Tests rename or remove objects through it to model changes made in vCenter.
 */
export class VcenterModel {
  readonly objects = new Map<string, VcenterObject>();

  constructor(readonly inventory: VcenterInventory) {
    const add = (o: VcenterObject) => {
      if (this.objects.has(o.id)) throw new Error(`vCenter ${inventory.vcGuid}: duplicate object id ${o.id}`);
      this.objects.set(o.id, o);
    };
    for (const d of inventory.datacenters) add({ type: "datacenter", id: d.id, name: d.name, parent: null });
    for (const f of inventory.folders) add({ type: "folder", id: f.id, name: f.name, parent: f.parent });
    for (const n of inventory.networks)
      add({ type: "network", id: n.id, name: n.name, parent: n.datacenter });
    for (const c of inventory.compute) add({ type: c.type, id: c.id, name: c.name, parent: c.parent });
    for (const d of inventory.datastores)
      add({ type: "datastore", id: d.id, name: d.name, parent: d.datacenter, datastore: d });
    for (const p of inventory.storagePolicies)
      add({ type: "storage-policy", id: p.id, name: p.name, parent: null });
    for (const v of inventory.vms) add({ type: "vm", id: v.id, name: v.name, parent: v.folder, vm: v });
    for (const o of this.objects.values()) {
      if (o.parent !== null && !this.objects.has(o.parent))
        throw new Error(`vCenter ${inventory.vcGuid}: ${o.type} ${o.id} has unknown parent ${o.parent}`);
    }
  }

  get vcGuid(): string {
    return this.inventory.vcGuid;
  }

  /** The object with this id when it is one of `types`. */
  find(id: string, types?: readonly VcenterObjectType[]): VcenterObject | undefined {
    const o = this.objects.get(id);
    return o && (!types || types.includes(o.type)) ? o : undefined;
  }

  /** The datacenter an object belongs to. */
  datacenterOf(o: VcenterObject): VcenterObject | undefined {
    let cur: VcenterObject | undefined = o;
    while (cur && cur.type !== "datacenter") cur = cur.parent ? this.objects.get(cur.parent) : undefined;
    return cur;
  }

  /** `/DC-A/vm/Apps/Web` for a folder, `/DC-A` for a datacenter; storage policies have just their name. */
  pathOf(o: VcenterObject): string {
    if (o.type === "storage-policy") return o.name;
    const names: string[] = [];
    let cur: VcenterObject | undefined = o;
    while (cur && cur.type !== "datacenter") {
      names.unshift(cur.name);
      cur = cur.parent ? this.objects.get(cur.parent) : undefined;
    }
    if (!cur) return `/${names.join("/")}`;
    return o.type === "datacenter" ? `/${cur.name}` : `/${cur.name}/${CONTAINER[o.type]}/${names.join("/")}`;
  }

  /**
   * The children of `path` that a listing of `kind` returns: without a path the datacenters; for a
   * datacenter (`/DC-A`, or `/DC-A/vm` and the like) its top-level objects of that kind; for a container
   * its child objects. Undefined when the path names nothing.
   */
  children(kind: VcenterInventoryKind, path: string | undefined): VcenterObject[] | undefined {
    const all = [...this.objects.values()];
    const types = KIND_TYPES[kind];
    const trimmed = (path ?? "").replace(/\/+$/, "");
    if (trimmed === "") return all.filter((o) => o.type === "datacenter");
    const normalized = trimmed.startsWith("/") ? trimmed : `/${trimmed}`;
    const container = all.find(
      (o) =>
        (o.type === "datacenter" || types.includes(o.type)) &&
        (this.pathOf(o) === normalized ||
          (o.type === "datacenter" && normalized === `/${o.name}/${CONTAINER[types[0]]}`)),
    );
    if (!container) return undefined;
    return all.filter((o) => types.includes(o.type) && o.parent === container.id);
  }

  itemView(o: VcenterObject): VcenterInventoryItem {
    return { id: o.id, name: o.name, path: this.pathOf(o), parent: o.parent };
  }

  datastoreView(o: VcenterObject): VcenterDatastoreItem {
    const d = o.datastore;
    if (!d) return this.itemView(o);
    const gb = 1024 ** 3;
    return {
      ...this.itemView(o),
      capacity_details: { total_capacity: d.capacityGb * gb, used_space: d.usedGb * gb },
      file_system_type: d.fileSystemType,
      type: "DATASTORE",
      overall_status: "GREEN",
      maintenance_mode: "normal",
      accessible: true,
    };
  }

  storagePolicyView(o: VcenterObject): StoragePolicy {
    return { id: o.id, name: o.name };
  }

  /** Clusters and hosts that mount a datastore (every cluster and host of its datacenter by default). */
  visibleTo(o: VcenterObject): VcenterObject[] {
    const listed = o.datastore?.visibleTo;
    if (listed) return listed.map((id) => this.objects.get(id)).filter((x): x is VcenterObject => !!x);
    return [...this.objects.values()].filter(
      (c) => (c.type === "cluster" || c.type === "host") && c.parent === o.parent,
    );
  }

  /** Replicated VMs; `excluded` drops the ones a protection group already holds. */
  replicatedVms(excluded: ReadonlySet<string> = new Set()): VmReplicationInfo[] {
    return [...this.objects.values()]
      .filter((o) => o.vm?.replicated && !excluded.has(o.id))
      .map((o) => ({
        id: o.id,
        name: o.name,
        template: false,
        inside_vapp: false,
        replication_status: o.vm!.replicationStatus,
      }));
  }

  /** Test hook: renames an object (a change made in vCenter). */
  rename(id: string, name: string): boolean {
    const o = this.objects.get(id);
    if (!o) return false;
    o.name = name;
    return true;
  }

  /** Test hook: removes an object from vCenter; false when unknown. */
  remove(id: string): boolean {
    return this.objects.delete(id);
  }
}
