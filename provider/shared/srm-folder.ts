// What ProtectionGroupFolder and RecoveryPlanFolder share: SRM keeps protection groups and recovery plans in
// two folder trees per pairing with the same operations (create under a parent, rename, move, delete; "Create
// Protection Group Folder", "Move Site Recovery Manager protection group folder" and their recovery plan
// twins in the SRM REST API). A folder's name and parent change in place; its pairing replaces it. Both
// resources are built here: the implementation, and the resource class each file names after its tree.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { FolderArea, FolderInventoryItem } from "../api/index.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { idString, requiredString, resourceName, taskTimeout } from "../dynamic/input-schemas.js";
import { srmClientFor } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import { resourceOptions } from "../dynamic/resource-options.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import type { SrmClient } from "../client/index.js";
import { withContext } from "../dynamic/resource-error.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";
import { waitWithProgress } from "../dynamic/task-progress.js";

/** Default `taskTimeoutSeconds` of a folder. */
export const FOLDER_TASK_TIMEOUT_SECONDS = 300;

/** Validated folder inputs. @internal */
export const FolderInputsSchema = z.object({
  resourceName,
  pairingId: idString("SRM id of the pairing"),
  name: requiredString("name of the folder"),
  parentFolderId: idString("SRM id of the parent folder").optional(),
  taskTimeoutSeconds: taskTimeout(FOLDER_TASK_TIMEOUT_SECONDS),
});
/** Folder inputs after validation. @internal */
export type FolderInputs = z.infer<typeof FolderInputsSchema>;

/** The pairing replaces a folder; its name (rename) and parent (move) change in place. @internal */
export const FOLDER_DIFF_RULES: DiffRules = {
  replace: ["pairingId"],
  update: ["name", "parentFolderId", "taskTimeoutSeconds"],
  deleteBeforeReplace: false,
};

const ECHOED = ["resourceName", "pairingId", "name", "parentFolderId", "taskTimeoutSeconds"] as const;

function outputsOf(i: Props, f: FolderInventoryItem): Props {
  return {
    ...pick(i, ECHOED),
    folderId: f.id,
    path: f.path,
    currentParentFolderId: f.parent ?? undefined,
    schemaVersion: SCHEMA_VERSION,
  };
}

/** The root folder of the tree holding folder `id`: the first folder up its parents that has no parent. */
async function rootOf(client: SrmClient, pairingId: string, area: FolderArea, id: string): Promise<string> {
  let at = await client.getFolder(pairingId, area, id);
  for (let depth = 0; at?.parent && depth < 64; depth++) {
    const up = await client.getFolder(pairingId, area, at.parent);
    if (!up) break;
    if (!up.parent) return up.id;
    at = up;
  }
  throw new Error(`cannot find the root folder above folder ${id}; run \`pulumi refresh\` and try again`);
}

/** The implementation of the folder resource of one tree. @internal */
export function folderImplementation(area: FolderArea, typeName: string): ResourceImplementation {
  const label = (props: Props | undefined) => labelOf(typeName, props, String(props?.name ?? "?"));
  const wait = (
    client: Parameters<typeof waitWithProgress>[0],
    task: Parameters<typeof waitWithProgress>[1],
    i: FolderInputs,
    raw: Props,
    log: (l: string) => void,
  ) =>
    waitWithProgress(client, task, {
      label: label(raw),
      timeoutSeconds: i.taskTimeoutSeconds,
      timeoutInput: "taskTimeoutSeconds",
      log,
    });
  return {
    typeName,

    async check(_olds, news) {
      return checkInputs(FolderInputsSchema, news);
    },

    async diff(_id, olds, news) {
      const inputs = normalizedForDiff(FolderInputsSchema, news);
      const { changed: _c, ...result } = diffFields(upgradeOutputs(olds ?? {}), inputs, FOLDER_DIFF_RULES);
      return result;
    },

    async create(ctx, raw) {
      const what = `creating ${label(raw)} in pairing ${String(raw.pairingId)}`;
      const i = parseInputs(FolderInputsSchema, raw, what);
      return withContext(what, async () => {
        const { client } = srmClientFor(ctx);
        const siblings = async () =>
          i.parentFolderId === undefined
            ? client.listFolderItems(i.pairingId, area)
            : client.listFolderChildren(i.pairingId, area, i.parentFolderId);
        const existing = (await siblings()).find((f) => f.type === "FOLDER" && f.name === i.name);
        if (existing) {
          throw new Error(
            `a folder named "${i.name}" already exists there (${existing.id}); exactly one resource manages each ` +
              `SRM object, so rename this one or import the existing folder into the stack.`,
          );
        }
        const task = await client.createFolder(i.pairingId, area, {
          name: i.name,
          location: i.parentFolderId ?? null,
        });
        const done = await wait(client, task, i, raw, ctx.log);
        const id = (done.result as { id?: unknown } | null)?.id;
        const folderId =
          typeof id === "string"
            ? id
            : (await siblings()).find((f) => f.type === "FOLDER" && f.name === i.name)?.id;
        if (!folderId)
          throw new Error(
            `task ${done.id} succeeded but the new folder is not listed; run \`pulumi refresh\``,
          );
        const back = await client.getFolder(i.pairingId, area, folderId);
        if (!back) throw new Error(`folder ${folderId} vanished right after its creation`);
        return { id: folderId, outs: outputsOf(i as Props, back) };
      });
    },

    async read(ctx, id, props) {
      const old = upgradeOutputs(props ?? {});
      return withContext(`reading ${label(old)} (${id})`, async () => {
        const { client } = srmClientFor(ctx);
        const pairingId = String(old.pairingId);
        const f = await client.getFolder(pairingId, area, id);
        if (!f) return { id: "", props: {} };
        // A folder moved in SRM's UI drifts from its declared parent (none declared: the root).
        const declared = typeof old.parentFolderId === "string" ? old.parentFolderId : undefined;
        let parent = declared;
        if (f.parent && f.parent !== declared)
          parent = (await client.getFolder(pairingId, area, f.parent))?.parent ? f.parent : undefined;
        return { id, props: outputsOf({ ...old, name: f.name, parentFolderId: parent }, f) };
      });
    },

    async update(ctx, id, olds, news) {
      const what = `updating ${label(news)} (${id})`;
      const i = parseInputs(FolderInputsSchema, news, what);
      return withContext(what, async () => {
        const { client } = srmClientFor(ctx);
        const old = upgradeOutputs(olds ?? {});
        if (old.parentFolderId !== i.parentFolderId) {
          const destination = i.parentFolderId ?? (await rootOf(client, i.pairingId, area, id));
          const task = await client.moveFolder(i.pairingId, area, id, { destination_parent: destination });
          await wait(client, task, i, news, ctx.log);
        }
        if (old.name !== i.name) {
          const task = await client.renameFolder(i.pairingId, area, id, { name: i.name });
          await wait(client, task, i, news, ctx.log);
        }
        const back = await client.getFolder(i.pairingId, area, id);
        if (!back) throw new Error(`folder ${id} no longer exists in SRM; run \`pulumi refresh\``);
        return { outs: outputsOf(i as Props, back) };
      });
    },

    async delete(ctx, id, props) {
      const old = upgradeOutputs(props ?? {});
      const i = { taskTimeoutSeconds: FOLDER_TASK_TIMEOUT_SECONDS, ...old } as unknown as FolderInputs;
      await withContext(`deleting ${label(old)} (${id})`, async () => {
        const { client } = srmClientFor(ctx);
        if (!(await client.getFolder(String(old.pairingId), area, id))) return;
        const task = await client.deleteFolder(String(old.pairingId), area, id);
        await wait(client, task, i, old, ctx.log);
      });
    },
  };
}

/** Arguments of a folder of either tree. */
export interface SrmFolderArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces the folder. */
  pairingId: pulumi.Input<string>;
  /** Name of the folder, unique among its siblings; renamed in place. */
  name: pulumi.Input<string>;
  /** SRM id of the parent folder (another folder of the same tree: pass its `id`); default the root folder. Changing it moves the folder in place. */
  parentFolderId?: pulumi.Input<string>;
  /** Seconds to wait for each SRM task; default 300. */
  taskTimeoutSeconds?: pulumi.Input<number>;
}

/** The resource class of the folders of one tree, named after that tree by its own file. */
export abstract class SrmFolder extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the folder; also the resource id. */
  declare readonly folderId: pulumi.Output<string>;
  /** Name of the folder. */
  declare readonly name: pulumi.Output<string>;
  /** Declared parent folder (undefined: the root). */
  declare readonly parentFolderId: pulumi.Output<string | undefined>;
  /** Path of the folder in SRM's tree, e.g. `/Tier1`. */
  declare readonly path: pulumi.Output<string>;
  /** Parent folder as SRM reports it. */
  declare readonly currentParentFolderId: pulumi.Output<string | undefined>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /**
   * @param typeName `ProtectionGroupFolder` or `RecoveryPlanFolder`.
   * @param shim The kind its provider shim loads, e.g. `protection-group-folder`.
   */
  protected constructor(
    typeName: string,
    shim: string,
    name: string,
    args: SrmFolderArgs,
    opts?: pulumi.CustomResourceOptions,
  ) {
    super(
      shimFor(shim),
      name,
      {
        ...args,
        resourceName: name,
        folderId: undefined,
        path: undefined,
        currentParentFolderId: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, { type: `srm:${typeName}`, timeoutInput: "taskTimeoutSeconds" }),
      "srm",
      typeName,
    );
  }
}
