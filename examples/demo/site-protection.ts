// The protection of the demo site: which VMs are protected together, which plan recovers them and how each
// VM comes back. Two vSphere Replication groups (the app tier and the database) feed one recovery plan that
// uses the isolated test network during tests; each VM gets its priority, power-on behaviour, commands and,
// for the web front end, a fixed address at the recovery site. VMs are found by name, the plan's VMs by name
// among the plan's VMs, so no SRM id is written down.
import * as pulumi from "@pulumi/pulumi";
import {
  getInventoryObjectOutput,
  getPlanVm,
  ProtectionGroup,
  RecoveryPlan,
  VmRecoverySettings,
  type VmRecoverySettingsArgs,
} from "pulumi-srm";

/** Resources the site protection declares: two groups, one plan, three VMs' settings. */
export const SITE_PROTECTION_RESOURCES = 6;

/** Name of the demo's recovery plan. */
export const SITE_PROTECTION_PLAN = "Site-A-DR";

/** How one VM of the plan comes back. */
export interface VmSpec {
  /** Resource name. */
  resource: string;
  /** VM name in vCenter. */
  vm: string;
  /** The settings, without the pairing, plan and VM ids. */
  settings: Omit<VmRecoverySettingsArgs, "pairingId" | "planId" | "vmId">;
}

/**
 * Each VM's recovery settings; `edited` moves the web front end from priority 1 to 2 and gives it another
 * address at the recovery site (the change the demo previews).
 */
export function demoVmSettings(edited: boolean): VmSpec[] {
  return [
    {
      resource: "vm-db-a-01",
      vm: "db-a-01",
      settings: {
        priority: 1,
        shutdownTimeoutSeconds: 600,
        prePowerOnCommands: [
          {
            name: "Confirm the replica is consistent",
            content: "Check the storage replication status of db-a-01 before it powers on, then continue.",
            kind: "PROMPT",
          },
        ],
      },
    },
    {
      resource: "vm-app-a-01",
      vm: "app-a-01",
      settings: {
        priority: edited ? 2 : 1,
        ipCustomization: "MANUAL",
        nics: [
          {
            deviceId: 4000,
            ipAddress: edited ? "10.2.0.31" : "10.2.0.21",
            subnetMask: "255.255.255.0",
            gateway: "10.2.0.1",
            dnsServers: ["10.2.0.53"],
          },
        ],
        postPowerOnCommands: [
          {
            name: "Smoke test",
            content: "/opt/dr/smoke.sh --url https://app-a-01/health",
            kind: "RUN_ON_VM",
          },
        ],
      },
    },
    {
      resource: "vm-app-a-02",
      vm: "app-a-02",
      settings: { priority: 2, delayAfterPowerOnSeconds: 30 },
    },
  ];
}

/** Declares the groups, the plan and the VMs' settings in the pairing, after `dependsOn` (the bootstrap). */
export function siteProtection(
  pairingId: pulumi.Output<string>,
  edited: boolean,
  dependsOn: pulumi.Resource[],
): pulumi.Resource[] {
  const vm = (name: string) => getInventoryObjectOutput({ pairingId, kind: "vm", name });
  const network = (path: string) =>
    getInventoryObjectOutput({ pairingId, side: "remote", kind: "network", path }).id;
  const app1 = vm("app-a-01");
  const protectedVcGuid = app1.vcGuid;

  const apps = new ProtectionGroup(
    "group-apps",
    {
      pairingId,
      name: "Apps",
      description: "The web tier, replicated by vSphere Replication",
      protectedVcGuid,
      vms: [app1.id, vm("app-a-02").id],
    },
    { dependsOn },
  );
  const databases = new ProtectionGroup(
    "group-databases",
    { pairingId, name: "Databases", protectedVcGuid, vms: [vm("db-a-01").id] },
    { dependsOn },
  );
  const plan = new RecoveryPlan("plan-site-a", {
    pairingId,
    name: SITE_PROTECTION_PLAN,
    description: "Recovers the apps and their database at site B",
    protectedVcGuid,
    protectionGroupIds: [apps.id, databases.id],
    testNetworks: [
      {
        recoveryNetwork: network("/DC-B/network/PG-App-B"),
        testNetwork: network("/DC-B/network/PG-Test-B"),
      },
    ],
  });

  // A VM is in the plan once its group is: the id comes from the plan's own VM listing.
  const planVm = (name: string) =>
    pulumi
      .all([pairingId, plan.planId])
      .apply(([p, planId]) => getPlanVm({ pairingId: p, planId, name }))
      .apply((v) => v.id);
  const settings = demoVmSettings(edited).map(
    (s) =>
      new VmRecoverySettings(s.resource, { pairingId, planId: plan.id, vmId: planVm(s.vm), ...s.settings }),
  );
  return [apps, databases, plan, ...settings];
}
