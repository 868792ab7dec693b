import { randomUUID } from "node:crypto";
import type {
  InventoryMapping,
  IpMapping,
  MappingKind,
  PlaceholderDatastore,
  TestNetworkMapping,
} from "../provider/api/index.js";
import type { VcenterModel, VcenterObjectType } from "./vcenter-model.js";

/** Object types a mapping of each kind may name (SRM maps datacenters as folders too). */
export const MAPPABLE_TYPES: Record<MappingKind, VcenterObjectType[]> = {
  folders: ["folder", "datacenter"],
  networks: ["network"],
  resources: ["cluster", "host", "resource-pool"],
  "storage-policies": ["storage-policy"],
};

/** One inventory mapping kept by one SRM server: from its own vCenter to the paired one. */
export interface MappingState {
  id: string;
  kind: MappingKind;
  srmId: string;
  primary: string;
  secondary: string;
  /** Network mappings: the IP subnet rules (null when none are configured). */
  ipMapping: IpMapping | null;
}

export interface TestNetworkMappingState {
  id: string;
  srmId: string;
  targetNetwork: string;
  testNetwork: string;
}

/** The two sides of one SRM server's mappings: its own vCenter and the paired site's vCenter. */
export interface MappingSides {
  srmId: string;
  /** The SRM server at the other end of the pairing (its mappings are the reverse direction). */
  otherSrmId: string;
  own: VcenterModel;
  paired: VcenterModel;
}

/**
 * Inventory mappings, test network mappings and placeholder datastores, kept per SRM server (by SRM
 * id), as SRM keeps them. Validation lives in the routes; this holds state and builds the wire views.
 */
export class InventoryMappings {
  readonly mappings = new Map<string, MappingState>();
  readonly testNetworks = new Map<string, TestNetworkMappingState>();
  /** SRM id -> placeholder datastore ids, in the order they were added. */
  readonly placeholders = new Map<string, string[]>();

  list(kind: MappingKind, srmId: string): MappingState[] {
    return [...this.mappings.values()].filter((m) => m.kind === kind && m.srmId === srmId);
  }

  bySource(kind: MappingKind, srmId: string, primary: string): MappingState | undefined {
    return this.list(kind, srmId).find((m) => m.primary === primary);
  }

  add(kind: MappingKind, srmId: string, primary: string, secondary: string): MappingState {
    const m: MappingState = { id: randomUUID(), kind, srmId, primary, secondary, ipMapping: null };
    this.mappings.set(m.id, m);
    return m;
  }

  /** Removes a mapping (a network mapping takes its IP rules with it). Test hook for UI deletes too. */
  remove(id: string): boolean {
    return this.mappings.delete(id);
  }

  testNetworksOf(srmId: string): TestNetworkMappingState[] {
    return [...this.testNetworks.values()].filter((t) => t.srmId === srmId);
  }

  addTestNetwork(srmId: string, targetNetwork: string, testNetwork: string): TestNetworkMappingState {
    const t: TestNetworkMappingState = { id: randomUUID(), srmId, targetNetwork, testNetwork };
    this.testNetworks.set(t.id, t);
    return t;
  }

  placeholdersOf(srmId: string): string[] {
    let list = this.placeholders.get(srmId);
    if (!list) {
      list = [];
      this.placeholders.set(srmId, list);
    }
    return list;
  }

  mappingView(m: MappingState, sides: MappingSides): InventoryMapping {
    const reverse = this.bySource(m.kind, sides.otherSrmId, m.secondary);
    const view: InventoryMapping = {
      id: m.id,
      primary_object: m.primary,
      secondary_object: m.secondary,
      primary_object_name: sides.own.find(m.primary)?.name ?? m.primary,
      secondary_object_name: sides.paired.find(m.secondary)?.name ?? m.secondary,
      reverse_mapping_type: !reverse ? "NO" : reverse.secondary === m.primary ? "YES" : "DIFFERENT",
      reverse_recovery_object: null,
      reverse_recovery_object_name: null,
    };
    if (reverse && reverse.secondary !== m.primary) {
      view.reverse_recovery_object = reverse.secondary;
      view.reverse_recovery_object_name = sides.own.find(reverse.secondary)?.name ?? reverse.secondary;
    }
    if (m.kind === "networks") {
      const test = this.testNetworksOf(m.srmId).find((t) => t.targetNetwork === m.secondary);
      // TestNetworkMapping is nullable in the spec, IPMapping is not: absent when none is configured.
      view.test_network_mapping = test ? this.testNetworkView(test, sides) : null;
      if (m.ipMapping) view.ip_mapping = m.ipMapping;
    }
    return view;
  }

  testNetworkView(t: TestNetworkMappingState, sides: MappingSides): TestNetworkMapping {
    return {
      id: t.id,
      target_network: t.targetNetwork,
      test_network: t.testNetwork,
      test_network_name: sides.paired.find(t.testNetwork)?.name ?? null,
    };
  }

  placeholderView(datastoreId: string, vc: VcenterModel): PlaceholderDatastore {
    const ds = vc.find(datastoreId);
    if (!ds) return { id: datastoreId, name: datastoreId, visible_to: null, overall_status: "RED" };
    return {
      id: ds.id,
      name: ds.name,
      visible_to: vc.visibleTo(ds).map((c) => ({ id: c.id, name: c.name, status: "green" })),
      overall_status: "GREEN",
    };
  }
}
