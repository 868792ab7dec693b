// What every resource class hands the dynamic-resource base constructor, for a create (the program's inputs)
// and for a static `get` (every input unset, so the outputs of the same names come back from SRM's Read). A
// get passes no inputs through Check, so the site it reads at travels in the read's properties, where the
// registry picks the SRM server from for every Read.
import type * as pulumi from "@pulumi/pulumi";
import { journalKeyOf, resourceOptions, type OptionDefaults } from "./resource-options.js";

/** Options of a resource class's static `get`: the resource options, and the site to read the object from. */
export interface GetOptions extends pulumi.CustomResourceOptions {
  /**
   * Name of the site in the stack config `srm:sites` whose SRM server holds the object (e.g. `siteB`); default:
   * the single-site settings (`srm:host` and the rest). Refresh re-reads it at the same site.
   */
  site?: pulumi.Input<string>;
}

/** How a resource class is declared to the engine. @internal */
export interface ResourceClassSpec extends Omit<OptionDefaults, "type"> {
  /** The type name after `srm:`, e.g. `RecoveryStepCallout`. */
  readonly typeName: string;
  /** Every input of the class, unset (what a get passes; typed per class so none is forgotten). */
  readonly inputs: Readonly<Record<string, undefined>>;
  /** Every output that is not an input, left unset for the provider to fill. */
  readonly outputs: readonly string[];
}

/** The options a get passes its constructor: the program's, with the object's id. @internal */
export function readByIdOptions(id: pulumi.Input<pulumi.ID>, opts: GetOptions | undefined): GetOptions {
  return { ...opts, id };
}

/**
 * The properties and options of a resource of class `spec`: the program's inputs with the resource name and its
 * create-journal key, or, reading by id (no `args`), every input unset but the get's `site`.
 * @internal
 */
export function resourceClassArgs(
  spec: ResourceClassSpec,
  name: string,
  args: object | undefined,
  opts: GetOptions | undefined,
): { props: Record<string, unknown>; opts: pulumi.CustomResourceOptions } {
  const { site, ...options } = opts ?? {};
  const inputs = args
    ? { ...args, resourceName: name, journalKey: journalKeyOf(spec.typeName, name) }
    : {
        ...spec.inputs,
        site,
        resourceName: name,
        journalKey: undefined,
      };
  return {
    props: { ...inputs, ...Object.fromEntries(spec.outputs.map((k) => [k, undefined])) },
    opts: resourceOptions(name, options, { ...spec, type: `srm:${spec.typeName}` }),
  };
}
