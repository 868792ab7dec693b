import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

/** VcenterServerInventoryItem: a VM folder, network or compute object (cluster, host, resource pool). */
export const VcenterInventoryItem = z.object({
  id: z.string(),
  name: z.string().nullish(),
  path: z.string().optional(),
  parent: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type VcenterInventoryItem = z.infer<typeof VcenterInventoryItem>;
export const VcenterInventoryItemList = listOf(VcenterInventoryItem);

export const DATASTORE_FILE_SYSTEM_TYPES = [
  "VMFS",
  "NFS",
  "NFS41",
  "CIFS",
  "VSAN",
  "VFFS",
  "VVOL",
  "PMEM",
  "VSAN_D",
  "OTHER",
] as const;
export const OVERALL_STATUSES = ["GRAY", "GREEN", "YELLOW", "RED"] as const;
export const OverallStatus = z.enum(OVERALL_STATUSES);

/** VcenterDatastoreItem: a datastore (or datastore cluster) of a vCenter. */
export const VcenterDatastoreItem = VcenterInventoryItem.extend({
  capacity_details: z
    .object({ total_capacity: z.number().int().optional(), used_space: z.number().int().optional() })
    .optional(),
  file_system_type: z.enum(DATASTORE_FILE_SYSTEM_TYPES).optional(),
  type: z.enum(["STORAGE_POD", "DATASTORE"]).optional(),
  overall_status: OverallStatus.optional(),
  maintenance_mode: z.string().nullish(),
  accessible: z.boolean().optional(),
});
export type VcenterDatastoreItem = z.infer<typeof VcenterDatastoreItem>;
export const VcenterDatastoreItemList = listOf(VcenterDatastoreItem);

/** StoragePolicy: a vCenter VM storage policy (SPBM profile). */
export const StoragePolicy = z.object({
  id: z.string(),
  name: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type StoragePolicy = z.infer<typeof StoragePolicy>;
export const StoragePolicyList = listOf(StoragePolicy);

export const REPLICATION_STATUSES = [
  "FULL_SYNC",
  "SYNC",
  "INITIAL_FULL_SYNC",
  "PAUSED",
  "RPO_VIOLATION",
  "MOVING",
  "OK",
  "ERROR_OCCURRED",
  "CONFIGURING",
  "NOT_ACTIVE",
  "UNKNOWN",
  "SYNC_RPO_VIOLATION",
  "NOT_ACTIVE_RPO_VIOLATION",
  "ERROR_RPO_VIOLATION",
  "RECOVERED",
  "RECOVERING",
  "FULL_SYNC_RPO_VIOLATION",
] as const;
export const ReplicationStatus = z.enum(REPLICATION_STATUSES);
export type ReplicationStatus = z.infer<typeof ReplicationStatus>;

/** VmReplicationInfo: a replicated VM that no protection group holds yet. */
export const VmReplicationInfo = z.object({
  id: z.string(),
  name: z.string(),
  template: z.boolean().optional(),
  inside_vapp: z.boolean().optional(),
  replication_status: ReplicationStatus,
});
export type VmReplicationInfo = z.infer<typeof VmReplicationInfo>;
export const VmReplicationInfoList = listOf(VmReplicationInfo);
