// Adds a prompt to a recovery plan (it runs in tests and in a real failover), found by name, in the pairing found by the remote
// vCenter's name. Config: `callout:remoteVcName`, `callout:plan` (defaults below) and the `srm:*` settings.
import * as pulumi from "@pulumi/pulumi";
import { RecoveryStepCallout, getPairingOutput, getRecoveryPlanOutput } from "pulumi-srm";

/** The program: one PROMPT before the priority 1 VMs power on, which runs in test runs and in a real failover alike. */
function recoveryStepCalloutExample() {
  const config = new pulumi.Config("callout");
  // Looked up by name: these ids are known in every preview. For a plan the program creates itself, pass
  // `plan.id` (never its planId output, unknown in the preview of an update of the plan).
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const plan = getRecoveryPlanOutput({
    pairingId: pairing.pairingId,
    name: config.get("plan") ?? "Tier1-Apps",
  });
  const callout = new RecoveryStepCallout("confirm-test-network", {
    pairingId: pairing.pairingId,
    planId: plan.planId,
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index: 0,
    name: "Confirm the isolated test network",
    content: "Check that the test bubble network is isolated from production before continuing.",
    calloutType: "PROMPT",
  });
  return {
    planId: plan.planId,
    stepId: callout.stepId,
    index: callout.index,
    anchor: callout.anchor,
  };
}

export = recoveryStepCalloutExample;
