// The demo's runbook: the custom recovery steps of two plans, shared by the program (one RecoveryPlanCallouts per
// plan, see demoRunbooks) and by the runner that checks what SRM ends up with. Custom steps belong to the plan: a
// step before a priority group or at the end runs in test runs and in a real failover alike; one before a
// protected-site step runs in a failover only.
import type { PlanCalloutLists } from "pulumi-srm";

/** One custom step of the demo. */
export interface CalloutSpec {
  resource: string;
  plan: "Tier1-Apps" | "Tier2-DB";
  anchor:
    | "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS"
    | "BEFORE_RECOVER_PRIORITY_1_VMS"
    | "BEFORE_RECOVER_PRIORITY_2_VMS"
    | "AT_END";
  index: number;
  /** Which SRM workflows run the step (for the reader; SRM decides it by the anchor). */
  runsIn: "failover only" | "tests and failover";
  name: string;
  content: string;
  calloutType: "PROMPT" | "RUN_ON_SRM_SERVER";
  timeoutSeconds?: number;
}

/** The runbook; `edited` changes one command (an edit in place) and moves one prompt to a later group. */
export function demoCallouts(edited: boolean): CalloutSpec[] {
  return [
    {
      resource: "tier1-notify-owners",
      plan: "Tier1-Apps",
      anchor: "BEFORE_SHUTDOWN_PROTECTED_SITE_VMS",
      index: 0,
      runsIn: "failover only",
      name: "Notify the application owners",
      content: edited
        ? "/opt/dr/notify.sh --plan Tier1-Apps --channel '#dr-bridge' --page-oncall"
        : "/opt/dr/notify.sh --plan Tier1-Apps --channel '#dr-bridge'",
      calloutType: "RUN_ON_SRM_SERVER",
      timeoutSeconds: 120,
    },
    {
      resource: "tier1-confirm-network",
      plan: "Tier1-Apps",
      anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
      index: 0,
      runsIn: "tests and failover",
      name: "Confirm the recovery network",
      content:
        "Check that the recovered VMs' network is the intended one (the isolated test network in a test, " +
        "production in a failover), then continue.",
      calloutType: "PROMPT",
    },
    {
      resource: "tier2-check-replication",
      plan: "Tier2-DB",
      anchor: edited ? "BEFORE_RECOVER_PRIORITY_2_VMS" : "BEFORE_RECOVER_PRIORITY_1_VMS",
      index: 0,
      runsIn: "tests and failover",
      name: "Check database replication lag",
      content: "Confirm the replica lag is under 30 seconds on the DBA dashboard, then continue.",
      calloutType: "PROMPT",
    },
    {
      resource: "tier2-reindex",
      plan: "Tier2-DB",
      anchor: "AT_END",
      index: 0,
      runsIn: "tests and failover",
      name: "Rebuild search indexes",
      content: "/opt/dr/reindex.sh --all",
      calloutType: "RUN_ON_SRM_SERVER",
      timeoutSeconds: 1800,
    },
  ];
}

/** The runbook of each plan as RecoveryPlanCallouts lists: for each anchor, its steps in their index order. */
export function demoRunbooks(edited: boolean): Record<CalloutSpec["plan"], PlanCalloutLists> {
  const out: Record<string, Record<string, CalloutSpec[]>> = {};
  for (const c of demoCallouts(edited)) ((out[c.plan] ??= {})[c.anchor] ??= []).push(c);
  return Object.fromEntries(
    Object.entries(out).map(([plan, anchors]) => [
      plan,
      Object.fromEntries(
        Object.entries(anchors).map(([anchor, steps]) => [
          anchor,
          steps
            .sort((a, b) => a.index - b.index)
            .map((c) => ({
              name: c.name,
              content: c.content,
              calloutType: c.calloutType,
              ...(c.timeoutSeconds !== undefined ? { timeoutSeconds: c.timeoutSeconds } : {}),
            })),
        ]),
      ),
    ]),
  ) as Record<CalloutSpec["plan"], PlanCalloutLists>;
}
