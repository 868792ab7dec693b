// The implementation registry the serialized provider shim calls through `require("pulumi-srm").providers`.
// `providers.v1` is a stable surface: shims stored in existing state call it with their `kind`, so kinds and
// the call convention stay valid in every later release (new conventions get a new `vN` next to it).
import { readSettings, type SettingsSnapshot } from "../config.js";
import { applianceReconciliationImplementation } from "../resources/appliance-reconciliation.js";
import { setUpProviderHost } from "./host-process.js";
import { inventoryMappingImplementation } from "../resources/inventory-mapping.js";
import { pairingImplementation } from "../resources/pairing.js";
import { isPartialFailure } from "./partial-failure.js";
import { placeholderDatastoreImplementation } from "../resources/placeholder-datastore.js";
import type { ProviderContext } from "./provider-context.js";
import { recoveryPlanCalloutsImplementation } from "../resources/recovery-plan-callouts.js";
import { recoveryStepCalloutImplementation } from "../resources/recovery-step-callout.js";
import { reprotectImplementation } from "../resources/reprotect.js";
import { protectionGroupImplementation } from "../resources/protection-group.js";
import { recoveryPlanImplementation } from "../resources/recovery-plan.js";
import { vmRecoverySettingsImplementation } from "../resources/vm-recovery-settings.js";
import { protectionGroupFolderImplementation } from "../resources/protection-group-folder.js";
import { recoveryPlanFolderImplementation } from "../resources/recovery-plan-folder.js";
import { testNetworkMappingImplementation } from "../resources/test-network-mapping.js";
import type { Props, ResourceImplementation } from "./resource-implementation.js";
import { checkSite, diffSite, siteOf, withoutSite, withSite } from "./site-input.js";
import { stderrLine } from "./task-progress.js";

/** Implementations by the `kind` a shim carries. */
export const implementations: Readonly<Record<string, ResourceImplementation>> = {
  pairing: pairingImplementation,
  "recovery-step-callout": recoveryStepCalloutImplementation,
  "recovery-plan-callouts": recoveryPlanCalloutsImplementation,
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
function contextOf(shim: object, site?: string): ProviderContext {
  return { snapshot: configured.get(shim) ?? readSettings(), site, log: stderrLine };
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
    setUpProviderHost();
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
  // `site` picks the SRM server; the resources see their own inputs only (see site-input.ts).
  switch (method) {
    case "check": {
      const news: Props = a[1] ?? {};
      const result = await impl.check(withoutSite(a[0]), withoutSite(news), siteOf(news));
      const failures = [...(result.failures ?? []), ...checkSite(news, contextOf(shim).snapshot)];
      if (failures.length > 0) return { inputs: news, failures };
      const site = news.site;
      return site === undefined || site === null ? result : { ...result, inputs: { ...result.inputs, site } };
    }
    case "diff":
      return diffSite(a[1] ?? {}, a[2] ?? {}, await impl.diff(a[0], withoutSite(a[1]), withoutSite(a[2])));
    case "create": {
      const site = siteOf(a[0]);
      return atSite(site, a[0], async () => {
        const r = await impl.create(contextOf(shim, site), withoutSite(a[0]));
        return { ...r, outs: withSite(r.outs, site) };
      });
    }
    case "read": {
      const site = siteOf(a[1]);
      return atSite(site, a[1], async () => {
        const r = await impl.read(contextOf(shim, site), a[0], withoutSite(a[1]));
        return { ...r, props: withSite(r.props, site), inputs: withSite(r.inputs, site) };
      });
    }
    case "update": {
      const site = siteOf(a[2]);
      return atSite(site, a[2], async () => {
        const r = await impl.update(contextOf(shim, site), a[0], withoutSite(a[1]), withoutSite(a[2]));
        return { ...r, outs: withSite(r.outs, site) };
      });
    }
    case "delete": {
      const site = siteOf(a[1]);
      return atSite(site, a[1], () => impl.delete(contextOf(shim, site), a[0], withoutSite(a[1])));
    }
    default:
      throw new Error(`pulumi-srm: unknown provider method "${String(method)}".`);
  }
}

/**
 * A partial failure keeps the `site` in the outputs it records, so the next run reaches the same server, and the
 * serialized provider of the call's inputs: the host records the failure's properties as they are (it adds
 * `__provider` to results only), and a resource stored without it can be neither read nor deleted.
 */
async function atSite<T>(
  site: string | undefined,
  inputs: Props | undefined,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (isPartialFailure(e)) {
      const provider = e.properties.__provider ?? inputs?.__provider;
      e.properties = withSite(
        { ...e.properties, ...(provider === undefined ? {} : { __provider: provider }) },
        site,
      );
    }
    throw e;
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
