// ProtectionGroupFolder: a folder of protection groups in one pairing, for `ProtectionGroup.folder`, built by the shared folder factory. The
// name and the parent folder change in place (rename, move); the pairing replaces it. SRM refuses to delete a
// folder that still holds something, so declare what goes in it with this folder's `id` and the engine empties
// it first.
import type * as pulumi from "@pulumi/pulumi";
import { isSrmResource } from "../dynamic/resource-options.js";
import type { ResourceImplementation } from "../dynamic/resource-implementation.js";
import { folderImplementation, SrmFolder, type SrmFolderArgs } from "../shared/srm-folder.js";

/** ProtectionGroupFolder implementation. @internal */
export const protectionGroupFolderImplementation: ResourceImplementation = folderImplementation(
  "protection",
  "ProtectionGroupFolder",
);

/** Arguments of a {@link ProtectionGroupFolder}: `parentFolderId` is another ProtectionGroupFolder's `id`. */
export type ProtectionGroupFolderArgs = SrmFolderArgs;

/** A folder of protection groups in SRM; pass its `id` as `ProtectionGroup.folder`. */
export class ProtectionGroupFolder extends SrmFolder {
  /** True when `obj` is a ProtectionGroupFolder, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is ProtectionGroupFolder {
    return isSrmResource(obj, "ProtectionGroupFolder");
  }

  constructor(name: string, args: ProtectionGroupFolderArgs, opts?: pulumi.CustomResourceOptions) {
    super("ProtectionGroupFolder", "protection-group-folder", name, args, opts);
  }
}
