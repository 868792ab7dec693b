// The whole runbook of a recovery plan, found by name in the pairing found by the remote vCenter's name: every
// custom step, in the order each anchor runs them. Config: `runbook:remoteVcName`, `runbook:plan` (defaults below)
// and the `srm:*` settings.
import * as pulumi from "@pulumi/pulumi";
import { RecoveryPlanCallouts, getPairingOutput, getRecoveryPlanOutput } from "pulumi-srm";

/** The program: a runbook of four steps; the first runs in a failover only, the others in tests too. */
function recoveryPlanCalloutsExample() {
  const config = new pulumi.Config("runbook");
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const plan = getRecoveryPlanOutput({
    pairingId: pairing.pairingId,
    name: config.get("plan") ?? "Tier2-DB",
  });
  const runbook = new RecoveryPlanCallouts("tier2-runbook", {
    pairingId: pairing.pairingId,
    planId: plan.planId,
    callouts: {
      BEFORE_SHUTDOWN_PROTECTED_SITE_VMS: [
        {
          name: "Stop application writes",
          content: "/opt/dr/freeze-writes.sh --plan Tier2-DB",
          calloutType: "RUN_ON_SRM_SERVER",
          timeoutSeconds: 300,
        },
      ],
      BEFORE_RECOVER_PRIORITY_1_VMS: [
        {
          name: "Check replica lag",
          content: "Confirm the replica lag is under 30 seconds, then continue.",
          calloutType: "PROMPT",
        },
        { name: "Warm the caches", content: "/opt/dr/warm-caches.sh", calloutType: "RUN_ON_SRM_SERVER" },
      ],
      AT_END: [
        {
          name: "Rebuild search indexes",
          content: "/opt/dr/reindex.sh --all",
          calloutType: "RUN_ON_SRM_SERVER",
          timeoutSeconds: 1800,
        },
      ],
    },
  });
  return { planId: plan.planId, stepIds: runbook.stepIds };
}

export = recoveryPlanCalloutsExample;
