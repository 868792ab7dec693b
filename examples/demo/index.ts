// A whole DR configuration as code: the pairing to a spare site, the site bootstrap (inventory mappings
// both ways, IP subnet rules, a test network, a placeholder datastore), the site's protection (protection
// groups, a recovery plan, each VM's recovery settings; see site-protection.ts), the whole runbook of prompts and
// scripts of two recovery plans as one RecoveryPlanCallouts each (steps placed by anchor: before a priority group
// or at the end runs in tests and in a real failover; before a protected-site step runs in a failover only; see
// callouts.ts), the reprotect of a plan that was failed over, and the vCenter appliance reconciliation after a
// restore. SRM ids are never written down: the lookups find the
// pairing by the remote vCenter's name and the plans by name.
//
// Both sites' SRM servers are configured in `srm:sites` (siteA, siteB; see sites.ts): the reverse mappings
// are made at site B's server with site B's login, and the reprotect at site A logs in at the other end of
// the pairing with site B's login.
//
// Config (namespace `demo`; `npm run demo` sets it from the simulator):
//   remoteVcName        vCenter of the existing pairing (default vc-b.example.local)
//   localVcName         vCenter of site A, as site B's server names it (default vc-a.example.local)
//   spareVcGuid, sparePscUrl, sparePscThumbprint, sparePscUsername, sparePscPassword (secret)
//   ssoAdminUsername, ssoAdminPassword (secret)   for the appliance reconciliation
//   edited              true: the edited program (one callout's text changes, one callout moves, one VM
//                       moves to priority 2 with another recovery-site address);
//                       the environment variable DEMO_EDITED=1 does the same
// plus the `srm:*` connection settings and `srm:sites` (README).
import * as pulumi from "@pulumi/pulumi";
import {
  ApplianceReconciliation,
  Pairing,
  RecoveryPlanCallouts,
  Reprotect,
  getPairingOutput,
  getRecoveryPlanOutput,
} from "pulumi-srm";
import { demoRunbooks } from "./callouts.js";
import { siteBootstrap } from "./site-bootstrap.js";
import { siteProtection } from "./site-protection.js";
import { SITE_A, SITE_B } from "./sites.js";

/** The demo program; returns the stack outputs. */
function demo() {
  const config = new pulumi.Config("demo");
  const edited = config.getBoolean("edited") ?? process.env.DEMO_EDITED === "1";

  // The spare site C becomes a second DR target.
  const spare = new Pairing("site-c", {
    remoteVcGuid: config.require("spareVcGuid"),
    pscUrl: config.require("sparePscUrl"),
    pscThumbprint: config.get("sparePscThumbprint"),
    pscUsername: config.get("sparePscUsername") ?? "administrator@vsphere.local",
    pscPassword: config.requireSecret("sparePscPassword"),
  });

  // Everything else lives in the existing pairing with site B.
  const siteB = getPairingOutput({ remoteVcName: config.get("remoteVcName") ?? "vc-b.example.local" });
  const planIds: Record<string, pulumi.Output<string>> = {};
  const planId = (name: string): pulumi.Output<string> =>
    (planIds[name] ??= getRecoveryPlanOutput({ pairingId: siteB.pairingId, name }).planId);

  // The site bootstrap (inventory mappings both ways, IP rules, a test network, a placeholder datastore)
  // comes before the runbook.
  // The same pairing as site B's SRM server lists it (site A as its remote side), for what is made there.
  const fromB = getPairingOutput({
    remoteVcName: config.get("localVcName") ?? "vc-a.example.local",
    site: SITE_B,
  });
  const bootstrap = siteBootstrap(siteB.pairingId, SITE_B, fromB.pairingId);
  // Protection needs the mappings: SRM places each protected VM's placeholder by them.
  siteProtection(siteB.pairingId, edited, bootstrap);

  // Each plan's whole runbook is one resource that owns every custom step of the plan (see callouts.ts).
  const runbooks = Object.entries(demoRunbooks(edited)).map(
    ([plan, callouts]) =>
      new RecoveryPlanCallouts(
        `${plan.toLowerCase()}-runbook`,
        { pairingId: siteB.pairingId, planId: planId(plan), callouts },
        { dependsOn: bootstrap },
      ),
  );

  // Finance was failed over to site B; reprotect it so it is protected again, in the other direction. Run at
  // site A's server, it logs in at the other end of the pairing with site B's login from srm:sites.
  const reprotect = new Reprotect("finance-reprotect", {
    site: SITE_A,
    pairingId: siteB.pairingId,
    planId: planId("Finance"),
  });

  // The local vCenter was restored from a file backup: reconcile it with its DR peers.
  const reconciliation = new ApplianceReconciliation("vcenter-a-reconcile", {
    ssoAdminUsername: config.get("ssoAdminUsername") ?? "administrator@vsphere.local",
    ssoAdminPassword: config.requireSecret("ssoAdminPassword"),
  });

  return {
    sitePairingId: siteB.pairingId,
    sparePairingId: spare.pairingId,
    spareRemoteVc: spare.remoteVcName,
    spareRemoteVcStatus: spare.remoteVcServerStatus,
    spareRemoteSrmStatus: spare.remoteSrmServerStatus,
    calloutStepIds: pulumi
      .all(runbooks.map((r) => r.stepIds))
      .apply((ids) => Object.assign({}, ...ids) as Record<string, number>),
    financeReprotectTask: reprotect.taskId,
    financeStatus: pulumi.interpolate`${reprotect.planStatusBefore} -> ${reprotect.planStatus}`,
    reconciliationStatus: reconciliation.jobStatus,
    reconciliationApi: reconciliation.apiFlavor,
  };
}

export = demo;
