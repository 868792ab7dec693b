// What ProtectionGroupFolder and RecoveryPlanFolder share: SRM keeps protection groups and recovery plans in
// two folder trees per pairing with the same operations (create under a parent, rename, delete; "Create
// Protection Group Folder" / "Create Recovery Plan Folder" in the SRM REST API). A folder's name changes in
// place; its pairing and parent replace it.
import { z } from "zod";
import type { FolderArea, FolderInventoryItem } from "../api/index.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { idString, requiredString, resourceName, taskTimeout } from "../dynamic/input-schemas.js";
import { srmClientFor } from "../dynamic/provider-context.js";
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

/** The pairing and the parent replace a folder; its name is changed in place. @internal */
export const FOLDER_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "parentFolderId"],
  update: ["name", "taskTimeoutSeconds"],
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
        const f = await client.getFolder(String(old.pairingId), area, id);
        if (!f) return { id: "", props: {} };
        return { id, props: outputsOf({ ...old, name: f.name }, f) };
      });
    },

    async update(ctx, id, olds, news) {
      const what = `renaming ${label(news)} (${id})`;
      const i = parseInputs(FolderInputsSchema, news, what);
      return withContext(what, async () => {
        const { client } = srmClientFor(ctx);
        if (upgradeOutputs(olds ?? {}).name !== i.name) {
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
