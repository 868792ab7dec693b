// Typed calls for a site's vCenter inventory and SRM's inventory mappings, test network mappings, IP subnet
// rules and placeholder datastores. Mapping creates and deletes answer 204 with no id: callers list the
// mappings afterwards to learn the id.
import {
  AddPlaceholderDatastoreSpec,
  InventoryMapping,
  InventoryMappingList,
  IpMapping,
  MappingCreateSpec,
  type MappingKind,
  PlaceholderDatastore,
  PlaceholderDatastoreList,
  srmPaths,
  StoragePolicyList,
  Task,
  TestNetworkMapping,
  TestNetworkMappingCreateSpec,
  TestNetworkMappingList,
  VcenterDatastoreItemList,
  VcenterInventoryItemList,
  VcenterInventoryItem,
  type VcenterInventoryKind,
  VmReplicationInfoList,
  type StoragePolicy,
  type VmReplicationInfo,
} from "../api/index.js";
import type { z } from "zod";
import { isSrmError } from "./errors.js";
import { checkRequest } from "./http.js";
import type { SrmClient } from "./srm-client.js";

const MAPPING_NOUN: Record<MappingKind, string> = {
  folders: "folder",
  networks: "network",
  resources: "resource",
  "storage-policies": "storage policy",
};

/** Calls on one pairing's sites, through a shared {@link SrmClient} (its session and remote login). */
export class SiteInventoryClient {
  constructor(readonly client: SrmClient) {}

  // ---- vCenter inventory (read-only) ----

  /** Children of `path` in one listing of a vCenter of the pairing (the datacenters without a path). */
  listInventory(
    pairingId: string,
    vcenterId: string,
    kind: VcenterInventoryKind,
    path?: string,
  ): Promise<VcenterInventoryItem[]> {
    const schema = kind === "datastores" ? VcenterDatastoreItemList : VcenterInventoryItemList;
    return this.client.listAll(
      schema as typeof VcenterInventoryItemList,
      srmPaths.vcenterInventory(pairingId, vcenterId, kind),
      `listing ${kind} inventory${path ? ` under "${path}"` : ""} of vCenter ${vcenterId}`,
      true,
      path === undefined ? {} : { path },
    );
  }

  /** One inventory object by id; undefined when the vCenter has none (404). */
  getInventoryItem(
    pairingId: string,
    vcenterId: string,
    kind: VcenterInventoryKind,
    id: string,
  ): Promise<VcenterInventoryItem | undefined> {
    return this.orUndefined(
      this.get(
        VcenterInventoryItem,
        srmPaths.vcenterInventoryItem(pairingId, vcenterId, kind, id),
        `reading ${kind} object ${id} of vCenter ${vcenterId}`,
      ),
    );
  }

  listStoragePolicies(pairingId: string, vcenterId: string): Promise<StoragePolicy[]> {
    return this.client.listAll(
      StoragePolicyList,
      srmPaths.storagePolicies(pairingId, vcenterId),
      `listing storage policies of vCenter ${vcenterId}`,
    );
  }

  listReplicatedVms(pairingId: string, vcenterId: string): Promise<VmReplicationInfo[]> {
    return this.client.listAll(
      VmReplicationInfoList,
      srmPaths.replicatedVms(pairingId, vcenterId),
      `listing replicated VMs of vCenter ${vcenterId}`,
    );
  }

  // ---- inventory mappings (synchronous) ----

  listMappings(pairingId: string, srmId: string, kind: MappingKind): Promise<InventoryMapping[]> {
    return this.client.listAll(
      InventoryMappingList,
      srmPaths.mappings(pairingId, srmId, kind),
      `listing ${MAPPING_NOUN[kind]} mappings of SRM ${srmId}`,
    );
  }

  getMapping(
    pairingId: string,
    srmId: string,
    kind: MappingKind,
    id: string,
  ): Promise<InventoryMapping | undefined> {
    return this.orUndefined(
      this.get(
        InventoryMapping,
        srmPaths.mapping(pairingId, srmId, kind, id),
        `reading ${MAPPING_NOUN[kind]} mapping ${id}`,
      ),
    );
  }

  /** Creates a mapping (204, no id). */
  async createMapping(pairingId: string, srmId: string, kind: MappingKind, spec: MappingCreateSpec) {
    const what = `creating a ${MAPPING_NOUN[kind]} mapping from ${spec.mapping_source_object} to ${spec.mapping_target_object} at SRM ${srmId}`;
    await this.send("POST", srmPaths.mappings(pairingId, srmId, kind), what, MappingCreateSpec, spec);
  }

  /** Deletes a mapping; false when it was already gone (404). */
  deleteMapping(pairingId: string, srmId: string, kind: MappingKind, id: string): Promise<boolean> {
    return this.sendOrGone(
      "DELETE",
      srmPaths.mapping(pairingId, srmId, kind, id),
      `deleting ${MAPPING_NOUN[kind]} mapping ${id}`,
    );
  }

  /** The IP subnet rules of a network mapping; undefined when it has none (404). */
  getIpSubnetMapping(pairingId: string, srmId: string, mappingId: string): Promise<IpMapping | undefined> {
    return this.orUndefined(
      this.get(
        IpMapping,
        srmPaths.ipSubnetMapping(pairingId, srmId, mappingId),
        `reading the IP subnet rules of network mapping ${mappingId}`,
      ),
    );
  }

  async putIpSubnetMapping(pairingId: string, srmId: string, mappingId: string, spec: IpMapping) {
    await this.send(
      "PUT",
      srmPaths.ipSubnetMapping(pairingId, srmId, mappingId),
      `setting the IP subnet rules of network mapping ${mappingId}`,
      IpMapping,
      spec,
    );
  }

  deleteIpSubnetMapping(pairingId: string, srmId: string, mappingId: string): Promise<boolean> {
    return this.sendOrGone(
      "DELETE",
      srmPaths.ipSubnetMapping(pairingId, srmId, mappingId),
      `removing the IP subnet rules of network mapping ${mappingId}`,
    );
  }

  // ---- test network mappings (synchronous) ----

  listTestNetworkMappings(pairingId: string, srmId: string): Promise<TestNetworkMapping[]> {
    return this.client.listAll(
      TestNetworkMappingList,
      srmPaths.mappings(pairingId, srmId, "test-networks"),
      `listing test network mappings of SRM ${srmId}`,
    );
  }

  getTestNetworkMapping(
    pairingId: string,
    srmId: string,
    id: string,
  ): Promise<TestNetworkMapping | undefined> {
    return this.orUndefined(
      this.get(
        TestNetworkMapping,
        srmPaths.mapping(pairingId, srmId, "test-networks", id),
        `reading test network mapping ${id}`,
      ),
    );
  }

  async createTestNetworkMapping(pairingId: string, srmId: string, spec: TestNetworkMappingCreateSpec) {
    await this.send(
      "POST",
      srmPaths.mappings(pairingId, srmId, "test-networks"),
      `creating a test network mapping for network ${spec.target_network} at SRM ${srmId}`,
      TestNetworkMappingCreateSpec,
      spec,
    );
  }

  deleteTestNetworkMapping(pairingId: string, srmId: string, id: string): Promise<boolean> {
    return this.sendOrGone(
      "DELETE",
      srmPaths.mapping(pairingId, srmId, "test-networks", id),
      `deleting test network mapping ${id}`,
    );
  }

  // ---- placeholder datastores (tasks) ----

  listPlaceholderDatastores(pairingId: string, srmId: string): Promise<PlaceholderDatastore[]> {
    return this.client.listAll(
      PlaceholderDatastoreList,
      srmPaths.mappings(pairingId, srmId, "placeholder-datastores"),
      `listing placeholder datastores of SRM ${srmId}`,
    );
  }

  getPlaceholderDatastore(
    pairingId: string,
    srmId: string,
    datastoreId: string,
  ): Promise<PlaceholderDatastore | undefined> {
    return this.orUndefined(
      this.get(
        PlaceholderDatastore,
        srmPaths.mapping(pairingId, srmId, "placeholder-datastores", datastoreId),
        `reading placeholder datastore ${datastoreId}`,
      ),
    );
  }

  addPlaceholderDatastores(
    pairingId: string,
    srmId: string,
    spec: AddPlaceholderDatastoreSpec,
  ): Promise<Task> {
    const what = `adding placeholder datastores ${spec.datastores.join(", ")} at SRM ${srmId}`;
    const json = checkRequest(AddPlaceholderDatastoreSpec, spec, what);
    return this.client.session.http.json(
      Task,
      "POST",
      srmPaths.mappings(pairingId, srmId, "placeholder-datastores"),
      {
        json,
        context: { what },
      },
    );
  }

  removePlaceholderDatastore(pairingId: string, srmId: string, datastoreId: string): Promise<Task> {
    const what = `removing placeholder datastore ${datastoreId} at SRM ${srmId}`;
    return this.client.session.http.json(
      Task,
      "DELETE",
      srmPaths.mapping(pairingId, srmId, "placeholder-datastores", datastoreId),
      { context: { what } },
    );
  }

  /** Starts SRM's query for datastores suitable as placeholders; the task's result lists them. */
  querySuitableDatastores(pairingId: string, srmId: string): Promise<Task> {
    const what = `querying suitable placeholder datastores at SRM ${srmId}`;
    return this.client.session.http.json(Task, "POST", srmPaths.suitableDatastores(pairingId, srmId), {
      context: { what },
    });
  }

  private get<S extends z.ZodType>(schema: S, path: string, what: string): Promise<z.infer<S>> {
    return this.client.session.http.json(schema, "GET", path, { context: { what } });
  }

  private async send<S extends z.ZodType>(
    method: "POST" | "PUT" | "DELETE",
    path: string,
    what: string,
    schema?: S,
    body?: unknown,
  ): Promise<void> {
    const json = schema ? (checkRequest(schema, body, what) as unknown) : undefined;
    await this.client.session.http.raw(method, path, {
      ...(json === undefined ? {} : { json }),
      context: { what },
    });
  }

  private async sendOrGone(method: "DELETE", path: string, what: string): Promise<boolean> {
    try {
      await this.send(method, path, what);
      return true;
    } catch (e) {
      if (isSrmError(e) && e.code === "NOT_FOUND") return false;
      throw e;
    }
  }

  private async orUndefined<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (e) {
      if (isSrmError(e) && e.code === "NOT_FOUND") return undefined;
      throw e;
    }
  }
}
