// RecoveryPlanFolder: a folder of recovery plans in one pairing, for `RecoveryPlan.folder`. The name changes in place; the pairing and
// the parent folder replace it. SRM refuses to delete a folder that still holds something, so declare what
// goes in it with this folder's `id` and the engine empties it first.
import * as pulumi from "@pulumi/pulumi";
import { shimFor } from "../dynamic/provider-shim.js";
import { isSrmResource, resourceOptions } from "../dynamic/resource-options.js";
import type { ResourceImplementation } from "../dynamic/resource-implementation.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { folderImplementation } from "../shared/srm-folder.js";

/** RecoveryPlanFolder implementation. @internal */
export const recoveryPlanFolderImplementation: ResourceImplementation = folderImplementation(
  "recovery",
  "RecoveryPlanFolder",
);

/** Arguments of a {@link RecoveryPlanFolder}. */
export interface RecoveryPlanFolderArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces the folder. */
  pairingId: pulumi.Input<string>;
  /** Name of the folder, unique among its siblings; renamed in place. */
  name: pulumi.Input<string>;
  /** SRM id of the parent folder (pass another RecoveryPlanFolder's `id`); default the root folder. Changing it replaces the folder. */
  parentFolderId?: pulumi.Input<string>;
  /** Seconds to wait for each SRM task; default 300. */
  taskTimeoutSeconds?: pulumi.Input<number>;
}

/** A folder of recovery plans in SRM; pass its `id` as `RecoveryPlan.folder`. */
export class RecoveryPlanFolder extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the folder; also the resource id. */
  declare readonly folderId: pulumi.Output<string>;
  /** Name of the folder. */
  declare readonly name: pulumi.Output<string>;
  /** Path of the folder in SRM's tree, e.g. `/Tier1`. */
  declare readonly path: pulumi.Output<string>;
  /** Parent folder as SRM reports it. */
  declare readonly currentParentFolderId: pulumi.Output<string | undefined>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  /** True when `obj` is a RecoveryPlanFolder, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is RecoveryPlanFolder {
    return isSrmResource(obj, "RecoveryPlanFolder");
  }

  constructor(name: string, args: RecoveryPlanFolderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("recovery-plan-folder"),
      name,
      {
        ...args,
        resourceName: name,
        folderId: undefined,
        path: undefined,
        currentParentFolderId: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, { type: "srm:RecoveryPlanFolder", timeoutInput: "taskTimeoutSeconds" }),
      "srm",
      "RecoveryPlanFolder",
    );
  }
}
