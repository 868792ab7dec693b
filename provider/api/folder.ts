import { z } from "zod";
import { listOf, Metadata } from "./errors.js";

/**
 * The two folder trees of a pairing: protection groups live under `protection-management/inventory`, recovery
 * plans under `recovery-management/inventory`.
 */
export const FOLDER_AREAS = ["protection", "recovery"] as const;
/** One of {@link FOLDER_AREAS}. */
export type FolderArea = (typeof FOLDER_AREAS)[number];

/** CreateFolderSpec: body of `POST .../{protection,recovery}-management/inventory`. Request: exact. */
export const CreateFolderSpec = z.strictObject({
  name: z.string().min(1),
  location: z.string().nullish(),
});
export type CreateFolderSpec = z.infer<typeof CreateFolderSpec>;

/** RenameObjectSpec: body of `POST .../inventory/{folder_id}/actions/rename`. Request: exact. */
export const RenameObjectSpec = z.strictObject({ name: z.string().min(1) });
export type RenameObjectSpec = z.infer<typeof RenameObjectSpec>;

/** MoveObjectSpec: body of `POST .../inventory/{folder_id}/actions/move` (a folder into another of its tree). Request: exact. */
export const MoveObjectSpec = z.strictObject({ destination_parent: z.string().min(1) });
export type MoveObjectSpec = z.infer<typeof MoveObjectSpec>;

/** ProtectionInventoryItem and RecoveryInventoryItem: a folder, protection group or recovery plan. */
export const FolderInventoryItem = z.object({
  id: z.string(),
  name: z.string(),
  path: z.string(),
  type: z.enum(["FOLDER", "PROTECTION_GROUP", "RECOVERY_PLAN"]),
  parent: z.string().nullish(),
  _meta: Metadata.optional(),
});
export type FolderInventoryItem = z.infer<typeof FolderInventoryItem>;
export const FolderInventoryItemList = listOf(FolderInventoryItem);
