import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

/** ProtectionGroupCreateSpec.replication_type (and ProtectionGroupInfo.replication_type). */
export const REPLICATION_TYPES = ["UNKNOWN", "ABR", "HBR", "VVOL"] as const;
export const ReplicationType = z.enum(REPLICATION_TYPES);
export type ReplicationType = z.infer<typeof ReplicationType>;

/** ProtectionGroupInfo.status values of the official spec. */
export const PROTECTION_GROUP_STATUSES = [
  "UNKNOWN",
  "OK",
  "NOT_CONFIGURED",
  "CONFIGURING_PROTECTION",
  "REMOVING_PROTECTION",
  "RESTORING_PLACEHOLDERS",
  "OPERATIONS_IN_PROGRESS",
  "TESTING",
  "TEST_COMPLETE",
  "CLEANING_UP",
  "RECOVERING",
  "PARTIALLY_RECOVERED",
  "RECOVERED",
  "REPROTECTING",
  "PARTIALLY_REPROTECTED",
  "READY",
  "LOADING",
] as const;

/** HbrProtectionGroupSpec: the VMs (vSphere Replication) a group protects. Request: exact. */
export const HbrProtectionGroupSpec = z.strictObject({ vms: z.array(z.string().min(1)) });
/** AbrProtectionGroupSpec: replicated datastores of one array pair. Request: exact. */
export const AbrProtectionGroupSpec = z.strictObject({
  replicated_array_pair: z.string().min(1),
  datastores: z.array(z.string().min(1)),
});

/** ProtectionGroupCreateSpec: body of `POST .../protection-management/groups`. Request: exact. */
export const ProtectionGroupCreateSpec = z.strictObject({
  name: z.string().max(80),
  description: z.string().max(4096).nullish(),
  location: z.string().optional(),
  replication_type: ReplicationType,
  protected_vc_guid: z.string().min(1),
  hbr_spec: HbrProtectionGroupSpec.nullish(),
  abr_spec: AbrProtectionGroupSpec.nullish(),
});
export type ProtectionGroupCreateSpec = z.infer<typeof ProtectionGroupCreateSpec>;

/**
 * ProtectionGroupEditSpec: body of `POST .../groups/{id}/actions/reconfigure`. `hbr_spec.vms` is the list
 * of VMs to protect with the group; `abr_spec.datastores` lists the replicated datastores to add. Request: exact.
 */
export const ProtectionGroupEditSpec = z.strictObject({
  name: z.string().max(80),
  description: z.string().max(4096).nullish(),
  hbr_spec: HbrProtectionGroupSpec.nullish(),
  abr_spec: AbrProtectionGroupSpec.nullish(),
});
export type ProtectionGroupEditSpec = z.infer<typeof ProtectionGroupEditSpec>;

/** ProtectionGroupInfo (and its DrResponseEntity). */
export const ProtectionGroupInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullish(),
  location: z.string().optional(),
  location_name: z.string().optional(),
  protected_site_name: z.string().optional(),
  recovery_site_name: z.string().optional(),
  protected_vc_guid: z.string().optional(),
  recovery_vc_guid: z.string().optional(),
  total_vms: z.number().int().optional(),
  replication_type: ReplicationType.optional(),
  recovery_status: z.string().optional(),
  status: z.enum(PROTECTION_GROUP_STATUSES).optional(),
  array_pair: z.string().nullish(),
  domain_id: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type ProtectionGroupInfo = z.infer<typeof ProtectionGroupInfo>;
export const ProtectionGroupList = listOf(ProtectionGroupInfo);

/** ProtectionGroupVmInfo: a VM of a group (`GET .../groups/{id}/vms`). */
export const ProtectionGroupVmInfo = z.object({
  id: z.string(),
  name: z.string(),
  template: z.boolean().optional(),
  inside_vapp: z.boolean().optional(),
  protection_status_details: z
    .object({ status: z.string().optional(), errors: z.array(z.string().nullable()).nullish() })
    .optional(),
  _meta: Metadata.optional(),
});
export type ProtectionGroupVmInfo = z.infer<typeof ProtectionGroupVmInfo>;
export const ProtectionGroupVmList = listOf(ProtectionGroupVmInfo);
