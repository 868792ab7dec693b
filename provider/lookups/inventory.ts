// Lookups of a site's vCenter inventory by path or name, and of the datastores SRM finds suitable as
// placeholders, so programs never hard-code managed-object ids. They read only; the remote site's objects
// need the remote credentials (SRM reads the other vCenter with both sites logged in).
import * as pulumi from "@pulumi/pulumi";
import { SuitableDatastoreInfo, type VcenterInventoryKind } from "../api/index.js";
import { SiteInventoryClient } from "../client/index.js";
import { z } from "zod";
import { afterDependsOn, programContext } from "./pairing-and-plan.js";
import { loginBothSites, pairingSites, type SiteSide } from "../shared/pairing-sites.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { withContext } from "../dynamic/resource-error.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** What {@link getInventoryObject} looks for. */
export type InventoryObjectKind = "folder" | "network" | "compute" | "datastore" | "storage-policy" | "vm";

const LISTING: Partial<Record<InventoryObjectKind, VcenterInventoryKind>> = {
  folder: "vm-folder",
  network: "network",
  compute: "compute",
  datastore: "datastores",
};

/** Arguments of {@link getInventoryObject}. */
export interface GetInventoryObjectArgs {
  /** SRM id of the pairing (see `getPairing`). */
  pairingId: string;
  /** `local` (the vCenter of the SRM server the lookup asks, default) or `remote` (its pair's). */
  side?: SiteSide;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: string;
  /**
   * `folder` (VM folder), `network`, `compute` (cluster, host or resource pool), `datastore`: found by
   * `path`; `storage-policy` and `vm` (a replicated VM, also once a protection group of the pairing holds it): found by `name`.
   */
  kind: InventoryObjectKind;
  /** vSphere inventory path, e.g. `/DC-A/vm/Apps/Web`, `/DC-A/network/PG-App-A`, `/DC-A/host/Cluster-A/Resources/Prod`. */
  path?: string;
  /** Exact name (storage policies and VMs). */
  name?: string;
}

/** An object found by {@link getInventoryObject}. */
export interface GetInventoryObjectResult {
  /** Managed-object id (what mappings and placeholder datastores take). */
  id: string;
  /** Name of the object. */
  name: string;
  /** Inventory path (storage policies and VMs: their name). */
  path: string;
  /** Instance UUID of the vCenter that has it. */
  vcGuid: string;
  /** The side of the pairing it was looked up at. */
  side: SiteSide;
}

/**
 * Finds one object of a site's vCenter; the error lists what exists where it looked. Runs in the program
 * like `getPairing`; `opts` is accepted for the usual lookup signature.
 */
export function getInventoryObject(
  args: GetInventoryObjectArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetInventoryObjectResult> {
  void opts;
  return lookupInventoryObject(args, programContext(args.site));
}

/** {@link getInventoryObject} with explicit settings. @internal */
export async function lookupInventoryObject(
  args: GetInventoryObjectArgs,
  ctx: ProviderContext,
): Promise<GetInventoryObjectResult> {
  const site = args.side ?? "local";
  const byPath = LISTING[args.kind] !== undefined;
  const key = byPath ? args.path : args.name;
  if (!args.pairingId || !key) {
    throw new Error(
      `getInventoryObject: set pairingId and ${byPath ? "path" : "name"} (a ${args.kind} is found by its ${byPath ? "path" : "name"}).`,
    );
  }
  return withContext(`getInventoryObject(${args.kind} "${key}" at the ${site} site)`, async () => {
    const { client, settings } = srmClientFor(ctx);
    if (site === "remote")
      await loginBothSites(client, settings, args.pairingId, "Looking up a remote inventory object");
    const vc = (await pairingSites(client, args.pairingId))[site];
    const inv = new SiteInventoryClient(client);
    const found = (id: string, name: string, path: string): GetInventoryObjectResult => ({
      id,
      name,
      path,
      vcGuid: vc.vcGuid,
      side: site,
    });
    // SRM lists only replicated VMs no group protects yet ("Replicated VMs that are not protected by Site
    // Recovery Manager can be used to create a protection group", getReplicatedVms); a program that protects
    // a VM found by name runs again after the VM joined its group, so the site's groups are searched too.
    const protectedVm = async (name: string) => {
      for (const g of await client.listGroups(args.pairingId)) {
        if (g.protected_vc_guid !== undefined && g.protected_vc_guid !== vc.vcGuid) continue;
        const vm = (await client.listGroupVms(args.pairingId, g.id)).find((v) => v.name === name);
        if (vm) return vm;
      }
      return undefined;
    };
    const listing = LISTING[args.kind];
    if (listing) {
      const path = key.replace(/\/+$/, "");
      const cut = path.lastIndexOf("/");
      const parent = path.slice(0, cut);
      const leaf = path.slice(cut + 1);
      const children = await inv.listInventory(args.pairingId, vc.vcGuid, listing, parent || undefined);
      const hit = children.find((c) => c.name === leaf || c.path === path);
      if (!hit) {
        throw new Error(
          `nothing named "${leaf}" under "${parent || "/"}" in vCenter ${vc.vcName}; there: ` +
            `${children.map((c) => c.path ?? c.name).join(", ") || "nothing"}.`,
        );
      }
      return found(hit.id, hit.name ?? leaf, hit.path ?? path);
    }
    const items =
      args.kind === "storage-policy"
        ? await inv.listStoragePolicies(args.pairingId, vc.vcGuid)
        : await inv.listReplicatedVms(args.pairingId, vc.vcGuid);
    const hit =
      items.find((i) => i.name === key) ?? (args.kind === "vm" ? await protectedVm(key) : undefined);
    if (!hit) {
      throw new Error(
        `no ${args.kind === "vm" ? "replicated VM" : "storage policy"} named "${key}" in vCenter ${vc.vcName}; there: ` +
          `${items.map((i) => i.name).join(", ") || "none"}.`,
      );
    }
    return found(hit.id, hit.name ?? key, hit.name ?? key);
  });
}

/** Arguments of {@link getSuitablePlaceholderDatastores}. */
export interface GetSuitablePlaceholderDatastoresArgs {
  /** SRM id of the pairing. */
  pairingId: string;
  /** The recovery side of the pairing whose SRM server is asked: `remote` (default) or `local`. */
  side?: SiteSide;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: string;
}

/** One datastore SRM finds suitable for placeholder VMs. */
export interface SuitablePlaceholderDatastore {
  /** Managed-object id. */
  datastoreId: string;
  /** Name of the datastore. */
  name?: string;
  /** Whether it is a placeholder datastore already. */
  isPlaceholder: boolean;
}

/**
 * The datastores SRM finds suitable as placeholder datastores at a site (SRM runs a task to find them). Runs
 * in the program like `getPairing`; `opts` is accepted for the usual lookup signature.
 */
export function getSuitablePlaceholderDatastores(
  args: GetSuitablePlaceholderDatastoresArgs,
  opts?: pulumi.InvokeOptions,
): Promise<SuitablePlaceholderDatastore[]> {
  void opts;
  return lookupSuitablePlaceholderDatastores(args, programContext(args.site));
}

/** {@link getSuitablePlaceholderDatastores} with explicit settings. @internal */
export async function lookupSuitablePlaceholderDatastores(
  args: GetSuitablePlaceholderDatastoresArgs,
  ctx: ProviderContext,
): Promise<SuitablePlaceholderDatastore[]> {
  const site = args.side ?? "remote";
  if (!args.pairingId) throw new Error("getSuitablePlaceholderDatastores: set pairingId.");
  return withContext(`getSuitablePlaceholderDatastores(${site} site)`, async () => {
    const { client, settings } = srmClientFor(ctx);
    await loginBothSites(client, settings, args.pairingId, "Querying placeholder datastores");
    const srm = (await pairingSites(client, args.pairingId))[site];
    const inv = new SiteInventoryClient(client);
    const task = await inv.querySuitableDatastores(args.pairingId, srm.srmId);
    const done = await waitWithProgress(client, task, {
      label: "getSuitablePlaceholderDatastores",
      timeoutSeconds: 300,
      timeoutInput: "the 300-second limit of this lookup",
      log: ctx.log,
    });
    const list = z.array(SuitableDatastoreInfo).safeParse(done.result);
    if (!list.success) {
      throw new Error(
        `task ${done.id} succeeded but its result is not a list of datastores. The SRM version may not be supported.`,
      );
    }
    return Promise.all(
      list.data.map(async (d) => ({
        datastoreId: d.datastore_id,
        name:
          (await inv.getInventoryItem(args.pairingId, srm.vcGuid, "datastores", d.datastore_id))?.name ??
          undefined,
        isPlaceholder: d.placeholder_datastore === true,
      })),
    );
  });
}

/** {@link GetInventoryObjectArgs} with Inputs. */
export interface GetInventoryObjectOutputArgs {
  /** {@inheritDoc GetInventoryObjectArgs.pairingId} */
  pairingId: pulumi.Input<string>;
  /** {@inheritDoc GetInventoryObjectArgs.side} */
  side?: pulumi.Input<SiteSide>;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: pulumi.Input<string>;
  /** {@inheritDoc GetInventoryObjectArgs.kind} */
  kind: pulumi.Input<InventoryObjectKind>;
  /** {@inheritDoc GetInventoryObjectArgs.path} */
  path?: pulumi.Input<string>;
  /** {@inheritDoc GetInventoryObjectArgs.name} */
  name?: pulumi.Input<string>;
}

/** {@link getInventoryObject} taking and returning Outputs; `opts.dependsOn` delays the lookup until those resources exist. */
export function getInventoryObjectOutput(
  args: GetInventoryObjectOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetInventoryObjectResult> {
  return afterDependsOn(args, opts).apply((a) => getInventoryObject(a as GetInventoryObjectArgs, opts));
}

/** {@link GetSuitablePlaceholderDatastoresArgs} with Inputs. */
export interface GetSuitablePlaceholderDatastoresOutputArgs {
  /** {@inheritDoc GetSuitablePlaceholderDatastoresArgs.pairingId} */
  pairingId: pulumi.Input<string>;
  /** {@inheritDoc GetSuitablePlaceholderDatastoresArgs.side} */
  side?: pulumi.Input<SiteSide>;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: pulumi.Input<string>;
}

/** {@link getSuitablePlaceholderDatastores} taking and returning Outputs; `opts.dependsOn` delays the lookup until those resources exist. */
export function getSuitablePlaceholderDatastoresOutput(
  args: GetSuitablePlaceholderDatastoresOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<SuitablePlaceholderDatastore[]> {
  return afterDependsOn(args, opts).apply((a) =>
    getSuitablePlaceholderDatastores(a as GetSuitablePlaceholderDatastoresArgs, opts),
  );
}
