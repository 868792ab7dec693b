// Resource options as the Pulumi engine applies them to a dynamic resource, which differs from a provider
// plugin in two ways that matter here: `customTimeouts` and `replaceOnChanges` never reach the provider
// (the dynamic-provider host drops them), and `--replace` / `--target-replace` skip the provider's diff, so
// its deleteBeforeReplace answer is not asked and the engine creates the replacement first.
import * as pulumi from "@pulumi/pulumi";

/** What a resource class says about its options. */
export interface OptionDefaults {
  /** `srm:Pairing` etc., for warnings. */
  readonly type: string;
  /**
   * The replacement cannot exist beside the original (it would adopt the original's SRM object, which the
   * original's delete then removes), so deleteBeforeReplace is on unless the program sets it.
   */
  readonly deleteBeforeReplace?: boolean;
  /** The input that does what `customTimeouts` would, for the warning; absent when SRM answers at once. */
  readonly timeoutInput?: string;
}

/** Options for the base constructor: the program's, with this resource's defaults; warns about ignored ones. */
export function resourceOptions(
  name: string,
  opts: pulumi.CustomResourceOptions | undefined,
  defaults: OptionDefaults,
): pulumi.CustomResourceOptions {
  if (opts?.customTimeouts !== undefined) {
    void pulumi.log.warn(
      `${defaults.type} "${name}": customTimeouts has no effect on pulumi-srm resources (the dynamic-provider ` +
        `host never passes it on)` +
        (defaults.timeoutInput
          ? `; set the ${defaults.timeoutInput} input instead.`
          : `; this resource waits for no SRM task, SRM answers its changes at once.`),
    );
  }
  if (opts?.replaceOnChanges !== undefined && opts.replaceOnChanges.length > 0) {
    void pulumi.log.warn(
      `${defaults.type} "${name}": replaceOnChanges has no effect on pulumi-srm resources (the dynamic-provider ` +
        `host never passes on which properties changed); use the resource's \`triggers\` input where it has one, ` +
        `or \`pulumi up --replace <urn>\`.`,
    );
  }
  if (defaults.deleteBeforeReplace && opts?.deleteBeforeReplace === undefined) {
    return { ...opts, deleteBeforeReplace: true };
  }
  return { ...opts };
}

/**
 * Whether `obj` is a resource of the `srm:` type `typeName`, also one made by another copy of this package
 * (where `instanceof` fails), as first-class Pulumi packages' `isInstance` does.
 */
export function isSrmResource(obj: unknown, typeName: string): boolean {
  return (
    pulumi.Resource.isInstance(obj) &&
    (obj as { __pulumiType?: unknown }).__pulumiType === `pulumi-nodejs:dynamic/srm:${typeName}`
  );
}

/**
 * The create-journal key of a resource: `project/stack/srm:Type/name` of the running stack, so the provider can
 * recognise what an earlier, interrupted create of the same resource made.
 */
export function journalKeyOf(typeName: string, name: string): string {
  return `${pulumi.getProject()}/${pulumi.getStack()}/srm:${typeName}/${name}`;
}
