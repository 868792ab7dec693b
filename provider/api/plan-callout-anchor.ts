// Where a plan-level callout sits: the `PlanCalloutPosition.position_spec_position` enum of the SRM REST API v2
// spec, with the workflows each value belongs to as the spec describes them.
import { z } from "zod";

/** Every value of `PlanCalloutPosition.position_spec_position` in the spec, in the spec's order. */
export const PLAN_CALLOUT_POSITIONS = [
  "AT_BEGIN",
  "BEFORE_DISCOVER_RU_METADATA_SYNC",
  "BEFORE_SYNC_METADATA",
  "BEFORE_PRESYNC_STORAGE",
  "BEFORE_RESTORING_HOSTS_FOR_MIGRATION",
  "BEFORE_SUSPEND_RECOVERY_SITE_VMS_FOR_MIGRATION",
  "BEFORE_PREPARE_STORAGE_FOR_VMOTION",
  "BEFORE_VMOTION_VMS",
  "BEFORE_DISABLE_PROTECTED_SITE_VMS",
  "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS",
  "BEFORE_RESUME_PROTECTED_SITE_VMS",
  "BEFORE_POWER_OFF_RECOVERY_SITE_VMS",
  "BEFORE_RESUME_RECOVERY_SITE_VMS",
  "BEFORE_DEACTIVATE_RECOVERY_UNITS",
  "BEFORE_POST_PROCESS_AFTER_DEACTIVATE",
  "BEFORE_DEACTIVATE_CONSISTENCY_GROUPS",
  "BEFORE_BEGIN_PREPARE_PRIMARY_SITE_HOSTS",
  "BEFORE_BEGIN_PREPARE_STORAGE",
  "BEFORE_SYNC_STORAGE",
  "BEFORE_RESTORE_HOSTS",
  "BEFORE_PREPARE_STORAGE",
  "BEFORE_RESTORE_STORAGE",
  "BEFORE_DISCOVER_PIGGYBACK_UNITS",
  "BEFORE_CLEANUP_RECOVERY_UNITS",
  "BEFORE_CLEANUP_CONSISTENCY_GROUPS",
  "BEFORE_SUSPEND_RECOVERY_SITE_VMS",
  "BEFORE_SUSPEND_PROTECTED_SITE_VMS",
  "BEFORE_CONFIGURE_STORAGE",
  "BEFORE_IMPORT_VMS",
  "BEFORE_APPLYING_POLICIES",
  "BEFORE_RECOVER_PRIORITY_1_VMS",
  "BEFORE_RECOVER_PRIORITY_2_VMS",
  "BEFORE_RECOVER_PRIORITY_3_VMS",
  "BEFORE_RECOVER_PRIORITY_4_VMS",
  "BEFORE_RECOVER_PRIORITY_5_VMS",
  "BEFORE_CREATE_PLACEHOLDER_VMS",
  "BEFORE_FINALIZE_STORAGE",
  "BEFORE_REVERSE_REPLICATION",
  "AT_END",
] as const;
/** A `position_spec_position` value. */
export type PlanCalloutPositionValue = (typeof PLAN_CALLOUT_POSITIONS)[number];

/** Workflows the spec names for an anchor: failover is the `recovery` view, rollback has no view mode. */
export type CalloutWorkflow = "failover" | "test" | "cleanup" | "reprotect" | "rollback";

/**
 * Anchors a callout may be placed at, with the workflows the spec's description of each value names.
 * Left out, as the spec says: AT_BEGIN ("invalid for callouts") and every value marked "NOT USED. Kept for
 * backward compatibility".
 */
export const CALLOUT_ANCHOR_WORKFLOWS = {
  BEFORE_PRESYNC_STORAGE: ["failover", "test"],
  BEFORE_RESTORING_HOSTS_FOR_MIGRATION: ["failover"],
  BEFORE_SUSPEND_RECOVERY_SITE_VMS_FOR_MIGRATION: ["failover"],
  BEFORE_PREPARE_STORAGE_FOR_VMOTION: ["failover"],
  BEFORE_VMOTION_VMS: ["failover"],
  BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: ["failover"],
  BEFORE_RESUME_PROTECTED_SITE_VMS: ["failover"],
  BEFORE_POWER_OFF_RECOVERY_SITE_VMS: ["cleanup"],
  BEFORE_RESUME_RECOVERY_SITE_VMS: ["cleanup"],
  BEFORE_BEGIN_PREPARE_PRIMARY_SITE_HOSTS: ["failover"],
  BEFORE_BEGIN_PREPARE_STORAGE: ["failover", "test"],
  BEFORE_SYNC_STORAGE: ["failover"],
  BEFORE_RESTORE_HOSTS: ["failover", "test"],
  BEFORE_PREPARE_STORAGE: ["failover", "test"],
  BEFORE_RESTORE_STORAGE: ["cleanup"],
  BEFORE_SUSPEND_RECOVERY_SITE_VMS: ["failover", "test"],
  BEFORE_SUSPEND_PROTECTED_SITE_VMS: ["rollback"],
  BEFORE_CONFIGURE_STORAGE: ["failover", "test"],
  BEFORE_RECOVER_PRIORITY_1_VMS: ["failover", "test", "rollback"],
  BEFORE_RECOVER_PRIORITY_2_VMS: ["failover", "test", "rollback"],
  BEFORE_RECOVER_PRIORITY_3_VMS: ["failover", "test", "rollback"],
  BEFORE_RECOVER_PRIORITY_4_VMS: ["failover", "test", "rollback"],
  BEFORE_RECOVER_PRIORITY_5_VMS: ["failover", "test", "rollback"],
  BEFORE_CREATE_PLACEHOLDER_VMS: ["reprotect", "rollback"],
  BEFORE_FINALIZE_STORAGE: ["reprotect", "rollback"],
  BEFORE_REVERSE_REPLICATION: ["reprotect", "rollback"],
  AT_END: ["failover", "test"],
} as const satisfies Partial<Record<PlanCalloutPositionValue, readonly CalloutWorkflow[]>>;

/** The anchors a callout may be placed at. */
export const CALLOUT_ANCHORS = Object.keys(CALLOUT_ANCHOR_WORKFLOWS) as CalloutAnchor[];
/** An anchor a callout may be placed at (see {@link CALLOUT_ANCHOR_WORKFLOWS}). */
export type CalloutAnchor = keyof typeof CALLOUT_ANCHOR_WORKFLOWS;
/** Zod enum of {@link CALLOUT_ANCHORS}. */
export const CalloutAnchorSchema = z.enum(CALLOUT_ANCHORS as [CalloutAnchor, ...CalloutAnchor[]]);

/** Whether a `position_spec_position` value is one a callout may be placed at. */
export function isCalloutAnchor(value: string): value is CalloutAnchor {
  return Object.prototype.hasOwnProperty.call(CALLOUT_ANCHOR_WORKFLOWS, value);
}

/** The view modes (`{view_mode}` segment) in which callouts are listed and created. */
type StepsView = "test" | "recovery" | "cleanup" | "reprotect";

/**
 * Where an anchor is in SRM's step lists: the view mode in which it is placed, and the title of the built-in
 * step it comes just before (null: after the last step). Titles are those the SRM UI shows in English.
 * `BEFORE_SUSPEND_PROTECTED_SITE_VMS` belongs only to the rollback workflow, which no view mode lists.
 */
export const ANCHOR_PLACEMENT: Record<
  Exclude<CalloutAnchor, "BEFORE_SUSPEND_PROTECTED_SITE_VMS">,
  { view: StepsView; before: string | null }
> = {
  BEFORE_PRESYNC_STORAGE: { view: "recovery", before: "Pre-synchronize storage" },
  BEFORE_RESTORING_HOSTS_FOR_MIGRATION: {
    view: "recovery",
    before: "Restore recovery site hosts for migration",
  },
  BEFORE_SUSPEND_RECOVERY_SITE_VMS_FOR_MIGRATION: {
    view: "recovery",
    before: "Suspend non-critical VMs at recovery site for migration",
  },
  BEFORE_PREPARE_STORAGE_FOR_VMOTION: { view: "recovery", before: "Prepare storage for vMotion" },
  BEFORE_VMOTION_VMS: { view: "recovery", before: "Migrate VMs with vMotion" },
  BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: { view: "recovery", before: "Shut down VMs at protected site" },
  BEFORE_RESUME_PROTECTED_SITE_VMS: { view: "recovery", before: "Resume VMs suspended at protected site" },
  BEFORE_BEGIN_PREPARE_PRIMARY_SITE_HOSTS: { view: "recovery", before: "Prepare protected site hosts" },
  BEFORE_RESTORE_HOSTS: { view: "recovery", before: "Restore recovery site hosts from standby" },
  BEFORE_BEGIN_PREPARE_STORAGE: { view: "recovery", before: "Prepare storage" },
  BEFORE_SYNC_STORAGE: { view: "recovery", before: "Synchronize storage" },
  BEFORE_SUSPEND_RECOVERY_SITE_VMS: { view: "recovery", before: "Suspend non-critical VMs at recovery site" },
  BEFORE_PREPARE_STORAGE: { view: "recovery", before: "Change recovery site storage to writable" },
  BEFORE_CONFIGURE_STORAGE: { view: "recovery", before: "Configure recovery site storage" },
  BEFORE_RECOVER_PRIORITY_1_VMS: { view: "recovery", before: "Power on priority 1 VMs" },
  BEFORE_RECOVER_PRIORITY_2_VMS: { view: "recovery", before: "Power on priority 2 VMs" },
  BEFORE_RECOVER_PRIORITY_3_VMS: { view: "recovery", before: "Power on priority 3 VMs" },
  BEFORE_RECOVER_PRIORITY_4_VMS: { view: "recovery", before: "Power on priority 4 VMs" },
  BEFORE_RECOVER_PRIORITY_5_VMS: { view: "recovery", before: "Power on priority 5 VMs" },
  AT_END: { view: "recovery", before: null },
  BEFORE_POWER_OFF_RECOVERY_SITE_VMS: { view: "cleanup", before: "Power off test VMs" },
  BEFORE_RESUME_RECOVERY_SITE_VMS: { view: "cleanup", before: "Resume non-critical VMs at recovery site" },
  BEFORE_RESTORE_STORAGE: { view: "cleanup", before: "Discard test data and reset storage" },
  BEFORE_CREATE_PLACEHOLDER_VMS: { view: "reprotect", before: "Configure protection to reverse direction" },
  BEFORE_FINALIZE_STORAGE: { view: "reprotect", before: "Synchronize storage" },
  BEFORE_REVERSE_REPLICATION: { view: "reprotect", before: "Reverse replication" },
};

/** An anchor a program can place a callout at: one that some view mode lists. */
export type PlaceableAnchor = keyof typeof ANCHOR_PLACEMENT;
/** Every {@link PlaceableAnchor}. */
export const PLACEABLE_ANCHORS = Object.keys(ANCHOR_PLACEMENT) as PlaceableAnchor[];
