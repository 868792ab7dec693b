// ProtectionGroupFolder: a folder of protection groups in one pairing, for `ProtectionGroup.folder`. The name changes in place; the pairing and
// the parent folder replace it. SRM refuses to delete a folder that still holds something, so declare what
// goes in it with this folder's `id` and the engine empties it first.
import * as pulumi from "@pulumi/pulumi";
import { shimFor } from "../dynamic/provider-shim.js";
import { isSrmResource, resourceOptions } from "../dynamic/resource-options.js";
import type { ResourceImplementation } from "../dynamic/resource-implementation.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { folderImplementation } from "../shared/srm-folder.js";

/** ProtectionGroupFolder implementation. @internal */
export const protectionGroupFolderImplementation: ResourceImplementation = folderImplementation(
  "protection",
  "ProtectionGroupFolder",
);

/** Arguments of a {@link ProtectionGroupFolder}. */
export interface ProtectionGroupFolderArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces the folder. */
  pairingId: pulumi.Input<string>;
  /** Name of the folder, unique among its siblings; renamed in place. */
  name: pulumi.Input<string>;
  /** SRM id of the parent folder (pass another ProtectionGroupFolder's `id`); default the root folder. Changing it replaces the folder. */
  parentFolderId?: pulumi.Input<string>;
  /** Seconds to wait for each SRM task; default 300. */
  taskTimeoutSeconds?: pulumi.Input<number>;
}

/** A folder of protection groups in SRM; pass its `id` as `ProtectionGroup.folder`. */
export class ProtectionGroupFolder extends pulumi.dynamic.Resource {
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

  /** True when `obj` is a ProtectionGroupFolder, also one made by another copy of this package. */
  static override isInstance(obj: unknown): obj is ProtectionGroupFolder {
    return isSrmResource(obj, "ProtectionGroupFolder");
  }

  constructor(name: string, args: ProtectionGroupFolderArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("protection-group-folder"),
      name,
      {
        ...args,
        resourceName: name,
        folderId: undefined,
        path: undefined,
        currentParentFolderId: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, { type: "srm:ProtectionGroupFolder", timeoutInput: "taskTimeoutSeconds" }),
      "srm",
      "ProtectionGroupFolder",
    );
  }
}
