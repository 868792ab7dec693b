// Package entry of pulumi-srm: the resources, their args and implementation registry, the lookups and the
// connection settings. The serialized provider of every resource reaches the code through `providers`.
export {
  Pairing,
  type PairingArgs,
  type PairingInputs,
  PAIRING_TASK_TIMEOUT_SECONDS,
} from "./resources/pairing.js";
export {
  RecoveryStepCallout,
  type RecoveryStepCalloutArgs,
  type CalloutInputs,
  type CalloutViewMode,
  type CalloutKind,
  CALLOUT_TASK_TIMEOUT_SECONDS,
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
} from "./resources/recovery-step-callout.js";
export {
  Reprotect,
  type ReprotectArgs,
  type ReprotectInputs,
  REPROTECT_TASK_TIMEOUT_SECONDS,
} from "./resources/reprotect.js";
export {
  ApplianceReconciliation,
  type ApplianceReconciliationArgs,
  type ReconciliationInputs,
  RECONCILIATION_TIMEOUT_SECONDS,
} from "./resources/appliance-reconciliation.js";
export {
  ProtectionGroup,
  type ProtectionGroupArgs,
  type ProtectionGroupInputs,
  PROTECTION_GROUP_TASK_TIMEOUT_SECONDS,
} from "./resources/protection-group.js";
export {
  RecoveryPlan,
  type RecoveryPlanArgs,
  type RecoveryPlanInputs,
  type RecoveryPlanTestNetwork,
  RECOVERY_PLAN_TASK_TIMEOUT_SECONDS,
} from "./resources/recovery-plan.js";
export {
  VmRecoverySettings,
  type VmRecoverySettingsArgs,
  type VmSettingsInputs,
  type VmCommand,
  type VmNicSettings,
  VM_SETTINGS_DEFAULTS,
  VM_SETTINGS_TASK_TIMEOUT_SECONDS,
} from "./resources/vm-recovery-settings.js";
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
} from "./resources/lookups.js";
export { providers, type RegistryV1, type ShimFields, type ProviderMethod } from "./resources/registry.js";
export { SrmProviderShim } from "./resources/provider-shim.js";
export type { ProviderContext } from "./resources/provider-context.js";
export type { ResourceImplementation } from "./resources/resource-implementation.js";
export { UNKNOWN } from "./resources/unknowns.js";
export { SCHEMA_VERSION } from "./resources/schema-version.js";
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
