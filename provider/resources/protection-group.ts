// ProtectionGroup: a vSphere Replication (HBR) group of VMs or an array-based (ABR) group of replicated
// datastores. Name, description and members change in place through SRM's reconfigure; the pairing, the
// protected site, the replication type and the array pair replace the group. After a reprotect SRM
// reports the other site as protected: that is the plan's new direction, not drift, so read keeps the
// declared `protectedVcGuid` and reports the current one as `currentProtectedVcGuid`.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { ProtectionGroupInfo, Task } from "../api/index.js";
import type { SrmClient } from "../client/index.js";
import { requireRemoteCredentials } from "../config.js";
import { checkInputs, normalizedForDiff, parseInputs, type CrossFieldRule } from "../dynamic/check-inputs.js";
import { diffFields, sameValue, type DiffRules } from "../dynamic/diff-fields.js";
import {
  optionalString,
  requiredString,
  resourceName,
  taskTimeout,
  idString,
  journalKey,
} from "../dynamic/input-schemas.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { journalKeyOf, resourceOptions } from "../dynamic/resource-options.js";
import { CreateJournal, ownIds } from "../dynamic/create-journal.js";
import { srmRefused } from "../client/errors.js";
import { withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a ProtectionGroup. */
export const PROTECTION_GROUP_TASK_TIMEOUT_SECONDS = 600;

const idList = (what: string) =>
  z
    .array(requiredString(what), { error: `must be a list of ids (${what})` })
    .refine((l) => new Set(l).size === l.length, { error: `must not repeat an id (${what})` });

/** Validated ProtectionGroup inputs. @internal */
export const ProtectionGroupInputsSchema = z.object({
  resourceName,
  journalKey,
  pairingId: idString("SRM id of the pairing"),
  name: requiredString("name of the protection group").max(80, { error: "must be at most 80 characters" }),
  description: z.string({ error: "must be a string" }).max(4096).optional(),
  protectedVcGuid: requiredString("vCenter guid of the protected site"),
  replicationType: z.enum(["HBR", "ABR"], { error: 'must be "HBR" or "ABR"' }).default("HBR"),
  vms: idList("VM ids of the protected site").optional(),
  arrayPair: optionalString("SRM id of the replicated array pair"),
  datastores: idList("replicated datastore ids of the protected site").optional(),
  folder: idString("SRM id of a protection group folder (a ProtectionGroupFolder's folderId)").optional(),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
  taskTimeoutSeconds: taskTimeout(PROTECTION_GROUP_TASK_TIMEOUT_SECONDS),
});
/** ProtectionGroup inputs after validation. @internal */
export type ProtectionGroupInputs = z.infer<typeof ProtectionGroupInputsSchema>;

const membersRule: CrossFieldRule<ProtectionGroupInputs> = (d, unknown) => {
  // Until the preview knows the type, which members it needs cannot be told.
  if (unknown.has("replicationType")) return [];
  if (d.replicationType === "HBR") {
    if (d.datastores !== undefined || d.arrayPair !== undefined)
      return [
        {
          property: "datastores",
          reason:
            'datastores: an HBR group lists `vms`; datastores and arrayPair belong to replicationType "ABR"',
        },
      ];
    return d.vms === undefined && !unknown.has("vms")
      ? [{ property: "vms", reason: "vms: is required for an HBR group (the VMs to protect)" }]
      : [];
  }
  const out = [];
  if (d.vms !== undefined)
    out.push({
      property: "vms",
      reason: "vms: an ABR group protects every VM on its datastores; list datastores",
    });
  if (d.arrayPair === undefined && !unknown.has("arrayPair"))
    out.push({ property: "arrayPair", reason: "arrayPair: is required for an ABR group" });
  if (d.datastores === undefined && !unknown.has("datastores"))
    out.push({ property: "datastores", reason: "datastores: is required for an ABR group" });
  return out;
};

const ECHOED = [
  "resourceName",
  "journalKey",
  "pairingId",
  "name",
  "description",
  "protectedVcGuid",
  "replicationType",
  "vms",
  "arrayPair",
  "datastores",
  "folder",
  "adopt",
  "taskTimeoutSeconds",
] as const;

const asSet = (a: unknown, b: unknown) =>
  sameValue(Array.isArray(a) ? [...a].sort() : a, Array.isArray(b) ? [...b].sort() : b);

/** Site, type and array pair replace the group; the rest is reconfigured in place. @internal */
export const PROTECTION_GROUP_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "protectedVcGuid", "replicationType", "arrayPair", "folder"],
  update: ["name", "description", "vms", "datastores", "taskTimeoutSeconds", "adopt"],
  deleteBeforeReplace: true,
  comparers: {
    vms: asSet,
    datastores: asSet,
    // State from before `adopt` existed has none: that is the default, false.
    adopt: (a, b) => Boolean(a) === Boolean(b),
  },
};

const label = (props: Props | undefined) => labelOf("ProtectionGroup", props, String(props?.name ?? "?"));

async function finish(
  ctx: ProviderContext,
  client: SrmClient,
  task: Task,
  i: ProtectionGroupInputs,
  raw: Props,
) {
  return waitWithProgress(client, task, {
    label: label(raw),
    timeoutSeconds: i.taskTimeoutSeconds,
    timeoutInput: "taskTimeoutSeconds",
    log: ctx.log,
  });
}

function outputsOf(i: ProtectionGroupInputs, g: ProtectionGroupInfo, memberIds: string[]): Props {
  return {
    ...pick(i as Props, ECHOED),
    groupId: g.id,
    currentProtectedVcGuid: g.protected_vc_guid,
    recoveryVcGuid: g.recovery_vc_guid,
    status: g.status,
    totalVms: g.total_vms,
    memberVmIds: memberIds,
    currentFolderId: g.location,
    schemaVersion: SCHEMA_VERSION,
  };
}

async function readBack(client: SrmClient, pairingId: string, groupId: string) {
  const g = await client.getGroup(pairingId, groupId);
  if (!g) return undefined;
  const vms = await client.listGroupVms(pairingId, groupId);
  return { group: g, vmIds: vms.map((v) => v.id) };
}

/**
 * Takes over an existing group of the declared name: its site, type, array pair and folder must be the
 * declared ones (they cannot change in place); name, description and members are then reconfigured to the
 * declared ones.
 */
async function adoptGroup(
  ctx: ProviderContext,
  client: SrmClient,
  i: ProtectionGroupInputs,
  raw: Props,
  g: ProtectionGroupInfo,
  journal: CreateJournal,
) {
  const fixed: [string, unknown, unknown][] = [
    ["protectedVcGuid", g.protected_vc_guid, i.protectedVcGuid],
    ["replicationType", g.replication_type, i.replicationType],
    ...(i.replicationType === "ABR"
      ? [["arrayPair", g.array_pair, i.arrayPair] as [string, unknown, unknown]]
      : []),
    ...(i.folder === undefined ? [] : [["folder", g.location, i.folder] as [string, unknown, unknown]]),
  ];
  const differs = fixed.filter(([, has, declared]) => has !== declared);
  if (differs.length > 0) {
    throw new Error(
      `cannot adopt protection group "${i.name}" (${g.id}): ` +
        differs
          .map(([k, has, declared]) => `${k} is ${String(has)} in SRM, not ${String(declared)}`)
          .join("; ") +
        `. These cannot change in place: declare what SRM has, or choose another name.`,
    );
  }
  ctx.log(`srm: ${label(raw)}: adopted existing protection group ${g.id}`);
  journal.set([g.id]);
  const back = await readBack(client, i.pairingId, g.id);
  if (!back)
    throw new Error(`protection group ${g.id} vanished while it was being adopted; run \`pulumi up\` again`);
  // The group as SRM has it stands for the old state: update sends what differs from the declared inputs.
  const olds: Props = {
    ...outputsOf(i, back.group, back.vmIds),
    name: back.group.name,
    description: back.group.description ?? undefined,
    vms: i.replicationType === "HBR" ? back.vmIds : undefined,
    // SRM lists no group's datastores: the declared ones stand for what it has.
    datastores: i.datastores,
  };
  const { outs } = await protectionGroupImplementation.update(ctx, g.id, olds, raw);
  return { id: g.id, outs };
}

/** ProtectionGroup implementation. @internal */
export const protectionGroupImplementation: ResourceImplementation = {
  typeName: "ProtectionGroup",

  async check(_olds, news) {
    return checkInputs(ProtectionGroupInputsSchema, news, [membersRule]);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(ProtectionGroupInputsSchema, news, [membersRule]);
    const old = upgradeOutputs(olds ?? {});
    const result = diffFields(old, inputs, PROTECTION_GROUP_DIFF_RULES);
    // An ABR edit can only add datastores (AbrProtectionGroupSpec: "datastores to add"): dropping one
    // replaces the group.
    const oldDs = Array.isArray(old.datastores) ? (old.datastores as string[]) : [];
    const newDs = Array.isArray(inputs.datastores) ? (inputs.datastores as string[]) : [];
    const { changed, ...rest } = result;
    if (changed.includes("datastores") && oldDs.some((d) => !newDs.includes(d))) {
      return { ...rest, replaces: [...(rest.replaces ?? []), "datastores"], deleteBeforeReplace: true };
    }
    return rest;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)} in pairing ${String(raw.pairingId)}`;
    const i = parseInputs(ProtectionGroupInputsSchema, raw, what, [membersRule]);
    return withContext(what, async () => {
      const { client, settings } = srmClientFor(ctx);
      const journal = new CreateJournal(i.journalKey, `${client.url}|${i.pairingId}|protection-groups`);
      // An earlier create of this resource was not seen to finish (a timeout, a lost answer, a killed run):
      // follow its task, then find the group it made by the group ids that existed before it.
      const earlierTask = /^task (\S+)$/.exec(journal.read()?.pending?.what ?? "")?.[1];
      if (earlierTask) {
        ctx.log(
          `srm: ${label(raw)}: following SRM task ${earlierTask} of an earlier create of this resource`,
        );
        await finish(ctx, client, await client.getTask(earlierTask), i, raw).catch(() => undefined);
      }
      const before = await client.listGroups(i.pairingId);
      const existing = before.find((g) => g.name === i.name);
      const [mine] = existing
        ? await ownIds(
            journal.read(),
            before.map((g) => g.id),
            (id) => id === existing.id,
          )
        : [];
      if (existing && mine === existing.id) {
        journal.set([mine]);
        ctx.log(
          `srm: ${label(raw)}: found protection group ${mine}, made by an earlier create of this resource`,
        );
        const back = await readBack(client, i.pairingId, mine);
        if (back) return { id: mine, outs: outputsOf(i, back.group, back.vmIds) };
      }
      if (existing && !i.adopt) {
        throw new Error(
          `a protection group named "${i.name}" already exists (${existing.id}) and no resource of this stack ` +
            `manages it; exactly one resource manages each SRM object. Rename this one, or set \`adopt: true\` ` +
            `to manage the existing group with this resource (then \`pulumi destroy\` deletes it; set the ` +
            `\`retainOnDelete\` resource option to keep it), or look it up with \`getProtectionGroup\` instead.`,
        );
      }
      if (existing) return adoptGroup(ctx, client, i, raw, existing, journal);
      requireRemoteCredentials(settings, "Creating a protection group");
      await client.remoteLogin(i.pairingId);
      journal.begin(
        before.map((g) => g.id),
        `protection group "${i.name}"`,
      );
      const refused = (e: unknown) => {
        if (srmRefused(e)) journal.cancel();
        return e;
      };
      const task = await client
        .createGroup(i.pairingId, {
          name: i.name,
          description: i.description ?? null,
          replication_type: i.replicationType,
          protected_vc_guid: i.protectedVcGuid,
          ...(i.folder === undefined ? {} : { location: i.folder }),
          ...(i.replicationType === "HBR"
            ? { hbr_spec: { vms: i.vms ?? [] } }
            : { abr_spec: { replicated_array_pair: i.arrayPair ?? "", datastores: i.datastores ?? [] } }),
        })
        .catch((e: unknown) => {
          throw refused(e);
        });
      journal.begin(
        before.map((g) => g.id),
        `task ${task.id}`,
      );
      const done = await finish(ctx, client, task, i, raw).catch((e: unknown) => {
        throw refused(e);
      });
      const id = (done.result as { id?: unknown } | null)?.id;
      const groupId =
        typeof id === "string"
          ? id
          : (await client.listGroups(i.pairingId)).find((g) => g.name === i.name)?.id;
      if (!groupId)
        throw new Error(`task ${done.id} succeeded but the new group is not listed; run \`pulumi refresh\``);
      journal.set([groupId]);
      const back = await readBack(client, i.pairingId, groupId);
      if (!back) throw new Error(`protection group ${groupId} vanished right after its creation`);
      return { id: groupId, outs: outputsOf(i, back.group, back.vmIds) };
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const back = await readBack(client, String(old.pairingId), id);
      if (!back) return { id: "", props: {} };
      const { group, vmIds } = back;
      // Inputs that can drift in SRM: name, description, members. The direction is kept (see above).
      const drift: Props = { name: group.name, description: group.description ?? undefined };
      if (old.replicationType !== "ABR") drift.vms = asSet(old.vms, vmIds) ? old.vms : vmIds;
      // A declared folder drifts when the group was moved in the UI; without one the root is not compared.
      if (old.folder !== undefined && group.location && group.location !== old.folder)
        drift.folder = group.location;
      const outs: Props = {
        ...old,
        ...drift,
        currentProtectedVcGuid: group.protected_vc_guid,
        recoveryVcGuid: group.recovery_vc_guid,
        status: group.status,
        totalVms: group.total_vms,
        memberVmIds: vmIds,
        currentFolderId: group.location,
      };
      return { id, props: outs };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)} (${id})`;
    const i = parseInputs(ProtectionGroupInputsSchema, news, what, [membersRule]);
    return withContext(what, async () => {
      const { client, settings } = srmClientFor(ctx);
      const old = upgradeOutputs(olds ?? {});
      const changed = ["name", "description", "vms", "datastores"].some(
        (k) => !sameValue(old[k], (i as Props)[k]),
      );
      if (changed) {
        requireRemoteCredentials(settings, "Reconfiguring a protection group");
        await client.remoteLogin(i.pairingId);
        const task = await client.reconfigureGroup(i.pairingId, id, {
          name: i.name,
          description: i.description ?? null,
          ...(i.replicationType === "HBR"
            ? { hbr_spec: { vms: i.vms ?? [] } }
            : {
                abr_spec: {
                  replicated_array_pair: i.arrayPair ?? "",
                  datastores: (i.datastores ?? []).filter(
                    (d) => !((old.datastores as string[] | undefined) ?? []).includes(d),
                  ),
                },
              }),
        });
        await finish(ctx, client, task, i, news);
      }
      const back = await readBack(client, i.pairingId, id);
      if (!back) throw new Error(`protection group ${id} no longer exists in SRM; run \`pulumi refresh\``);
      return { outs: outputsOf(i, back.group, back.vmIds) };
    });
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    const i = {
      taskTimeoutSeconds: PROTECTION_GROUP_TASK_TIMEOUT_SECONDS,
      ...old,
    } as unknown as ProtectionGroupInputs;
    await withContext(`deleting ${label(old)} (${id})`, async () => {
      const { client } = srmClientFor(ctx);
      const journal = new CreateJournal(
        typeof old.journalKey === "string" ? old.journalKey : undefined,
        `${client.url}|${String(old.pairingId)}|protection-groups`,
      );
      if (await client.getGroup(String(old.pairingId), id)) {
        const task = await client.deleteGroup(String(old.pairingId), id);
        await finish(ctx, client, task, i, old);
      }
      journal.remove();
    });
  },
};

/** Arguments of a {@link ProtectionGroup}. */
export interface ProtectionGroupArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces the group. */
  pairingId: pulumi.Input<string>;
  /** Name of the group (at most 80 characters); renamed in place. */
  name: pulumi.Input<string>;
  /** Description; changed in place. */
  description?: pulumi.Input<string>;
  /** vCenter guid of the protected site when the group is made. Changing it replaces the group; a reprotect does not count as a change. */
  protectedVcGuid: pulumi.Input<string>;
  /** "HBR" (vSphere Replication, default) or "ABR" (array-based). Changing it replaces the group. */
  replicationType?: pulumi.Input<"HBR" | "ABR">;
  /** HBR: ids of the replicated VMs at the protected site; the whole membership, changed in place. */
  vms?: pulumi.Input<pulumi.Input<string>[]>;
  /** ABR: SRM id of the replicated array pair. Changing it replaces the group. */
  arrayPair?: pulumi.Input<string>;
  /** ABR: replicated datastore ids; adding one is in place, removing one replaces the group. */
  datastores?: pulumi.Input<pulumi.Input<string>[]>;
  /** SRM id of the folder to create the group in (pass `ProtectionGroupFolder.id`, known in the preview of a folder update); default the root folder. Changing it replaces the group. */
  folder?: pulumi.Input<string>;
  /** Seconds to wait for each SRM task; default 600. */
  taskTimeoutSeconds?: pulumi.Input<number>;
  /**
   * Take over an existing group of the same name instead of failing. Default false: a group that exists already
   * (and that no earlier create of this resource made) is an error, so no group is ever managed twice. Adopting
   * sets the declared name, description and members on it; its protected site, type, array pair and folder must
   * match. Once adopted, the group is this resource's: `pulumi destroy` deletes it; set the `retainOnDelete`
   * resource option to keep it, or use `getProtectionGroup` to refer to a group without managing it.
   */
  adopt?: pulumi.Input<boolean>;
}

/**
 * An SRM protection group. Creating and editing it logs in to the remote site too, so the stack needs
 * `srm:remoteUsername` and `srm:remotePassword`. SRM refuses to delete a group that a recovery plan holds:
 * declare the plan with the group's `groupId` so the engine removes it from the plan first.
 */
export class ProtectionGroup extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the group; also the resource id. */
  declare readonly groupId: pulumi.Output<string>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** Name of the group. */
  declare readonly name: pulumi.Output<string>;
  /** Description. */
  declare readonly description: pulumi.Output<string | undefined>;
  /** Protected vCenter as declared. */
  declare readonly protectedVcGuid: pulumi.Output<string>;
  /** Protected vCenter as SRM reports it now (the other site after a reprotect). */
  declare readonly currentProtectedVcGuid: pulumi.Output<string>;
  /** Recovery vCenter as SRM reports it now. */
  declare readonly recoveryVcGuid: pulumi.Output<string>;
  /** HBR or ABR. */
  declare readonly replicationType: pulumi.Output<string>;
  /** Declared VMs (HBR). */
  declare readonly vms: pulumi.Output<string[] | undefined>;
  /** Array pair (ABR). */
  declare readonly arrayPair: pulumi.Output<string | undefined>;
  /** Datastores (ABR). */
  declare readonly datastores: pulumi.Output<string[] | undefined>;
  /** Every VM SRM lists in the group. */
  declare readonly memberVmIds: pulumi.Output<string[]>;
  /** Declared folder. */
  declare readonly folder: pulumi.Output<string | undefined>;
  /** The folder SRM reports the group in. */
  declare readonly currentFolderId: pulumi.Output<string>;
  /** Group status as SRM reports it. */
  declare readonly status: pulumi.Output<string>;
  /** Number of VMs in the group. */
  declare readonly totalVms: pulumi.Output<number>;
  /** Seconds allowed per task. */
  declare readonly taskTimeoutSeconds: pulumi.Output<number>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: ProtectionGroupArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("protection-group"),
      name,
      {
        ...args,
        resourceName: name,
        journalKey: journalKeyOf("ProtectionGroup", name),
        groupId: undefined,
        currentProtectedVcGuid: undefined,
        recoveryVcGuid: undefined,
        memberVmIds: undefined,
        currentFolderId: undefined,
        status: undefined,
        totalVms: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, {
        type: "srm:ProtectionGroup",
        timeoutInput: "taskTimeoutSeconds",
        deleteBeforeReplace: true,
      }),
      "srm",
      "ProtectionGroup",
    );
  }
}
