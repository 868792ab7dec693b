// Package entry of pulumi-srm: the resources, their args and implementation registry, the lookups and the
// connection settings. The serialized provider of every resource reaches the code through `providers`.
export { Pairing, type PairingArgs, PAIRING_TASK_TIMEOUT_SECONDS } from "./resources/pairing.js";
export {
  RecoveryStepCallout,
  type RecoveryStepCalloutArgs,
  type CalloutViewMode,
  type CalloutAnchorInput,
  type CalloutKind,
  CALLOUT_TASK_TIMEOUT_SECONDS,
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
} from "./resources/recovery-step-callout.js";
export {
  RecoveryPlanCallouts,
  type RecoveryPlanCalloutsArgs,
  type PlanCalloutArgs,
  type PlanCalloutLists,
  type DeclaredStep,
  PLAN_CALLOUTS_TASK_TIMEOUT_SECONDS,
} from "./resources/recovery-plan-callouts.js";
export { Reprotect, type ReprotectArgs, REPROTECT_TASK_TIMEOUT_SECONDS } from "./resources/reprotect.js";
export {
  ApplianceReconciliation,
  type ApplianceReconciliationArgs,
  RECONCILIATION_TIMEOUT_SECONDS,
} from "./resources/appliance-reconciliation.js";
export {
  ProtectionGroup,
  type ProtectionGroupArgs,
  PROTECTION_GROUP_TASK_TIMEOUT_SECONDS,
} from "./resources/protection-group.js";
export {
  RecoveryPlan,
  type RecoveryPlanArgs,
  type RecoveryPlanTestNetwork,
  type PlanTestNetwork,
  RECOVERY_PLAN_TASK_TIMEOUT_SECONDS,
} from "./resources/recovery-plan.js";
export {
  VmRecoverySettings,
  type VmRecoverySettingsArgs,
  type VmCommand,
  type VmNicSettings,
  VM_SETTINGS_TASK_TIMEOUT_SECONDS,
} from "./resources/vm-recovery-settings.js";
export {
  ProtectionGroupFolder,
  type ProtectionGroupFolderArgs,
} from "./resources/protection-group-folder.js";
export { RecoveryPlanFolder, type RecoveryPlanFolderArgs } from "./resources/recovery-plan-folder.js";
export { FOLDER_TASK_TIMEOUT_SECONDS } from "./shared/srm-folder.js";
export {
  InventoryMapping,
  type InventoryMappingArgs,
  type InventoryMappingKind,
  type IpSubnetRuleArgs,
} from "./resources/inventory-mapping.js";
export type { IpSubnetRule } from "./shared/ip-subnet-rules.js";
export { TestNetworkMapping, type TestNetworkMappingArgs } from "./resources/test-network-mapping.js";
export {
  PlaceholderDatastore,
  type PlaceholderDatastoreArgs,
  PLACEHOLDER_TASK_TIMEOUT_SECONDS,
} from "./resources/placeholder-datastore.js";
export {
  getPairing,
  getPairingOutput,
  getRecoveryPlan,
  getRecoveryPlanOutput,
  type GetPairingArgs,
  type GetPairingOutputArgs,
  type GetPairingResult,
  type GetRecoveryPlanArgs,
  type GetRecoveryPlanOutputArgs,
  type GetRecoveryPlanResult,
} from "./lookups/pairing-and-plan.js";
export {
  getProtectionGroup,
  getProtectionGroupOutput,
  getPlanVm,
  getPlanVmOutput,
  type GetProtectionGroupArgs,
  type GetProtectionGroupOutputArgs,
  type GetPlanVmOutputArgs,
  type GetProtectionGroupResult,
  type GetPlanVmArgs,
  type GetPlanVmResult,
  type ProtectedVm,
} from "./lookups/protection.js";
export {
  getInventoryObject,
  getInventoryObjectOutput,
  getSuitablePlaceholderDatastores,
  getSuitablePlaceholderDatastoresOutput,
  type GetInventoryObjectArgs,
  type GetInventoryObjectOutputArgs,
  type GetInventoryObjectResult,
  type GetSuitablePlaceholderDatastoresArgs,
  type GetSuitablePlaceholderDatastoresOutputArgs,
  type InventoryObjectKind,
  type SuitablePlaceholderDatastore,
} from "./lookups/inventory.js";
export type { SiteSide } from "./shared/pairing-sites.js";
export { UNKNOWN } from "./dynamic/unknowns.js";
export type { SiteArgs } from "./dynamic/site-input.js";
export type { GetOptions } from "./dynamic/resource-class.js";
export { SCHEMA_VERSION } from "./dynamic/schema-version.js";
export {
  CONFIG_KEYS,
  type ConfigKey,
  type ConfigKeys,
  ConfigError,
  readSettings,
  type SettingName,
  type SettingsSnapshot,
  type SrmSettings,
  type ApplianceSettings,
  type ApplianceOverrides,
} from "./config.js";

// The machinery below is for the serialized provider (`require("pulumi-srm").providers`) and this
// repository's tests; @internal keeps it, and the got and zod types it carries, out of the published
// declarations.
/** @internal */
export { providers, type RegistryV1, type ShimFields, type ProviderMethod } from "./dynamic/registry.js";
/** @internal */
export { SrmProviderShim } from "./dynamic/provider-shim.js";
/** @internal */
export type { ProviderContext } from "./dynamic/provider-context.js";
/** @internal */
export type { ResourceImplementation } from "./dynamic/resource-implementation.js";
/** @internal */
export type { PairingInputs } from "./resources/pairing.js";
/** @internal */
export type { CalloutInputs } from "./resources/recovery-step-callout.js";
/** @internal */
export type { PlanCalloutsInputs } from "./resources/recovery-plan-callouts.js";
/** @internal */
export type { ReprotectInputs } from "./resources/reprotect.js";
/** @internal */
export type { ReconciliationInputs } from "./resources/appliance-reconciliation.js";
/** @internal */
export type { ProtectionGroupInputs } from "./resources/protection-group.js";
/** @internal */
export type { RecoveryPlanInputs } from "./resources/recovery-plan.js";
/** @internal */
export type { VmSettingsInputs } from "./resources/vm-recovery-settings.js";
/** @internal */
export type { FolderInputs } from "./shared/srm-folder.js";
/** @internal */
export type { InventoryMappingInputs } from "./resources/inventory-mapping.js";
/** @internal */
export type { TestNetworkMappingInputs } from "./resources/test-network-mapping.js";
/** @internal */
export type { PlaceholderDatastoreInputs } from "./resources/placeholder-datastore.js";
