// The contract between the registry and each resource's implementation.
import type * as pulumi from "@pulumi/pulumi";
import type { ProviderContext } from "./provider-context.js";

/** Loosely typed property bags as the engine sends them. */
export type Props = Record<string, unknown>;

/** check/diff take no context: they never touch the network or settings. */
export interface ResourceImplementation {
  /** The resource type name, e.g. `Pairing`. */
  readonly typeName: string;
  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult>;
  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult>;
  create(ctx: ProviderContext, inputs: Props): Promise<pulumi.dynamic.CreateResult>;
  read(ctx: ProviderContext, id: string, props: Props): Promise<pulumi.dynamic.ReadResult>;
  update(ctx: ProviderContext, id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult>;
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
