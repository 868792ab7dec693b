import { z } from "zod";
import { CalloutAnchorSchema, CalloutType, RecoveryPlanStatus, ServerStatus } from "../provider/api/index.js";
import { siteVcenterInventory, VcenterInventorySchema } from "./vcenter-inventory.js";

/** A remote site this SRM knows about (registered with its Platform Services Controller). */
export const RemoteSiteSchema = z.object({
  vcGuid: z.string().min(1),
  vcName: z.string().min(1),
  siteName: z.string().min(1),
  srmId: z.string().min(1),
  srmName: z.string().min(1),
  srmUrl: z.string().min(1),
  srmThumbprint: z.string().nullable().default(null),
  pscUrl: z.string().min(1),
  pscPort: z.number().int().default(443),
  /** When set, a pairing spec carrying a different thumbprint fails. */
  pscThumbprint: z.string().nullable().default(null),
  /** SSO credentials of the remote site: pairing, reconnect and remote-session logins use them. */
  username: z.string().min(1),
  password: z.string().min(1),
  version: z.string().default("9.0.2"),
});
export type RemoteSite = z.infer<typeof RemoteSiteSchema>;

/** A callout placed in a plan's steps by the inventory: at an anchor and index, or at a flat position of a view. */
export const InventoryCalloutSchema = z
  .object({
    anchor: CalloutAnchorSchema.optional(),
    index: z.number().int().min(0).default(0),
    viewMode: z.enum(["test", "recovery", "cleanup", "reprotect"]).optional(),
    position: z.number().int().min(0).optional(),
    name: z.string().min(1),
    content: z.string(),
    calloutType: CalloutType,
    timeoutSeconds: z.number().int().min(0).default(0),
  })
  .refine((c) => c.anchor !== undefined || (c.viewMode !== undefined && c.position !== undefined), {
    message: "set anchor (and index), or viewMode and position",
  });

export const InventoryPlanSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  status: RecoveryPlanStatus,
  description: z.string().nullable().default(null),
  /** Whether the local site is the protected one (default true). */
  protectedIsLocal: z.boolean().default(true),
  callouts: z.array(InventoryCalloutSchema).default([]),
});
export type InventoryPlan = z.infer<typeof InventoryPlanSchema>;

export const InventoryPairingSchema = z.object({
  id: z.string().min(1),
  remoteVcGuid: z.string().min(1),
  plans: z.array(InventoryPlanSchema).default([]),
});

/** The whole simulated world. Load one from JSON with {@link parseInventory}. */
export const InventorySchema = z.object({
  local: z.object({
    vcGuid: z.string().min(1),
    vcName: z.string().min(1),
    siteName: z.string().min(1),
    srmId: z.string().min(1),
    srmName: z.string().min(1),
    /** Id of the self-pairing that `GET /pairings` lists (local_vc == remote_vc). */
    selfPairingId: z.string().min(1),
    version: z.string().default("9.0.2"),
  }),
  credentials: z.object({
    username: z.string().min(1),
    password: z.string().min(1),
    applianceUsername: z.string().min(1),
    appliancePassword: z.string().min(1),
    ssoUsername: z.string().min(1),
    ssoPassword: z.string().min(1),
  }),
  remoteSites: z.array(RemoteSiteSchema),
  pairings: z.array(InventoryPairingSchema),
  appliance: z
    .object({
      /** A file-based restore has finished, so reconciliation is allowed. */
      restoreCompleted: z.boolean().default(true),
      api: z.enum(["both", "rest-only"]).default("both"),
    })
    .default({ restoreCompleted: true, api: "both" }),
  serverStatus: z
    .object({ local: ServerStatus.default("OK"), remote: ServerStatus.default("OK") })
    .default({ local: "OK", remote: "OK" }),
  /** The vCenter inventory of each site (local and remote), by `vcGuid`; a vCenter not listed is empty. */
  vcenters: z.array(VcenterInventorySchema).default([]),
});
export type Inventory = z.infer<typeof InventorySchema>;
/** Inventory as written in a JSON file (defaults not yet applied). */
export type InventoryInput = z.input<typeof InventorySchema>;

/** Validates an inventory loaded from JSON; throws an error naming every bad field. */
export function parseInventory(data: unknown): Inventory {
  const parsed = InventorySchema.safeParse(data);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`);
    throw new Error(`invalid simulator inventory: ${fields.join("; ")}`);
  }
  return parsed.data;
}

/** Predictable ids of the default inventory. */
export const DEFAULT_IDS = {
  localVcGuid: "aaaaaaaa-0000-4000-8000-00000000000a",
  remoteVcGuid: "bbbbbbbb-0000-4000-8000-00000000000b",
  spareRemoteVcGuid: "cccccccc-0000-4000-8000-00000000000c",
  selfPairingId: "aa000000-0000-4000-8000-0000000000aa",
  pairingId: "ab000000-0000-4000-8000-0000000000ab",
  plans: {
    "Tier1-Apps": "plan-1001",
    "Tier2-DB": "plan-1002",
    Finance: "plan-1003",
    Legacy: "plan-1004",
  } as Record<string, string>,
} as const;

/**
 * The default world: local site A, remote site B already paired, spare site C known but unpaired,
 * four plans in the A-B pairing. Passwords are distinctive so tests can grep for leaks.
 */
export function defaultInventory(): Inventory {
  const ids = DEFAULT_IDS;
  const remote = { username: "administrator@vsphere.local", password: "Remote-Sso-Pw-7d41!" };
  return parseInventory({
    local: {
      vcGuid: ids.localVcGuid,
      vcName: "vc-a.example.local",
      siteName: "Site-A",
      srmId: "a5a5a5a5-0000-4000-8000-0000000000a5",
      srmName: "srm-a.example.local",
      selfPairingId: ids.selfPairingId,
    },
    credentials: {
      username: "administrator@vsphere.local",
      password: "Local-Srm-Pw-3f9c!",
      applianceUsername: "root",
      appliancePassword: "Vcsa-Root-Pw-81e2!",
      ssoUsername: "administrator@vsphere.local",
      ssoPassword: "Sso-Admin-Pw-5b07!",
    },
    remoteSites: [
      {
        vcGuid: ids.remoteVcGuid,
        vcName: "vc-b.example.local",
        siteName: "Site-B",
        srmId: "b5b5b5b5-0000-4000-8000-0000000000b5",
        srmName: "srm-b.example.local",
        srmUrl: "https://srm-b.example.local",
        pscUrl: "vc-b.example.local",
        pscThumbprint: null,
        ...remote,
      },
      {
        vcGuid: ids.spareRemoteVcGuid,
        vcName: "vc-c.example.local",
        siteName: "Site-C",
        srmId: "c5c5c5c5-0000-4000-8000-0000000000c5",
        srmName: "srm-c.example.local",
        srmUrl: "https://srm-c.example.local",
        pscUrl: "vc-c.example.local",
        pscThumbprint:
          "C3:0F:FE:E0:0C:0F:FE:E0:0C:0F:FE:E0:0C:0F:FE:E0:0C:0F:FE:E0:0C:0F:FE:E0:0C:0F:FE:E0:0C:0F:FE:E0",
        ...remote,
      },
    ],
    pairings: [
      {
        id: ids.pairingId,
        remoteVcGuid: ids.remoteVcGuid,
        plans: [
          {
            id: ids.plans["Tier1-Apps"],
            name: "Tier1-Apps",
            status: "READY_STATE",
            description: "Front-end tier",
          },
          { id: ids.plans["Tier2-DB"], name: "Tier2-DB", status: "READY_STATE", description: "Databases" },
          {
            id: ids.plans.Finance,
            name: "Finance",
            status: "RECOVERY_COMPLETE",
            description: "Failed over to Site-B",
          },
          { id: ids.plans.Legacy, name: "Legacy", status: "TEST_COMPLETE", description: null },
        ],
      },
    ],
    vcenters: [
      siteVcenterInventory(ids.localVcGuid, "A", 1000),
      siteVcenterInventory(ids.remoteVcGuid, "B", 2000),
      siteVcenterInventory(ids.spareRemoteVcGuid, "C", 3000),
    ],
  });
}
