// Reconciles a vCenter appliance with its SRM/vSphere Replication peers after a file-based restore. Runs once
// on `pulumi up`; change `reconcile:run` to run it again. The appliance connection comes from
// `srm:applianceHost`, `srm:applianceUsername`, `srm:appliancePassword` and `srm:applianceThumbprint`.
import * as pulumi from "@pulumi/pulumi";
import { ApplianceReconciliation } from "pulumi-srm";

/** The program: one reconciliation job with the SSO administrator's credentials. */
function applianceReconciliationExample() {
  const config = new pulumi.Config("reconcile");
  const job = new ApplianceReconciliation("after-restore", {
    ssoAdminUsername: config.get("ssoAdminUsername") ?? "administrator@vsphere.local",
    ssoAdminPassword: config.requireSecret("ssoAdminPassword"),
    triggers: [config.get("run") ?? "1"],
  });
  return {
    jobStatus: job.jobStatus,
    apiFlavor: job.apiFlavor,
    startTime: job.startTime,
    endTime: job.endTime,
  };
}

export = applianceReconciliationExample;
