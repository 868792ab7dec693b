// PlaceholderDatastore: a datastore at the recovery site that holds the placeholder VMs SRM creates for
// protected VMs. Added and removed through SRM tasks; SRM reports datastores it could not add (a replicated
// one, for instance) in the task's result rather than failing the task.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { AddDatastoreResult, type PlaceholderDatastore as WirePlaceholder } from "../api/index.js";
import { isSrmError, SiteInventoryClient } from "../client/index.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { idString, resourceName, taskTimeout } from "../dynamic/input-schemas.js";
import { loginBothSites, pairingSites, SiteSideSchema } from "../shared/pairing-sites.js";
import { partialFailure } from "../dynamic/partial-failure.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { withContext } from "../dynamic/resource-error.js";
import { resourceOptions } from "../dynamic/resource-options.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a PlaceholderDatastore. */
export const PLACEHOLDER_TASK_TIMEOUT_SECONDS = 600;

/** Validated PlaceholderDatastore inputs. @internal */
export const PlaceholderDatastoreInputsSchema = z.object({
  resourceName,
  pairingId: idString("SRM id of the pairing"),
  recoverySite: SiteSideSchema.default("remote"),
  datastoreId: idString("managed-object id of a datastore at the recovery site"),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
  taskTimeoutSeconds: taskTimeout(PLACEHOLDER_TASK_TIMEOUT_SECONDS),
});
/** PlaceholderDatastore inputs after validation. @internal */
export type PlaceholderDatastoreInputs = z.infer<typeof PlaceholderDatastoreInputsSchema>;

const ECHOED_INPUTS = [
  "resourceName",
  "pairingId",
  "recoverySite",
  "datastoreId",
  "adopt",
  "taskTimeoutSeconds",
] as const;

/** Another datastore or site is another placeholder; deleting first frees nothing, so create first. @internal */
export const PLACEHOLDER_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "recoverySite", "datastoreId"],
  update: [],
  deleteBeforeReplace: false,
};

const label = (props: Props | undefined) =>
  labelOf("PlaceholderDatastore", props, `${String(props?.datastoreId ?? "?")}`);

async function connect(ctx: ProviderContext, i: PlaceholderDatastoreInputs) {
  const { client, settings } = srmClientFor(ctx);
  await loginBothSites(client, settings, i.pairingId, "PlaceholderDatastore");
  const sites = await pairingSites(client, i.pairingId);
  return { client, site: new SiteInventoryClient(client), srm: sites[i.recoverySite] };
}

function outputsOf(
  i: PlaceholderDatastoreInputs,
  srmId: string,
  d: WirePlaceholder | undefined,
  extra: Props,
): Props {
  return {
    ...pick(i as Props, ECHOED_INPUTS),
    srmId,
    datastoreName: d?.name,
    overallStatus: d?.overall_status,
    visibleTo: (d?.visible_to ?? []).map((v) => v.name ?? v.id ?? ""),
    schemaVersion: SCHEMA_VERSION,
    ...extra,
  };
}

/** PlaceholderDatastore implementation. @internal */
export const placeholderDatastoreImplementation: ResourceImplementation = {
  typeName: "PlaceholderDatastore",

  async check(_olds, news) {
    return checkInputs(PlaceholderDatastoreInputsSchema, news);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(PlaceholderDatastoreInputsSchema, news);
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      PLACEHOLDER_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)}`;
    const i = parseInputs(PlaceholderDatastoreInputsSchema, raw, what);
    const started = await withContext(what, async () => {
      const c = await connect(ctx, i);
      const existing = await c.site.getPlaceholderDatastore(i.pairingId, c.srm.srmId, i.datastoreId);
      if (existing) {
        if (!i.adopt) {
          throw new Error(
            `datastore ${i.datastoreId} ("${existing.name ?? "?"}") is already a placeholder datastore of SRM ${c.srm.srmName}. ` +
              `Set adopt: true to manage it with this resource (destroying it then removes it), or remove it in the SRM UI.`,
          );
        }
        ctx.log(`srm: ${label(raw)}: adopted existing placeholder datastore ${i.datastoreId}`);
        return { c, done: undefined, adopted: existing };
      }
      const task = await c.site.addPlaceholderDatastores(i.pairingId, c.srm.srmId, {
        datastores: [i.datastoreId],
      });
      return { c, task, adopted: undefined };
    });
    const { c } = started;
    if (started.adopted) {
      return { id: i.datastoreId, outs: outputsOf(i, c.srm.srmId, started.adopted, { adopted: true }) };
    }
    const task = started.task!;
    try {
      const done = await withContext(what, async () => {
        const finished = await waitWithProgress(c.client, task, {
          label: label(raw),
          timeoutSeconds: i.taskTimeoutSeconds,
          timeoutInput: "taskTimeoutSeconds",
          log: ctx.log,
        });
        const refused = z
          .array(AddDatastoreResult)
          .safeParse(finished.result)
          .data?.find((r) => r.datastore_id === i.datastoreId);
        if (refused) {
          throw new Error(
            `SRM did not add datastore ${i.datastoreId} as a placeholder datastore (task ${finished.id}): ` +
              `${refused.error_msg ?? "no reason given"}. Choose a datastore getSuitablePlaceholderDatastores lists.`,
          );
        }
        return finished;
      });
      const d = await withContext(what, () =>
        c.site.getPlaceholderDatastore(i.pairingId, c.srm.srmId, i.datastoreId),
      );
      return { id: i.datastoreId, outs: outputsOf(i, c.srm.srmId, d, { adopted: false, taskId: done.id }) };
    } catch (e) {
      // A task still running when the wait ended may yet add the datastore: record it, refresh tells.
      if (isSrmError(e) && e.code === "TASK_TIMEOUT")
        throw partialFailure(
          e,
          i.datastoreId,
          outputsOf(i, c.srm.srmId, undefined, { adopted: false, taskId: task.id }),
          raw,
        );
      throw e;
    }
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)}`, async () => {
      const i = PlaceholderDatastoreInputsSchema.parse(pick(old, ECHOED_INPUTS));
      const c = await connect(ctx, i);
      const d = await c.site.getPlaceholderDatastore(i.pairingId, c.srm.srmId, id);
      if (!d) return {};
      const outs = outputsOf(i, c.srm.srmId, d, { adopted: old.adopted === true, taskId: old.taskId });
      return { id, props: outs, inputs: pick(outs, ECHOED_INPUTS) };
    });
  },

  async update(_ctx, _id, olds, news) {
    // Only adopt and taskTimeoutSeconds change in place, and they matter only when creating.
    const i = parseInputs(PlaceholderDatastoreInputsSchema, news, `updating ${label(news)}`);
    return { outs: { ...upgradeOutputs(olds ?? {}), ...pick(i as Props, ECHOED_INPUTS) } };
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(`deleting ${label(old)}`, async () => {
      const i = PlaceholderDatastoreInputsSchema.parse(pick(old, ECHOED_INPUTS));
      const c = await connect(ctx, i);
      let task;
      try {
        task = await c.site.removePlaceholderDatastore(i.pairingId, c.srm.srmId, id);
      } catch (e) {
        if (isSrmError(e) && e.code === "NOT_FOUND") return; // removed in the UI already
        throw e;
      }
      await waitWithProgress(c.client, task, {
        label: label(old),
        timeoutSeconds: i.taskTimeoutSeconds,
        timeoutInput: "taskTimeoutSeconds",
        log: ctx.log,
      });
    });
  },
};

/** Arguments of a {@link PlaceholderDatastore}. */
export interface PlaceholderDatastoreArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces. */
  pairingId: pulumi.Input<string>;
  /** The recovery site, whose vCenter has the datastore: `remote` (default) or `local`. Changing it replaces. */
  recoverySite?: pulumi.Input<"local" | "remote">;
  /** Managed-object id of a datastore at that site that is not replicated (see `getSuitablePlaceholderDatastores`). Changing it replaces. */
  datastoreId: pulumi.Input<string>;
  /** Take over a datastore that is already a placeholder datastore instead of failing; default false. */
  adopt?: pulumi.Input<boolean>;
  /** Seconds to wait for SRM's add and remove tasks; default 600. */
  taskTimeoutSeconds?: pulumi.Input<number>;
}

/**
 * A placeholder datastore: where SRM keeps the placeholder VMs of protected VMs at the recovery site. The
 * datastore must not be replicated. Added and removed by SRM tasks; needs the remote site's credentials.
 */
export class PlaceholderDatastore extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the server that keeps it. */
  declare readonly srmId: pulumi.Output<string>;
  /** Name of the datastore. */
  declare readonly datastoreName: pulumi.Output<string | undefined>;
  /** Health as SRM reports it: GREEN, YELLOW, RED or GRAY. */
  declare readonly overallStatus: pulumi.Output<string | undefined>;
  /** Clusters and hosts that see the datastore. */
  declare readonly visibleTo: pulumi.Output<string[]>;
  /** True when an existing placeholder datastore was taken over (`adopt`). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** Id of the SRM task that added it (unset when adopted). */
  declare readonly taskId: pulumi.Output<string | undefined>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** The recovery site. */
  declare readonly recoverySite: pulumi.Output<"local" | "remote">;
  /** Datastore id; also the resource id. */
  declare readonly datastoreId: pulumi.Output<string>;
  /** Seconds allowed for SRM's tasks. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: PlaceholderDatastoreArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("placeholder-datastore"),
      name,
      {
        ...args,
        resourceName: name,
        srmId: undefined,
        datastoreName: undefined,
        overallStatus: undefined,
        visibleTo: undefined,
        adopted: undefined,
        taskId: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, {
        type: "srm:PlaceholderDatastore",
        deleteBeforeReplace: false,
        timeoutInput: "taskTimeoutSeconds",
      }),
      "srm",
      "PlaceholderDatastore",
    );
  }
}
