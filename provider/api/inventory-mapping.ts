import { z } from "zod";
import { listOf, Metadata } from "./errors.js";
import { OverallStatus } from "./vcenter-inventory.js";

/** The four kinds of inventory mapping, as their path segment under `.../inventory-mappings/`. */
export const MAPPING_KINDS = ["folders", "networks", "resources", "storage-policies"] as const;
/** One of {@link MAPPING_KINDS}. */
export type MappingKind = (typeof MAPPING_KINDS)[number];
export const MappingKind = z.enum(MAPPING_KINDS);

export const REVERSE_MAPPING_TYPES = ["YES", "DIFFERENT", "NO"] as const;
export const ReverseMappingType = z.enum(REVERSE_MAPPING_TYPES);
export type ReverseMappingType = z.infer<typeof ReverseMappingType>;

/**
 * FolderMappingsSpec, NetworkMappingsSpec, ResourceMappingsSpec and StoragePolicyMappingsSpec (the
 * same two fields): body of the synchronous (204) mapping creates. Request: exact.
 */
export const MappingCreateSpec = z.strictObject({
  mapping_source_object: z.string().min(1),
  mapping_target_object: z.string().min(1),
});
export type MappingCreateSpec = z.infer<typeof MappingCreateSpec>;

/** TestNetworkMappingsSpec: the test network recovered VMs of `target_network` join in a test. Request: exact. */
export const TestNetworkMappingCreateSpec = z.strictObject({
  target_network: z.string().min(1),
  test_network: z.string().min(1),
});
export type TestNetworkMappingCreateSpec = z.infer<typeof TestNetworkMappingCreateSpec>;

/** TestNetworkMapping. */
export const TestNetworkMapping = z.object({
  id: z.string(),
  target_network: z.string(),
  test_network: z.string(),
  test_network_name: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type TestNetworkMapping = z.infer<typeof TestNetworkMapping>;
export const TestNetworkMappingList = listOf(TestNetworkMapping);

/** DnsSetting of a subnet rule. */
export const DnsSetting = z.object({
  type: z.enum(["DHCP", "STATIC"]),
  preferred_server: z.string().nullish(),
  alternate_server: z.string().nullish(),
  suffixes: z.array(z.string().nullable()).nullish(),
});
export type DnsSetting = z.infer<typeof DnsSetting>;

/** SubnetRule: VMs of `local_subnet` get an address in `remote_subnet` with these settings when recovered. */
export const SubnetRule = z.object({
  name: z.string().optional(),
  local_subnet: z.string().optional(),
  remote_subnet: z.string().optional(),
  remote_ip_settings: z
    .object({
      ip_v4: z
        .object({ default_gateway: z.string().nullish(), alternate_gateway: z.string().nullish() })
        .optional(),
      dns: DnsSetting.optional(),
      wins: z
        .object({ primary_server: z.string().nullish(), alternate_server: z.string().nullish() })
        .nullish(),
    })
    .nullish(),
});
export type SubnetRule = z.infer<typeof SubnetRule>;

/** IPMapping: the IP subnet rules of a network mapping (body of the 204 PUT, and its GET). */
export const IpMapping = z.object({
  name: z.string().optional(),
  rules: z.array(SubnetRule).nullish(),
  _meta: Metadata.optional(),
});
export type IpMapping = z.infer<typeof IpMapping>;

const mappingFields = {
  id: z.string(),
  primary_object: z.string().optional(),
  secondary_object: z.string().optional(),
  primary_object_name: z.string().optional(),
  secondary_object_name: z.string().optional(),
  reverse_mapping_type: ReverseMappingType,
  reverse_recovery_object: z.string().nullish(),
  reverse_recovery_object_name: z.string().nullish(),
  _meta: Metadata.optional(),
};

/** FolderMapping, ResourceMapping and StoragePolicyMapping; NetworkMapping adds test network and IP rules. */
export const InventoryMapping = z.object({
  ...mappingFields,
  test_network_mapping: TestNetworkMapping.nullish(),
  ip_mapping: IpMapping.nullish(),
});
export type InventoryMapping = z.infer<typeof InventoryMapping>;
export const InventoryMappingList = listOf(InventoryMapping);

/** AddPlaceholderDatastoreSpec. Request: exact. */
export const AddPlaceholderDatastoreSpec = z.strictObject({ datastores: z.array(z.string().min(1)).min(1) });
export type AddPlaceholderDatastoreSpec = z.infer<typeof AddPlaceholderDatastoreSpec>;

/** PlaceholderDatastore. */
export const PlaceholderDatastore = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  visible_to: z
    .array(
      z.object({ id: z.string().optional(), name: z.string().optional(), status: z.string().optional() }),
    )
    .nullish(),
  overall_status: OverallStatus.optional(),
  _meta: Metadata.optional(),
});
export type PlaceholderDatastore = z.infer<typeof PlaceholderDatastore>;
export const PlaceholderDatastoreList = listOf(PlaceholderDatastore);

/** AddDatastoreResult: one datastore a placeholder-datastore task could not add (in the task's `result`). */
export const AddDatastoreResult = z.object({ datastore_id: z.string(), error_msg: z.string().nullish() });
export type AddDatastoreResult = z.infer<typeof AddDatastoreResult>;

/** SuitableDatastoreInfo: one answer of the query-suitable-datastores task (in its `result`). */
export const SuitableDatastoreInfo = z.object({
  datastore_id: z.string(),
  placeholder_datastore: z.boolean().optional(),
});
export type SuitableDatastoreInfo = z.infer<typeof SuitableDatastoreInfo>;
