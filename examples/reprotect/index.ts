// Reprotects a recovered plan (after a failover), so it protects back in the other direction. Runs once on
// `pulumi up`; change `reprotect:run` to run it again. Needs the remote site credentials
// (`srm:remoteUsername`, `srm:remotePassword`) besides the `srm:*` connection settings.
import * as pulumi from "@pulumi/pulumi";
import { Reprotect, getPairingOutput, getRecoveryPlanOutput } from "pulumi-srm";

/** The program: one reprotect run of the plan `reprotect:plan` (default Finance). */
function reprotectExample() {
  const config = new pulumi.Config("reprotect");
  const pairing = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const plan = getRecoveryPlanOutput({ pairingId: pairing.pairingId, name: config.get("plan") ?? "Finance" });
  const reprotect = new Reprotect("finance-reprotect", {
    pairingId: pairing.pairingId,
    planId: plan.planId,
    triggers: [config.get("run") ?? "1"],
  });
  return {
    taskId: reprotect.taskId,
    taskStatus: reprotect.taskStatus,
    planStatusBefore: reprotect.planStatusBefore,
    planStatus: reprotect.planStatus,
  };
}

export = reprotectExample;
