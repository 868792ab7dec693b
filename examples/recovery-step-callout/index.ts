// Adds a prompt to the test run of a recovery plan, found by name, in the pairing found by the remote
// vCenter's name. Config: `callout:remoteVcName`, `callout:plan` (defaults below) and the `srm:*` settings.
import * as pulumi from "@pulumi/pulumi";
import { RecoveryStepCallout, getPairingOutput, getRecoveryPlanOutput } from "pulumi-srm";

/** The program: one PROMPT callout at position 1 of the plan's test steps. */
function recoveryStepCalloutExample() {
  const config = new pulumi.Config("callout");
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const plan = getRecoveryPlanOutput({
    pairingId: pairing.pairingId,
    name: config.get("plan") ?? "Tier1-Apps",
  });
  const callout = new RecoveryStepCallout("confirm-test-network", {
    pairingId: pairing.pairingId,
    planId: plan.planId,
    viewMode: "test",
    position: 1,
    name: "Confirm the isolated test network",
    content: "Check that the test bubble network is isolated from production before continuing.",
    calloutType: "PROMPT",
  });
  return {
    planId: plan.planId,
    stepId: callout.stepId,
    calloutId: callout.calloutId,
    position: callout.currentPosition,
  };
}

export = recoveryStepCalloutExample;
