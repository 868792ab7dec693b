// The callouts of the demo, shared by the program and by the runner that checks what SRM ends up with.

/** One callout of the demo, per plan and view mode. */
export interface CalloutSpec {
  resource: string;
  plan: "Tier1-Apps" | "Tier2-DB";
  viewMode: "test" | "recovery";
  position: number;
  name: string;
  content: string;
  calloutType: "PROMPT" | "RUN_ON_SRM_SERVER";
  timeoutSeconds?: number;
}

/** The callouts; `edited` changes one content (update in place) and one position (replacement). */
export function demoCallouts(edited: boolean): CalloutSpec[] {
  return [
    {
      resource: "tier1-test-confirm-network",
      plan: "Tier1-Apps",
      viewMode: "test",
      position: 1,
      name: "Confirm the isolated test network",
      content: "Check that the test bubble network is isolated from production, then continue.",
      calloutType: "PROMPT",
    },
    {
      resource: "tier1-recovery-notify",
      plan: "Tier1-Apps",
      viewMode: "recovery",
      position: 2,
      name: "Notify the application owners",
      content: edited
        ? "/opt/dr/notify.sh --plan Tier1-Apps --channel '#dr-bridge' --page-oncall"
        : "/opt/dr/notify.sh --plan Tier1-Apps --channel '#dr-bridge'",
      calloutType: "RUN_ON_SRM_SERVER",
      timeoutSeconds: 120,
    },
    {
      resource: "tier2-test-check-replication",
      plan: "Tier2-DB",
      viewMode: "test",
      position: edited ? 2 : 1,
      name: "Check database replication lag",
      content: "Confirm the replica lag is under 30 seconds on the DBA dashboard, then continue.",
      calloutType: "PROMPT",
    },
    {
      resource: "tier2-recovery-reindex",
      plan: "Tier2-DB",
      viewMode: "recovery",
      position: 3,
      name: "Rebuild search indexes",
      content: "/opt/dr/reindex.sh --all",
      calloutType: "RUN_ON_SRM_SERVER",
      timeoutSeconds: 1800,
    },
  ];
}
