// Built-in steps per workflow, and the anchor a custom step placed just before each one carries. Anchors and
// their workflows follow the `PlanCalloutPosition` enum of the SRM REST API v2 spec; the test workflow has no
// anchor before "Configure test networks" because the SRM administration guide ("Creating custom recovery
// steps", GUID-75F89A6E) says commands and prompts cannot be added before that step.
import {
  ANCHOR_PLACEMENT,
  type CalloutAnchor,
  type PlaceableAnchor,
  type ViewMode,
} from "../provider/api/index.js";

/** A built-in step: its title as SRM shows it and the anchor of custom steps placed just before it. */
export interface BuiltInStep {
  title: string;
  /** The anchor of custom steps just before this step; null where no custom step may go. */
  anchor: CalloutAnchor | null;
}

/** One workflow's built-in steps and the anchor after its last step (null: nothing may go there). */
export interface Workflow {
  steps: BuiltInStep[];
  endAnchor: CalloutAnchor | null;
}

/** The built-in step an anchor comes before, titled as the API's placement table says SRM titles it. */
const before = (anchor: PlaceableAnchor): BuiltInStep => ({
  title: ANCHOR_PLACEMENT[anchor].before!,
  anchor,
});
const powerOn = (p: 1 | 2 | 3 | 4 | 5): BuiltInStep => before(`BEFORE_RECOVER_PRIORITY_${p}_VMS`);
const priorities = [powerOn(1), powerOn(2), powerOn(3), powerOn(4), powerOn(5)];

/** Built-in steps per view mode (`recovery` is the failover workflow). */
export const WORKFLOWS: Record<ViewMode, Workflow> = {
  test: {
    steps: [
      { title: "Synchronize storage", anchor: null },
      { title: "Restore recovery site hosts from standby", anchor: null },
      { title: "Suspend non-critical VMs at recovery site", anchor: null },
      { title: "Create writable storage snapshot", anchor: null },
      { title: "Configure test networks", anchor: null },
      ...priorities,
    ],
    endAnchor: "AT_END",
  },
  recovery: {
    steps: [
      before("BEFORE_PRESYNC_STORAGE"),
      before("BEFORE_SHUTDOWN_PROTECTED_SITE_VMS"),
      before("BEFORE_RESUME_PROTECTED_SITE_VMS"),
      before("BEFORE_BEGIN_PREPARE_PRIMARY_SITE_HOSTS"),
      before("BEFORE_RESTORE_HOSTS"),
      before("BEFORE_BEGIN_PREPARE_STORAGE"),
      before("BEFORE_SYNC_STORAGE"),
      before("BEFORE_SUSPEND_RECOVERY_SITE_VMS"),
      before("BEFORE_PREPARE_STORAGE"),
      before("BEFORE_CONFIGURE_STORAGE"),
      ...priorities,
    ],
    endAnchor: "AT_END",
  },
  cleanup: {
    steps: [
      before("BEFORE_POWER_OFF_RECOVERY_SITE_VMS"),
      before("BEFORE_RESUME_RECOVERY_SITE_VMS"),
      before("BEFORE_RESTORE_STORAGE"),
    ],
    endAnchor: null,
  },
  reprotect: {
    steps: [
      { title: "Prepare storage for reprotect", anchor: null },
      before("BEFORE_CREATE_PLACEHOLDER_VMS"),
      before("BEFORE_FINALIZE_STORAGE"),
      before("BEFORE_REVERSE_REPLICATION"),
    ],
    endAnchor: null,
  },
};

/** The anchors a view mode shows, in their order in that view. */
export function anchorsOf(viewMode: ViewMode): CalloutAnchor[] {
  const w = WORKFLOWS[viewMode];
  const anchors = w.steps.map((s) => s.anchor).filter((a): a is CalloutAnchor => a !== null);
  return w.endAnchor ? [...anchors, w.endAnchor] : anchors;
}
