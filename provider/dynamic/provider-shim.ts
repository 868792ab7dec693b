// The object Pulumi serializes into state as `__provider` and runs in the dynamic-provider host, possibly
// years later and with newer package code. So it holds plain data only (no credentials, no clients), its
// methods reference nothing but `this`, their arguments and `require("pulumi-srm")`, and the registry API it
// calls (`providers.v1`) never changes incompatibly. Keep this file tiny: every byte is stored per resource.
import type * as pulumi from "@pulumi/pulumi";

/** A property bag as the engine sends it. */
type Props = Record<string, unknown>;

/** The serialized provider: delegates every call to the installed package's implementation registry. */
export class SrmProviderShim implements pulumi.dynamic.ResourceProvider {
  /** Which resource implementation to call, e.g. `pairing`. */
  readonly kind: string;
  /** Version of this shim's calling convention, for the registry. */
  readonly shimVersion: number;

  constructor(kind: string) {
    this.kind = kind;
    this.shimVersion = 1;
  }

  // The registry snapshots the stack config synchronously here, before the host's first await, so calls
  // that the host starts before this promise settles already see the settings.
  configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
    return require("pulumi-srm").providers.v1.configure(this, req);
  }

  check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    return require("pulumi-srm").providers.v1.call(this, "check", [olds, news]);
  }

  diff(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
    return require("pulumi-srm").providers.v1.call(this, "diff", [id, olds, news]);
  }

  create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
    return require("pulumi-srm").providers.v1.call(this, "create", [inputs]);
  }

  read(id: string, props?: Props): Promise<pulumi.dynamic.ReadResult> {
    return require("pulumi-srm").providers.v1.call(this, "read", [id, props]);
  }

  update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
    return require("pulumi-srm").providers.v1.call(this, "update", [id, olds, news]);
  }

  delete(id: string, props: Props): Promise<void> {
    return require("pulumi-srm").providers.v1.call(this, "delete", [id, props]);
  }
}

const shims = new Map<string, SrmProviderShim>();

/** One shim per kind, so Pulumi serializes it once per kind and process (it caches per object). */
export function shimFor(kind: string): SrmProviderShim {
  let shim = shims.get(kind);
  if (!shim) {
    shim = new SrmProviderShim(kind);
    shims.set(kind, shim);
  }
  return shim;
}
