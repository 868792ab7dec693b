// The implementation registry the serialized provider shim calls through `require("pulumi-srm").providers`.
// `providers.v1` is a stable surface: shims stored in existing state call it with their `kind`, so kinds and
// the call convention stay valid in every later release (new conventions get a new `vN` next to it).
import { readSettings, type SettingsSnapshot } from "../config.js";
import { applianceReconciliationImplementation } from "../resources/appliance-reconciliation.js";
import { watchEngine } from "./engine-liveness.js";
import { inventoryMappingImplementation } from "../resources/inventory-mapping.js";
import { pairingImplementation } from "../resources/pairing.js";
import { isPartialFailure } from "./partial-failure.js";
import { placeholderDatastoreImplementation } from "../resources/placeholder-datastore.js";
import type { ProviderContext } from "./provider-context.js";
import { recoveryStepCalloutImplementation } from "../resources/recovery-step-callout.js";
import { reprotectImplementation } from "../resources/reprotect.js";
import { protectionGroupImplementation } from "../resources/protection-group.js";
import { recoveryPlanImplementation } from "../resources/recovery-plan.js";
import { vmRecoverySettingsImplementation } from "../resources/vm-recovery-settings.js";
import { protectionGroupFolderImplementation } from "../resources/protection-group-folder.js";
import { recoveryPlanFolderImplementation } from "../resources/recovery-plan-folder.js";
import { testNetworkMappingImplementation } from "../resources/test-network-mapping.js";
import type { ResourceImplementation } from "./resource-implementation.js";
import { stderrLine } from "./task-progress.js";

/** Implementations by the `kind` a shim carries. */
export const implementations: Readonly<Record<string, ResourceImplementation>> = {
  pairing: pairingImplementation,
  "recovery-step-callout": recoveryStepCalloutImplementation,
  reprotect: reprotectImplementation,
  "appliance-reconciliation": applianceReconciliationImplementation,
  "protection-group": protectionGroupImplementation,
  "recovery-plan": recoveryPlanImplementation,
  "vm-recovery-settings": vmRecoverySettingsImplementation,
  "protection-group-folder": protectionGroupFolderImplementation,
  "recovery-plan-folder": recoveryPlanFolderImplementation,
  "inventory-mapping": inventoryMappingImplementation,
  "test-network-mapping": testNetworkMappingImplementation,
  "placeholder-datastore": placeholderDatastoreImplementation,
};

/** What a shim is to the registry: its plain fields. */
export interface ShimFields {
  /**
   * Which entry of `providers.implementations` serves the shim, e.g. `pairing`. Stored in stack state, so a kind is
   * never renamed or removed.
   */
  readonly kind: string;
  /** Calling convention the shim was serialized with (1 for every shim so far); not read by {@link RegistryV1}. */
  readonly shimVersion?: number;
}

/** The methods a shim forwards. */
export type ProviderMethod = "check" | "diff" | "create" | "read" | "update" | "delete";

/** Settings per configured shim. Kept here, not on the shim, so no credential is ever a field of it. */
const configured = new WeakMap<object, SettingsSnapshot>();

function implementationOf(shim: ShimFields): ResourceImplementation {
  const impl = Object.prototype.hasOwnProperty.call(implementations, shim.kind)
    ? implementations[shim.kind]
    : undefined;
  if (!impl) {
    throw new Error(
      `This stack's state refers to a pulumi-srm resource kind "${String(shim.kind)}" that the installed ` +
        `pulumi-srm does not know (it knows ${Object.keys(implementations).join(", ")}). Install the pulumi-srm ` +
        `version that created the state.`,
    );
  }
  return impl;
}

/** The context of a call: the settings from configure, else from the environment at the time of the call. */
function contextOf(shim: object): ProviderContext {
  return { snapshot: configured.get(shim) ?? readSettings(), log: stderrLine };
}

/** Version 1 of the registry API. Never change its signatures; add `v2` instead. */
export interface RegistryV1 {
  /**
   * Snapshots the stack config of `req` synchronously and binds it to the shim, so calls made before the
   * returned promise settles already use it.
   */
  configure(shim: object, req: { config: { get(key: string): unknown } }): Promise<void>;
  /** Runs one provider method of the shim's kind. */
  call(shim: ShimFields, method: ProviderMethod, args: unknown[]): Promise<unknown>;
}

const v1: RegistryV1 = {
  configure(shim, req) {
    watchEngine();
    configured.set(
      shim,
      readSettings((key) => req.config.get(key)),
    );
    return Promise.resolve();
  },

  async call(shim, method, args) {
    try {
      return withoutUndefined(await dispatch(shim, method, args));
    } catch (e) {
      // The host packs a partial failure's properties into a protobuf Struct too.
      if (isPartialFailure(e)) e.properties = withoutUndefined(e.properties);
      throw e;
    }
  },
};

async function dispatch(shim: ShimFields, method: ProviderMethod, args: unknown[]): Promise<unknown> {
  const impl = implementationOf(shim);
  const a = args as never[];
  switch (method) {
    case "check":
      return impl.check(a[0] ?? {}, a[1] ?? {});
    case "diff":
      return impl.diff(a[0], a[1] ?? {}, a[2] ?? {});
    case "create":
      return impl.create(contextOf(shim), a[0] ?? {});
    case "read":
      return impl.read(contextOf(shim), a[0], a[1] ?? {});
    case "update":
      return impl.update(contextOf(shim), a[0], a[1] ?? {}, a[2] ?? {});
    case "delete":
      return impl.delete(contextOf(shim), a[0], a[1] ?? {});
    default:
      throw new Error(`pulumi-srm: unknown provider method "${String(method)}".`);
  }
}

/**
 * Drops `undefined` members of plain objects (deeply). The host turns results into protobuf Structs, which
 * reject `undefined` ("Unexpected struct type"), so an optional output that is absent must be left out.
 */
export function withoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withoutUndefined(v))) as T;
  if (value === null || typeof value !== "object" || Object.getPrototypeOf(value) !== Object.prototype)
    return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
  return out as T;
}

/** The registry exported as `providers` from the package entry. */
export const providers = {
  /** Version 1 of the calling convention (shimVersion 1). */
  v1,
  /** Implementations by kind, for direct use and tests. */
  implementations,
} as const;
