import type { ViewMode } from "../provider/api/index.js";

/** A built-in step: its title as SRM shows it and the callout position that precedes it. */
export interface BuiltInStep {
  title: string;
  /** `PlanCalloutPosition.position_spec_position` of callouts inserted just before this step. */
  position: string;
}

const powerOn = (p: number): BuiltInStep => ({
  title: `Power on priority ${p} VMs`,
  position: `BEFORE_RECOVER_PRIORITY_${p}_VMS`,
});

/** Built-in steps per view mode, modelled on the lists the SRM UI shows for a plan. */
export const BUILT_IN_STEPS: Record<ViewMode, BuiltInStep[]> = {
  test: [
    { title: "Synchronize storage", position: "BEFORE_SYNC_STORAGE" },
    { title: "Restore recovery site hosts from standby", position: "BEFORE_RESTORE_HOSTS" },
    { title: "Suspend non-critical VMs at recovery site", position: "BEFORE_SUSPEND_RECOVERY_SITE_VMS" },
    { title: "Create writable storage snapshot", position: "BEFORE_PREPARE_STORAGE" },
    powerOn(1),
    powerOn(2),
    powerOn(3),
    powerOn(4),
    powerOn(5),
  ],
  recovery: [
    { title: "Pre-synchronize storage", position: "BEFORE_PRESYNC_STORAGE" },
    { title: "Shut down VMs at protected site", position: "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS" },
    { title: "Restore recovery site hosts from standby", position: "BEFORE_RESTORE_HOSTS" },
    { title: "Prepare protected site VMs for migration", position: "BEFORE_DISABLE_PROTECTED_SITE_VMS" },
    { title: "Synchronize storage", position: "BEFORE_SYNC_STORAGE" },
    { title: "Suspend non-critical VMs at recovery site", position: "BEFORE_SUSPEND_RECOVERY_SITE_VMS" },
    { title: "Change recovery site storage to writable", position: "BEFORE_PREPARE_STORAGE" },
    powerOn(1),
    powerOn(2),
    powerOn(3),
    powerOn(4),
    powerOn(5),
  ],
  cleanup: [
    { title: "Power off test VMs", position: "BEFORE_POWER_OFF_RECOVERY_SITE_VMS" },
    { title: "Resume non-critical VMs at recovery site", position: "BEFORE_RESUME_RECOVERY_SITE_VMS" },
    { title: "Discard test data and reset storage", position: "BEFORE_CLEANUP_RECOVERY_UNITS" },
    { title: "Clean up consistency groups", position: "BEFORE_CLEANUP_CONSISTENCY_GROUPS" },
  ],
  reprotect: [
    { title: "Prepare storage for reprotect", position: "BEFORE_BEGIN_PREPARE_STORAGE" },
    { title: "Configure storage to reverse direction", position: "BEFORE_CONFIGURE_STORAGE" },
    { title: "Configure protection to reverse direction", position: "BEFORE_CREATE_PLACEHOLDER_VMS" },
    { title: "Synchronize storage", position: "BEFORE_SYNC_STORAGE" },
    { title: "Reverse replication", position: "BEFORE_REVERSE_REPLICATION" },
  ],
};
