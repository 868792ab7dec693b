// Lookups of protection groups and of the VMs in a plan, by name. Like the other lookups they run in the
// program with the stack's `srm:*` settings. A VM is found among a plan's VMs (or a group's), so the lookup
// keeps working after a protection group took the VM, when the replicated-VM listing no longer shows it.
import type * as pulumi from "@pulumi/pulumi";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { afterDependsOn, programContext } from "./pairing-and-plan.js";
import { withContext } from "../dynamic/resource-error.js";

/** Arguments of {@link getProtectionGroup}. */
export interface GetProtectionGroupArgs {
  /** SRM id of the pairing that holds the group. */
  pairingId: string;
  /** Name of the group (exact). */
  name: string;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: string;
}

/** A VM of a group or plan. */
export interface ProtectedVm {
  /** Id of the VM. */
  id: string;
  /** Name of the VM. */
  name: string;
}

/** A protection group found by {@link getProtectionGroup}. */
export interface GetProtectionGroupResult {
  /** SRM id of the group. */
  groupId: string;
  /** Name of the group. */
  name: string;
  /** HBR or ABR (or another replication type SRM reports). */
  replicationType?: string;
  /** Protected vCenter as SRM reports it now. */
  protectedVcGuid?: string;
  /** The VMs of the group. */
  vms: ProtectedVm[];
}

/** Finds a protection group by name; the error lists the groups that exist. */
export function getProtectionGroup(
  args: GetProtectionGroupArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetProtectionGroupResult> {
  void opts;
  return lookupProtectionGroup(args, programContext(args.site));
}

/** {@link getProtectionGroup} with explicit settings. @internal */
export async function lookupProtectionGroup(
  args: GetProtectionGroupArgs,
  ctx: ProviderContext,
): Promise<GetProtectionGroupResult> {
  if (!args.pairingId || !args.name) throw new Error("getProtectionGroup: set pairingId and name.");
  return withContext(`getProtectionGroup(name "${args.name}", pairing ${args.pairingId})`, async () => {
    const { client } = srmClientFor(ctx);
    const groups = await client.listGroups(args.pairingId);
    const found = groups.find((g) => g.name === args.name);
    if (!found) {
      throw new Error(
        `no protection group with that name. Groups: ${groups.map((g) => `"${g.name}" (${g.id})`).join(", ") || "none"}.`,
      );
    }
    const vms = await client.listGroupVms(args.pairingId, found.id);
    return {
      groupId: found.id,
      name: found.name,
      replicationType: found.replication_type,
      protectedVcGuid: found.protected_vc_guid,
      vms: vms.map((v) => ({ id: v.id, name: v.name })),
    };
  });
}

/** Arguments of {@link getPlanVm}. */
export interface GetPlanVmArgs {
  /** SRM id of the pairing. */
  pairingId: string;
  /** SRM id of the recovery plan. */
  planId: string;
  /** Name of the VM (exact). */
  name: string;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: string;
}

/** A VM of a plan found by {@link getPlanVm}. */
export interface GetPlanVmResult extends ProtectedVm {
  /** SRM id of the protection group that protects it. */
  protectionGroupId?: string;
}

/** Finds a VM of a recovery plan by name (for `VmRecoverySettings.vmId`); the error lists the plan's VMs. */
export function getPlanVm(args: GetPlanVmArgs, opts?: pulumi.InvokeOptions): Promise<GetPlanVmResult> {
  void opts;
  return lookupPlanVm(args, programContext(args.site));
}

/** {@link getPlanVm} with explicit settings. @internal */
export async function lookupPlanVm(args: GetPlanVmArgs, ctx: ProviderContext): Promise<GetPlanVmResult> {
  if (!args.pairingId || !args.planId || !args.name)
    throw new Error("getPlanVm: set pairingId, planId and name.");
  return withContext(`getPlanVm(name "${args.name}", plan ${args.planId})`, async () => {
    const { client } = srmClientFor(ctx);
    const vms = await client.listPlanVms(args.pairingId, args.planId);
    const found = vms.find((v) => v.name === args.name);
    if (!found) {
      throw new Error(
        `no VM with that name in the plan. VMs: ${vms.map((v) => `"${v.name}" (${v.id})`).join(", ") || "none"}.`,
      );
    }
    return { id: found.id, name: found.name, protectionGroupId: found.protection_group ?? undefined };
  });
}

/** {@link GetProtectionGroupArgs} with Inputs. */
export interface GetProtectionGroupOutputArgs {
  /** {@inheritDoc GetProtectionGroupArgs.pairingId} */
  pairingId: pulumi.Input<string>;
  /** {@inheritDoc GetProtectionGroupArgs.name} */
  name: pulumi.Input<string>;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: pulumi.Input<string>;
}

/** {@link getProtectionGroup} taking and returning Outputs; `opts.dependsOn` delays the lookup until those resources exist. */
export function getProtectionGroupOutput(
  args: GetProtectionGroupOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetProtectionGroupResult> {
  return afterDependsOn(args, opts).apply((a) => getProtectionGroup(a, opts));
}

/** {@link GetPlanVmArgs} with Inputs. */
export interface GetPlanVmOutputArgs {
  /** {@inheritDoc GetPlanVmArgs.pairingId} */
  pairingId: pulumi.Input<string>;
  /** {@inheritDoc GetPlanVmArgs.planId} */
  planId: pulumi.Input<string>;
  /** {@inheritDoc GetPlanVmArgs.name} */
  name: pulumi.Input<string>;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: pulumi.Input<string>;
}

/** {@link getPlanVm} taking and returning Outputs; `opts.dependsOn` delays the lookup until those resources exist. */
export function getPlanVmOutput(
  args: GetPlanVmOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetPlanVmResult> {
  return afterDependsOn(args, opts).apply((a) => getPlanVm(a, opts));
}
