// RecoveryPlanFolder: a folder of recovery plans in one pairing, for `RecoveryPlan.folder`, built by the shared folder factory. The
// name and the parent folder change in place (rename, move); the pairing replaces it. SRM refuses to delete a
// folder that still holds something, so declare what goes in it with this folder's `id` and the engine empties
// it first.
import type * as pulumi from "@pulumi/pulumi";
import { isSrmResource } from "../dynamic/resource-options.js";
import type { ResourceImplementation } from "../dynamic/resource-implementation.js";
import { folderImplementation, SrmFolder, type SrmFolderArgs } from "../shared/srm-folder.js";

/** RecoveryPlanFolder implementation. @internal */
export const recoveryPlanFolderImplementation: ResourceImplementation = folderImplementation(
  "recovery",
  "RecoveryPlanFolder",
);

/** Arguments of a {@link RecoveryPlanFolder}: `parentFolderId` is another RecoveryPlanFolder's `id`. */
export type RecoveryPlanFolderArgs = SrmFolderArgs;

/** A folder of recovery plans in SRM; pass its `id` as `RecoveryPlan.folder`. */
export class RecoveryPlanFolder extends SrmFolder {
  /** True when `obj` is a RecoveryPlanFolder, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is RecoveryPlanFolder {
    return isSrmResource(obj, "RecoveryPlanFolder");
  }

  constructor(name: string, args: RecoveryPlanFolderArgs, opts?: pulumi.CustomResourceOptions) {
    super("RecoveryPlanFolder", "recovery-plan-folder", name, args, opts);
  }
}
