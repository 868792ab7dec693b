// Lookups run at program time (also during preview) with the same connection settings as the resources, so
// programs never hard-code SRM ids. They return ids, names and statuses only; no credential reaches state.
import * as pulumi from "@pulumi/pulumi";
import type { Pairing as WirePairing } from "../api/index.js";
import { readSettings } from "../config.js";
import { findPairingByRemote, serverFacts } from "../resources/pairing.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { withContext } from "../dynamic/resource-error.js";
import { stderrLine } from "../dynamic/task-progress.js";

/** Arguments of {@link getPairing}: the remote site, by vCenter name or instance UUID (one of them). */
export interface GetPairingArgs {
  /** Name of the remote vCenter Server as SRM shows it, e.g. `vc-b.example.local` (case-insensitive). */
  remoteVcName?: string;
  /** Instance UUID of the remote vCenter Server. */
  remoteVcGuid?: string;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: string;
}

/** A pairing found by {@link getPairing}. */
export interface GetPairingResult {
  /** SRM id of the pairing. */
  pairingId: string;
  /** Instance UUID of the remote vCenter Server. */
  remoteVcGuid: string;
  /** Name of the remote vCenter Server. */
  remoteVcName?: string;
  /** Instance UUID of the local vCenter Server. */
  localVcGuid?: string;
  /** Name of the local vCenter Server. */
  localVcName?: string;
  /** Name of the remote SRM server. */
  remoteSrmName?: string;
  /** Connection status of the local vCenter Server. */
  localVcServerStatus?: string;
  /** Connection status of the remote vCenter Server. */
  remoteVcServerStatus?: string;
  /** Connection status of the local SRM server. */
  localSrmServerStatus?: string;
  /** Connection status of the remote SRM server. */
  remoteSrmServerStatus?: string;
}

/** Arguments of {@link getRecoveryPlan}. */
export interface GetRecoveryPlanArgs {
  /** SRM id of the pairing that holds the plan. */
  pairingId: string;
  /** Name of the recovery plan (exact; a case-insensitive match is used when no exact one exists). */
  name: string;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: string;
}

/** A recovery plan found by {@link getRecoveryPlan}. */
export interface GetRecoveryPlanResult {
  /** SRM id of the plan. */
  planId: string;
  /** Name of the plan. */
  name: string;
  /** SRM id of the pairing. */
  pairingId: string;
  /** Current status, e.g. READY_STATE or RECOVERY_COMPLETE. */
  status: string;
  /** Whether the local site is the plan's protected or recovery site (SRM's `location`). */
  location: string;
  /** Protected site name. */
  protectedSiteName?: string;
  /** Recovery site name. */
  recoverySiteName?: string;
  /** Description of the plan. */
  description?: string;
}

/**
 * Settings at program time: `new pulumi.Config("srm")` values (secrets read as plain strings without a
 * warning, they only go to the SRM server) with environment fallbacks.
 */
export function programContext(site?: string): ProviderContext {
  const config = new pulumi.Config("srm");
  const snapshot = readSettings((key) => {
    const name = key.slice("srm:".length);
    return pulumi.runtime.getConfig(key) ?? config.get(name);
  });
  return { snapshot, site: site === "" ? undefined : site, log: stderrLine };
}

function describe(p: WirePairing): string {
  return `${p.remote_vc_server?.name ?? "?"} (guid ${p.remote_vc_server?.id ?? "?"}, pairing ${p.pairing_id})`;
}

/**
 * Finds the pairing with a remote site; the error lists the pairings that exist. It runs in the program
 * (a dynamic provider has no invoke), with the stack's `srm:*` settings; `opts` is accepted for the usual
 * lookup signature.
 */
export function getPairing(args: GetPairingArgs, opts?: pulumi.InvokeOptions): Promise<GetPairingResult> {
  void opts;
  return lookupPairing(args, programContext(args.site));
}

/** {@link getPairing} with explicit settings. @internal */
export async function lookupPairing(args: GetPairingArgs, ctx: ProviderContext): Promise<GetPairingResult> {
  const wanted = args.remoteVcGuid ?? args.remoteVcName;
  if (!wanted) throw new Error("getPairing: set remoteVcName or remoteVcGuid.");
  return withContext(
    `getPairing(${args.remoteVcGuid ? "remoteVcGuid" : "remoteVcName"} "${wanted}")`,
    async () => {
      const { client } = srmClientFor(ctx);
      const pairings = await client.listPairings();
      const remote = pairings.filter((p) => p.local_vc_server?.id !== p.remote_vc_server?.id);
      const found = args.remoteVcGuid
        ? findPairingByRemote(pairings, args.remoteVcGuid)
        : remote.find((p) => p.remote_vc_server?.name?.toLowerCase() === args.remoteVcName?.toLowerCase());
      if (!found) {
        throw new Error(
          `no pairing with that remote vCenter. Pairings: ${remote.map(describe).join(", ") || "none"}.`,
        );
      }
      return { ...serverFacts(found), remoteVcGuid: found.remote_vc_server?.id ?? "" };
    },
  );
}

/**
 * Finds a recovery plan by name in a pairing; the error lists the plans that exist. Runs in the program like
 * {@link getPairing}.
 */
export function getRecoveryPlan(
  args: GetRecoveryPlanArgs,
  opts?: pulumi.InvokeOptions,
): Promise<GetRecoveryPlanResult> {
  void opts;
  return lookupRecoveryPlan(args, programContext(args.site));
}

/** {@link getRecoveryPlan} with explicit settings. @internal */
export async function lookupRecoveryPlan(
  args: GetRecoveryPlanArgs,
  ctx: ProviderContext,
): Promise<GetRecoveryPlanResult> {
  if (!args.pairingId || !args.name) throw new Error("getRecoveryPlan: set pairingId and name.");
  return withContext(`getRecoveryPlan(name "${args.name}", pairing ${args.pairingId})`, async () => {
    const { client } = srmClientFor(ctx);
    const plans = await client.listPlans(args.pairingId);
    const found =
      plans.find((p) => p.name === args.name) ??
      plans.find((p) => p.name.toLowerCase() === args.name.toLowerCase());
    if (!found) {
      throw new Error(
        `no recovery plan with that name. Plans: ${plans.map((p) => `"${p.name}" (${p.id}, ${p.status})`).join(", ") || "none"}.`,
      );
    }
    return {
      planId: found.id,
      name: found.name,
      pairingId: args.pairingId,
      status: found.status,
      location: found.location,
      protectedSiteName: found.protected_site_name,
      recoverySiteName: found.recovery_site_name,
      description: found.description ?? undefined,
    };
  });
}

/** {@link GetPairingArgs} with Inputs. */
export interface GetPairingOutputArgs {
  /** {@inheritDoc GetPairingArgs.remoteVcName} */
  remoteVcName?: pulumi.Input<string>;
  /** {@inheritDoc GetPairingArgs.remoteVcGuid} */
  remoteVcGuid?: pulumi.Input<string>;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: pulumi.Input<string>;
}

/** {@link GetRecoveryPlanArgs} with Inputs. */
export interface GetRecoveryPlanOutputArgs {
  /** {@inheritDoc GetRecoveryPlanArgs.pairingId} */
  pairingId: pulumi.Input<string>;
  /** {@inheritDoc GetRecoveryPlanArgs.name} */
  name: pulumi.Input<string>;
  /** Name of the site in `srm:sites` to ask; default: the single-site settings (`srm:host` and the rest). */
  site?: pulumi.Input<string>;
}

/** `args` once every resource in `opts.dependsOn` exists (its id is known), so the lookup sees what they made. */
export function afterDependsOn<T>(
  args: pulumi.Input<T>,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<pulumi.Unwrap<T>> {
  const deps = opts?.dependsOn;
  if (!deps) return pulumi.output(args);
  const ready = pulumi
    .output(deps as pulumi.Input<pulumi.Input<pulumi.Resource>[]>)
    .apply((list) =>
      pulumi.all(
        (Array.isArray(list) ? list : [list]).map((r: pulumi.Resource) =>
          pulumi.CustomResource.isInstance(r) ? r.id : r.urn,
        ),
      ),
    );
  return pulumi.all([args, ready]).apply(([a]) => a as pulumi.Unwrap<T>);
}

/** {@link getPairing} taking and returning Outputs; `opts.dependsOn` delays the lookup until those resources exist. */
export function getPairingOutput(
  args: GetPairingOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetPairingResult> {
  return afterDependsOn(args, opts).apply((a) =>
    getPairing({ remoteVcName: a.remoteVcName, remoteVcGuid: a.remoteVcGuid, site: a.site }, opts),
  );
}

/** {@link getRecoveryPlan} taking and returning Outputs; `opts.dependsOn` delays the lookup until those resources exist. */
export function getRecoveryPlanOutput(
  args: GetRecoveryPlanOutputArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<GetRecoveryPlanResult> {
  return afterDependsOn(args, opts).apply((a) =>
    getRecoveryPlan({ pairingId: a.pairingId, name: a.name, site: a.site }, opts),
  );
}
