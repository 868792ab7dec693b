import { z } from "zod";
import { Metadata } from "./errors.js";
import { DnsSetting } from "./inventory-mapping.js";
import { CalloutType } from "./recovery-step.js";

/** Recovery priority groups, P1 (first) to P5. */
export const PRIORITIES = ["P1", "P2", "P3", "P4", "P5"] as const;
export const Priority = z.enum(PRIORITIES);
export type Priority = z.infer<typeof Priority>;

export const IP_CUSTOMIZATION_TYPES = [
  "AUTO",
  "NETWORK_MAPPING_LEVEL",
  "MANUAL",
  "NO_CUSTOMIZATION",
] as const;
export const STARTUP_ACTIONS = ["POWER_ON", "DO_NOT_POWER_ON"] as const;

/** GeneralIpV4Setting. */
export const GeneralIpV4Setting = z.strictObject({
  ip_address: z.string(),
  subnet_mask: z.string(),
  type: z.enum(["DHCP", "STATIC"]),
  default_gateway: z.string().nullish(),
  alternate_gateway: z.string().nullish(),
});
/** IpSettings of one adapter (IPv4 and DNS; IPv6 and WINS are not modelled). */
export const IpSettings = z.strictObject({
  ip_v4: GeneralIpV4Setting.nullish(),
  dns: DnsSetting.nullish(),
});
/** NicSettings: IP settings of one NIC at the recovery site (`secondary_ip_settings`). */
export const NicSettings = z.strictObject({
  device_id: z.number().int(),
  primary_ip_settings: IpSettings.nullish(),
  secondary_ip_settings: IpSettings.nullish(),
});
export type NicSettings = z.infer<typeof NicSettings>;

/** Callout of a per-VM step (`pre_power_on_steps`, `post_power_on_steps`). */
export const VmCallout = z.strictObject({
  id: z.string(),
  name: z.string().min(1),
  content: z.string(),
  callout_type: CalloutType,
  timeout_seconds: z.number().int().min(0).max(59999),
  step_type: z.enum(["PRE_POWER_ON", "POST_POWER_ON", "RECOVERY_STEP"]),
});
export type VmCallout = z.infer<typeof VmCallout>;

/** DependentVm: a VM that must be powered on before this one. */
export const DependentVm = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(["OK", "NOT_IN_PLAN", "LOWER_PRIORITY", "HIGHER_PRIORITY"]).optional(),
  priority_group: Priority.optional(),
  protection_group_name: z.string().nullish(),
});

const settingsFields = {
  ip_customization_type: z.enum(IP_CUSTOMIZATION_TYPES),
  nic_settings: z.array(NicSettings).nullish(),
  priority: Priority,
  startup_action: z.enum(STARTUP_ACTIONS),
  shutdown_action_settings: z.strictObject({
    skip_shutdown_guest: z.boolean().optional(),
    timeout_seconds: z.number().int().min(0).max(3599),
  }),
  startup_action_settings: z
    .strictObject({
      power_on_vmtools_timeout_seconds: z.number().int().min(0).max(3599).optional(),
      delay_before_power_on_steps_and_dependent_vms_seconds: z.number().int().min(0).max(3599).optional(),
    })
    .optional(),
  pre_power_on_steps: z.array(VmCallout).nullish(),
  post_power_on_steps: z.array(VmCallout).nullish(),
  dependent_vms: z.array(DependentVm.strict()).nullish(),
};

/**
 * VmRecoverySettingsSpec: body of `POST .../vms/{vm_id}/recovery-settings/actions/update`. `change_version`
 * is VmRecoverySettings' field: "when reconfiguring an existing protected workload this value must be
 * set, and match the most recent value"; the request schema of the spec omits it. Request: exact.
 */
export const VmRecoverySettingsSpec = z.strictObject({
  ...settingsFields,
  change_version: z.number().int().optional(),
});
export type VmRecoverySettingsSpec = z.infer<typeof VmRecoverySettingsSpec>;

/** VmRecoverySettings as SRM answers it. */
export const VmRecoverySettings = z.object({
  ...settingsFields,
  shutdown_action_settings: z.object({
    skip_shutdown_guest: z.boolean().optional(),
    timeout_seconds: z.number().int(),
  }),
  startup_action_settings: z
    .object({
      power_on_vmtools_timeout_seconds: z.number().int().optional(),
      delay_before_power_on_steps_and_dependent_vms_seconds: z.number().int().optional(),
    })
    .optional(),
  dependent_vms: z.array(DependentVm).nullish(),
  change_version: z.number().int().optional(),
  vm_tools_status: z.string().nullish(),
  allow_vmotion_migration: z.boolean().optional(),
});
export type VmRecoverySettings = z.infer<typeof VmRecoverySettings>;

/** VmRecoverySettingsState (and its DrResponseEntity). */
export const VmRecoverySettingsState = z.object({
  recovery_settings: VmRecoverySettings.optional(),
  status: z.enum(["OK", "SYNC_CONFLICT"]).optional(),
  protection_group_support_vmotion: z.boolean().optional(),
  vmotion_migration_supported: z.boolean().optional(),
  _meta: Metadata.optional(),
});
export type VmRecoverySettingsState = z.infer<typeof VmRecoverySettingsState>;
