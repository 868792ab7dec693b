// The contract between the registry and each resource's implementation.
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "./provider-context.js";

/** Loosely typed property bags as the engine sends them. */
export type Props = Record<string, unknown>;

/** check/diff take no context: they never touch the network or settings. */
export interface ResourceImplementation {
  /** The resource type name, e.g. `Pairing`. */
  readonly typeName: string;
  /**
   * Validates `news` and applies defaults; reports bad inputs as failures rather than throwing, so preview
   * lists every one of them. Unknown values (during preview) pass through. `site` is the configured site the
   * resource acts at (absent: the single-site settings), which `news` no longer holds.
   */
  check(olds: Props, news: Props, site?: string): Promise<pulumi.dynamic.CheckResult>;
  /** Compares stored outputs with new inputs: which properties change, and which of them force a replacement. */
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  /** Creates (or adopts) the SRM object, or runs the action, and returns its id and outputs. */
  create(ctx: ProviderContext, inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  /** Refresh: the object's current state, or no id when it no longer exists so the engine drops it. */
  read(ctx: ProviderContext, id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  /** Applies changed inputs in place; only called for changes {@link diff} did not mark as replacing. */
  update(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
  /** Removes the SRM object; a no-op for action resources (Reprotect, ApplianceReconciliation). */
  delete(ctx: ProviderContext, id: string, props: Props): Promise<void>;
}

/** `Pairing "dr-site-b"` when the resource name is known, else the fallback. */
export function labelOf(typeName: string, props: Props | undefined, fallback: string): string {
  const name = props?.resourceName;
  return typeof name === "string" && name !== "" ? `${typeName} "${name}"` : `${typeName} ${fallback}`;
}

/** Picks the listed keys that are set. */
export function pick(props: Props, keys: readonly string[]): Props {
  const out: Props = {};
  for (const k of keys) if (props[k] !== undefined && props[k] !== null) out[k] = props[k];
  return out;
}
