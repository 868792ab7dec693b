// Run as a child process by resource-classes.test.ts (setMocks changes process-wide state): constructs one of
// each resource through the package entry, as a program does, and prints what reached the resource monitor.
import * as pulumi from "@pulumi/pulumi";

/** Distinctive passwords the parent test searches for. */
export const PASSWORDS = {
  psc: "Class-Psc-Pw-Wombat-5521!",
  sso: "Class-Sso-Pw-Tapir-8830!",
  appliance: "Class-Vcsa-Pw-Gecko-1147!",
};

interface Captured {
  type: string;
  name: string;
  additionalSecretOutputs: string[];
  object: Record<string, unknown>;
}

async function main(): Promise<void> {
  const captured: Captured[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => ({ id: `${args.name}-id`, state: args.inputs }),
      call: (args) => args.inputs,
    },
    "srm-classes",
    "test",
    false,
  );
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor(): {
      registerResource(req: unknown, cb: unknown): unknown;
    };
  };
  const monitor = settings.getMonitor();
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: unknown, cb: unknown) => {
    const r = req as {
      getType(): string;
      getName(): string;
      getAdditionalsecretoutputsList(): string[];
      getObject(): { toJavaScript(): Record<string, unknown> };
    };
    captured.push({
      type: r.getType(),
      name: r.getName(),
      additionalSecretOutputs: r.getAdditionalsecretoutputsList(),
      object: r.getObject().toJavaScript(),
    });
    return original(req, cb);
  };

  const srm = require("pulumi-srm") as typeof import("../../provider/index.js");
  const pairing = new srm.Pairing("dr-b", {
    remoteVcGuid: "bbbbbbbb-0000-4000-8000-00000000000b",
    pscUrl: "vc-b.example.local",
    pscUsername: "administrator@vsphere.local",
    pscPassword: PASSWORDS.psc,
  });
  const callout = new srm.RecoveryStepCallout("notify", {
    pairingId: pairing.pairingId,
    planId: "plan-1",
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index: 0,
    name: "Notify",
    content: "Check the replicas",
    calloutType: "PROMPT",
  });
  const runbook = new srm.RecoveryPlanCallouts("runbook", {
    pairingId: pairing.pairingId,
    planId: "plan-2",
    callouts: {
      AT_END: [{ name: "Reindex", content: "/opt/dr/reindex.sh", calloutType: "RUN_ON_SRM_SERVER" }],
    },
  });
  const reprotect = new srm.Reprotect("finance", {
    pairingId: pairing.pairingId,
    planId: "plan-3",
    triggers: [1],
  });
  const reconciliation = new srm.ApplianceReconciliation("vc-a", {
    applianceHost: "vc-a.example.local",
    appliancePassword: PASSWORDS.appliance,
    ssoAdminUsername: "administrator@vsphere.local",
    ssoAdminPassword: PASSWORDS.sso,
  });
  const urns = await Promise.all(
    [pairing, callout, runbook, reprotect, reconciliation].map(
      (r) => new Promise<string>((resolve) => r.urn.apply((u) => resolve(u))),
    ),
  );
  const isInstance = {
    runbook: srm.RecoveryPlanCallouts.isInstance(runbook),
    callout: srm.RecoveryPlanCallouts.isInstance(callout),
  };
  process.stdout.write(`${JSON.stringify({ urns, captured, isInstance })}\n`);
}

if (require.main === module) {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
