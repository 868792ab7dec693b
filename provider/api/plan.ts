import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

/** Every `status` value of RecoveryPlanInfo in the official spec. */
export const RECOVERY_PLAN_STATUSES = [
  "READY_STATE",
  "NO_PROTECTION_GROUPS",
  "DIRECTION_ERROR",
  "DELETING",
  "WAITING_FOR_USER_INPUT",
  "CANCEL_IN_PROGRESS",
  "TEST_IN_PROGRESS",
  "PROTECTION_GROUPS_IN_USE",
  "TEST_COMPLETE",
  "TEST_INTERRUPTED",
  "CLEANUP_IN_PROGRESS",
  "CLEANUP_INCOMPLETE",
  "CLEANUP_INTERRUPTED",
  "RECOVERY_IN_PROGRESS",
  "RECOVERY_COMPLETE",
  "RECOVERY_STARTED",
  "PARTIAL_RECOVERY",
  "RECOVERY_SPLIT_BRAIN",
  "DISASTER_RECOVERY_COMPLETE",
  "INCOMPLETE_RECOVERY",
  "RECOVERY_INTERRUPTED",
  "REPROTECT_IN_PROGRESS",
  "INCOMPLETE_REPROTECT",
  "PARTIAL_REPROTECT",
  "REPROTECT_INTERRUPTED",
  "UNKNOWN_STATE",
  "SYNC_CONFLICT",
] as const;
export const RecoveryPlanStatus = z.enum(RECOVERY_PLAN_STATUSES);
export type RecoveryPlanStatus = z.infer<typeof RecoveryPlanStatus>;

/** Plan statuses from which SRM accepts a reprotect. */
export const REPROTECTABLE_PLAN_STATUSES: readonly RecoveryPlanStatus[] = [
  "RECOVERY_COMPLETE",
  "INCOMPLETE_REPROTECT",
  "REPROTECT_INTERRUPTED",
];

/** RecoveryPlanInfo (and its DrResponseEntity). */
export const RecoveryPlanInfo = z.object({
  id: z.string(),
  name: z.string(),
  status: RecoveryPlanStatus,
  location: z.string(),
  location_name: z.string().optional(),
  protected_site_name: z.string().optional(),
  recovery_site_name: z.string().optional(),
  protected_vc_guid: z.string().optional(),
  recovery_vc_guid: z.string().optional(),
  description: z.string().nullish(),
  progress: z.number().int().optional(),
  is_running: z.boolean().optional(),
  _meta: Metadata.optional(),
});
export type RecoveryPlanInfo = z.infer<typeof RecoveryPlanInfo>;

export const RecoveryPlanList = listOf(RecoveryPlanInfo);
export type RecoveryPlanList = z.infer<typeof RecoveryPlanList>;

/** ReprotectPlanSpec: body of `POST .../plans/{id}/actions/reprotect`. Request: exact. */
export const ReprotectPlanSpec = z.strictObject({ forced: z.boolean().optional() });
export type ReprotectPlanSpec = z.infer<typeof ReprotectPlanSpec>;

/** TestNetworkMappingsSpec: a recovery-site network and the network a test recovery uses instead. */
export const TestNetworkMappingsSpec = z.strictObject({
  target_network: z.string().min(1),
  test_network: z.string().min(1),
});
export type TestNetworkMappingsSpec = z.infer<typeof TestNetworkMappingsSpec>;

/** RecoveryPlanCreateSpec: body of `POST .../recovery-management/plans`. Request: exact. */
export const RecoveryPlanCreateSpec = z.strictObject({
  name: z.string().min(1),
  description: z.string().nullish(),
  location: z.string().nullish(),
  protected_vc_guid: z.string().min(1),
  protection_groups: z.array(z.string().min(1)).nullish(),
  test_network_mappings: z.array(TestNetworkMappingsSpec).nullish(),
});
export type RecoveryPlanCreateSpec = z.infer<typeof RecoveryPlanCreateSpec>;

/**
 * RecoveryPlanEditSpec: body of `POST .../plans/{id}/actions/reconfigure`. Each list replaces the plan's
 * current one; a null (absent) field leaves it unchanged. Request: exact.
 */
export const RecoveryPlanEditSpec = z.strictObject({
  name: z.string().min(1).nullish(),
  description: z.string().nullish(),
  protected_vc_guid: z.string().nullish(),
  protection_groups: z.array(z.string().min(1)).nullish(),
  test_network_mappings: z.array(TestNetworkMappingsSpec).nullish(),
  vms_to_suspend: z.array(z.string().min(1)).nullish(),
});
export type RecoveryPlanEditSpec = z.infer<typeof RecoveryPlanEditSpec>;

/** TestNetworkMapping: a plan's test-network override (`GET .../plans/{id}/test-networks`). */
export const PlanTestNetworkMapping = z.object({
  id: z.string(),
  target_network: z.string(),
  test_network: z.string(),
  test_network_name: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type PlanTestNetworkMapping = z.infer<typeof PlanTestNetworkMapping>;
export const PlanTestNetworkMappingList = listOf(PlanTestNetworkMapping);

/** RecoveryPlanVmInfo: a VM of a plan (`GET .../plans/{id}/vms`). */
export const RecoveryPlanVmInfo = z.object({
  id: z.string(),
  name: z.string(),
  status: z.string().optional(),
  protection_group: z.string().nullish(),
  protection_group_name: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type RecoveryPlanVmInfo = z.infer<typeof RecoveryPlanVmInfo>;
export const RecoveryPlanVmList = listOf(RecoveryPlanVmInfo);
