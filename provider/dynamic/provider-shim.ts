// The object Pulumi serializes into state as `__provider` and runs in the dynamic-provider host, possibly
// years later and with newer package code. So it holds plain data only (no credentials, no clients), its
// methods reference nothing but `this`, their arguments and `require("pulumi-srm")`, and the registry API it
// calls (`providers.v1`) never changes incompatibly.
//
// Pulumi's closure serializer stores an object that is the whole `module.exports` of a module inside
// node_modules as a plain `require("<package>/<path>")` (createClosure.js, captureModuleAsync) instead of its
// code, and the host stores `__provider` twice per resource (inputs and outputs). So each kind's shim is the
// export of its own module under shims/, exported in package.json; state then holds about 300 bytes per copy
// instead of the shim's code (3.6 KB). Where the package is not installed as npm installs it (a linked
// checkout, pnpm's store) that require would not resolve in the host, so there the shim is stored by value.
import * as fs from "node:fs";
import * as path from "node:path";
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

/** The package specifier of a kind's shim module, as state stores it; package.json exports it. */
export function shimModuleOf(kind: string): string {
  return `pulumi-srm/dist/provider/dynamic/shims/${kind}.js`;
}

/**
 * Whether Pulumi's serializer stores the module at `file` as `require(shimModuleOf(kind))`: it takes the path
 * after the first node_modules segment of the module's real path relative to the working folder.
 */
export function storedAsRequire(file: string, kind: string, cwd = process.cwd()): boolean {
  let real: string;
  try {
    real = fs.realpathSync(file);
  } catch {
    return false;
  }
  const parts = path.relative(cwd, real).split(path.sep);
  const at = parts.indexOf("node_modules");
  return at >= 0 && parts.slice(at + 1).join("/") === shimModuleOf(kind);
}

/** One shim per kind, so Pulumi serializes it once per kind and process (it caches per object). */
export function shimFor(kind: string): SrmProviderShim {
  let shim = shims.get(kind);
  if (!shim) {
    const file = path.join(__dirname, "shims", `${kind}.js`);
    shim = storedAsRequire(file, kind) ? (require(file) as SrmProviderShim) : new SrmProviderShim(kind);
    shims.set(kind, shim);
  }
  return shim;
}
