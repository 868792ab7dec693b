// InventoryMapping: one folder, network, resource-pool or storage-policy mapping from an object at one site
// to an object at the other, optionally also written in reverse (for reprotect), and for networks the IP
// subnet rules. SRM has no update for a mapping: changing its ends replaces it (deleting first, since SRM
// refuses a second mapping of the same source). Create and delete answer 204 with no id, so the id comes
// from listing the mappings afterwards.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { InventoryMapping as WireMapping, MappingKind } from "../api/index.js";
import { isSrmError, SiteInventoryClient } from "../client/index.js";
import { checkInputs, normalizedForDiff, parseInputs, type CrossFieldRule } from "../dynamic/check-inputs.js";
import { diffFields, sameValue, type DiffRules } from "../dynamic/diff-fields.js";
import { idString, resourceName } from "../dynamic/input-schemas.js";
import {
  fromIpMapping,
  IpSubnetRulesSchema,
  toIpMapping,
  type IpSubnetRule,
} from "../shared/ip-subnet-rules.js";
import {
  loginBothSites,
  otherSide,
  pairingSites,
  SiteSideSchema,
  type PairingSite,
} from "../shared/pairing-sites.js";
import { partialFailure } from "../dynamic/partial-failure.js";
import { srmClientFor, type ProviderContext } from "../dynamic/provider-context.js";
import { shimFor } from "../dynamic/provider-shim.js";
import type { SiteArgs } from "../dynamic/site-input.js";
import { withContext } from "../dynamic/resource-error.js";
import { resourceOptions } from "../dynamic/resource-options.js";
import {
  labelOf,
  pick,
  type Props,
  type ResourceImplementation,
} from "../dynamic/resource-implementation.js";
import { SCHEMA_VERSION, upgradeOutputs } from "../dynamic/schema-version.js";

/** What a mapping maps, as programs name it, and the API's path segment for it. */
export const MAPPING_KIND_PATHS = {
  folder: "folders",
  network: "networks",
  "resource-pool": "resources",
  "storage-policy": "storage-policies",
} as const satisfies Record<string, MappingKind>;
/** `folder`, `network`, `resource-pool` (also clusters and hosts) or `storage-policy`. */
export type InventoryMappingKind = keyof typeof MAPPING_KIND_PATHS;

/** Validated InventoryMapping inputs. @internal */
export const InventoryMappingInputsSchema = z.object({
  resourceName,
  pairingId: idString("SRM id of the pairing"),
  kind: z.enum(Object.keys(MAPPING_KIND_PATHS) as [InventoryMappingKind, ...InventoryMappingKind[]], {
    error: 'must be "folder", "network", "resource-pool" or "storage-policy"',
  }),
  sourceSite: SiteSideSchema.default("local"),
  sourceId: idString("managed-object id of the object at the source site"),
  targetId: idString("managed-object id of the object at the other site"),
  reverse: z.boolean({ error: "must be true or false" }).default(false),
  ipSubnetRules: IpSubnetRulesSchema.optional(),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
});
/** InventoryMapping inputs after validation. @internal */
export type InventoryMappingInputs = z.infer<typeof InventoryMappingInputsSchema>;

const RULES: CrossFieldRule<InventoryMappingInputs>[] = [
  (d, unknown) =>
    d.ipSubnetRules !== undefined && !unknown.has("kind") && d.kind !== "network"
      ? [
          {
            property: "ipSubnetRules",
            reason: `ipSubnetRules: only a network mapping has IP subnet rules (kind is "${d.kind}")`,
          },
        ]
      : [],
];

const ECHOED_INPUTS = [
  "resourceName",
  "pairingId",
  "kind",
  "sourceSite",
  "sourceId",
  "targetId",
  "reverse",
  "ipSubnetRules",
  "adopt",
] as const;

/** The ends replace (SRM has no update); the reverse mapping and the IP rules change in place. @internal */
export const INVENTORY_MAPPING_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "kind", "sourceSite", "sourceId", "targetId"],
  update: ["reverse", "ipSubnetRules"],
  // SRM refuses a second mapping of one source, so the old mapping must go before its replacement.
  deleteBeforeReplace: true,
  comparers: {
    // No rules and an empty list mean the same in SRM.
    ipSubnetRules: (a, b) => sameValue(a ?? [], b ?? []),
  },
};

const NOUN: Record<InventoryMappingKind, string> = {
  folder: "folder",
  network: "network",
  "resource-pool": "resource",
  "storage-policy": "storage policy",
};

const label = (props: Props | undefined) =>
  labelOf(
    "InventoryMapping",
    props,
    `from ${String(props?.sourceId ?? "?")} to ${String(props?.targetId ?? "?")}`,
  );

function parse(raw: Props, what: string): InventoryMappingInputs {
  return parseInputs(InventoryMappingInputsSchema, raw, what, RULES);
}

/** Everything a call needs: the client, the pairing's sites and the mapping's two SRM servers. */
async function connect(ctx: ProviderContext, i: InventoryMappingInputs, what: string) {
  const { client, settings } = srmClientFor(ctx);
  await loginBothSites(client, settings, i.pairingId, "InventoryMapping");
  const sites = await pairingSites(client, i.pairingId);
  return {
    site: new SiteInventoryClient(client),
    from: sites[i.sourceSite],
    to: sites[otherSide(i.sourceSite)],
    kind: MAPPING_KIND_PATHS[i.kind],
    what,
  };
}

type Conn = Awaited<ReturnType<typeof connect>>;

/**
 * Creates the mapping `source -> target` at `at` unless one exists. An existing mapping is taken over only
 * with `adopt`; one to another target is never taken over. A create whose answer was lost is found by
 * listing, so a retry never leaves a second mapping.
 */
async function ensureMapping(
  c: Conn,
  i: InventoryMappingInputs,
  at: PairingSite,
  source: string,
  target: string,
  direction: string,
): Promise<{ mapping: WireMapping; adopted: boolean }> {
  const find = async () =>
    (await c.site.listMappings(i.pairingId, at.srmId, c.kind)).find((m) => m.primary_object === source);
  const existing = await find();
  if (existing) {
    const desc = `${NOUN[i.kind]} mapping ${existing.id} at SRM ${at.srmName} from ${source} (${existing.primary_object_name ?? "?"}) to ${existing.secondary_object} (${existing.secondary_object_name ?? "?"})`;
    if (existing.secondary_object !== target) {
      throw new Error(
        `${direction}: ${desc} already exists and maps to another object than ${target}. SRM keeps one mapping per source: ` +
          `delete that mapping in the SRM UI, or set targetId to ${existing.secondary_object}.`,
      );
    }
    if (!i.adopt) {
      throw new Error(
        `${direction}: an identical ${desc} already exists. Set adopt: true to manage it with this resource ` +
          `(destroying the resource then deletes it), or delete it in the SRM UI.`,
      );
    }
    return { mapping: existing, adopted: true };
  }
  try {
    await c.site.createMapping(i.pairingId, at.srmId, c.kind, {
      mapping_source_object: source,
      mapping_target_object: target,
    });
  } catch (e) {
    // SRM refused (4xx): nothing was made. Otherwise the outcome is unknown and the listing tells.
    if (isSrmError(e) && e.status !== undefined && e.status < 500) throw e;
    const made = await find().catch(() => undefined);
    if (!made || made.secondary_object !== target) throw e;
    return { mapping: made, adopted: false };
  }
  const made = await find();
  if (!made || made.secondary_object !== target) {
    throw new Error(
      `${direction}: SRM accepted the ${NOUN[i.kind]} mapping from ${source} to ${target} but does not list it. ` +
        `Check the mappings in the SRM UI, then run \`pulumi up\` again.`,
    );
  }
  return { mapping: made, adopted: false };
}

function outputsOf(
  i: InventoryMappingInputs,
  c: Conn,
  m: WireMapping,
  extra: { adopted: boolean; reverseMappingId?: string; reverseMappingType?: string },
): Props {
  return {
    ...pick(i as Props, ECHOED_INPUTS),
    mappingId: m.id,
    srmId: c.from.srmId,
    sourceName: m.primary_object_name,
    targetName: m.secondary_object_name,
    reverseMappingId: extra.reverseMappingId,
    reverseMappingType: extra.reverseMappingType ?? m.reverse_mapping_type,
    adopted: extra.adopted,
    schemaVersion: SCHEMA_VERSION,
  };
}

/** What of the in-place parts SRM has; {@link applyInPlace} moves it forward step by step. */
interface InPlaceState {
  reverse: boolean;
  reverseMappingId?: string;
  ipSubnetRules?: IpSubnetRule[];
}

/**
 * Brings the reverse mapping and the IP rules to what the inputs say (after create, and on update),
 * recording each step in `state` so a failure part-way reports exactly what SRM has.
 */
async function applyInPlace(
  c: Conn,
  i: InventoryMappingInputs,
  mappingId: string,
  state: InPlaceState,
): Promise<InPlaceState> {
  if (i.reverse && !state.reverse) {
    const { mapping } = await ensureMapping(c, i, c.to, i.targetId, i.sourceId, "reverse mapping");
    Object.assign(state, { reverse: true, reverseMappingId: mapping.id });
  } else if (!i.reverse && state.reverse) {
    if (state.reverseMappingId)
      await c.site.deleteMapping(i.pairingId, c.to.srmId, c.kind, state.reverseMappingId);
    Object.assign(state, { reverse: false, reverseMappingId: undefined });
  }
  const want = i.ipSubnetRules ?? [];
  if (!sameValue(want, state.ipSubnetRules ?? [])) {
    if (want.length > 0) {
      await c.site.putIpSubnetMapping(
        i.pairingId,
        c.from.srmId,
        mappingId,
        toIpMapping(i.resourceName ?? `${i.sourceId}-${i.targetId}`, want),
      );
    } else {
      await c.site.deleteIpSubnetMapping(i.pairingId, c.from.srmId, mappingId);
    }
  }
  state.ipSubnetRules = i.ipSubnetRules;
  return state;
}

/** InventoryMapping implementation. @internal */
export const inventoryMappingImplementation: ResourceImplementation = {
  typeName: "InventoryMapping",

  async check(_olds, news) {
    return checkInputs(InventoryMappingInputsSchema, news, RULES);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(InventoryMappingInputsSchema, news, RULES);
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      INVENTORY_MAPPING_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)}`;
    const i = parse(raw, what);
    const made = await withContext(what, async () => {
      const c = await connect(ctx, i, what);
      const { mapping, adopted } = await ensureMapping(c, i, c.from, i.sourceId, i.targetId, "mapping");
      if (adopted) ctx.log(`srm: ${label(raw)}: adopted existing ${NOUN[i.kind]} mapping ${mapping.id}`);
      return { c, mapping, adopted };
    });
    const { c, mapping, adopted } = made;
    // From here the mapping exists: a failure must still record it (with the parts SRM has), or the next
    // run could neither finish nor delete it.
    const state: InPlaceState = { reverse: false };
    try {
      await withContext(what, () => applyInPlace(c, i, mapping.id, state));
      const now = await withContext(what, () =>
        c.site.getMapping(i.pairingId, c.from.srmId, c.kind, mapping.id),
      );
      return {
        id: mapping.id,
        outs: outputsOf(i, c, now ?? mapping, { adopted, reverseMappingId: state.reverseMappingId }),
      };
    } catch (e) {
      const recorded = { ...i, reverse: state.reverse, ipSubnetRules: state.ipSubnetRules };
      throw partialFailure(
        e,
        mapping.id,
        outputsOf(recorded, c, mapping, { adopted, reverseMappingId: state.reverseMappingId }),
        raw,
      );
    }
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (mapping ${id})`, async () => {
      const i = InventoryMappingInputsSchema.parse(pick(old, ECHOED_INPUTS));
      const c = await connect(ctx, i, "reading");
      const m = await c.site.getMapping(i.pairingId, c.from.srmId, c.kind, id);
      if (!m) return {};
      let reverse = false;
      let reverseMappingId: string | undefined;
      if (old.reverseMappingId) {
        const back = await c.site.getMapping(i.pairingId, c.to.srmId, c.kind, String(old.reverseMappingId));
        reverse = !!back && back.secondary_object === m.primary_object;
        reverseMappingId = reverse ? back?.id : undefined;
      }
      let ipSubnetRules: IpSubnetRule[] | undefined;
      if (i.kind === "network") {
        const rules = fromIpMapping(
          m.ip_mapping ?? (await c.site.getIpSubnetMapping(i.pairingId, c.from.srmId, id)),
        );
        // No rules read back as "not set" when the program set none, as an empty list otherwise.
        ipSubnetRules = rules.length > 0 || old.ipSubnetRules !== undefined ? rules : undefined;
      }
      const outs: Props = {
        ...outputsOf({ ...i, reverse, ipSubnetRules }, c, m, {
          adopted: old.adopted === true,
          reverseMappingId,
        }),
        // The ends of a mapping never change in SRM (a UI edit deletes and recreates it, which reads as gone).
        sourceId: m.primary_object ?? i.sourceId,
        targetId: m.secondary_object ?? i.targetId,
      };
      return { id, props: outs, inputs: pick(outs, ECHOED_INPUTS) };
    });
  },

  async update(ctx, id, olds, news) {
    const what = `updating ${label(news)} (mapping ${id})`;
    const i = parse(news, what);
    const old = upgradeOutputs(olds ?? {});
    return withContext(what, async () => {
      const c = await connect(ctx, i, what);
      const done = await applyInPlace(c, i, id, {
        reverse: old.reverse === true,
        reverseMappingId: typeof old.reverseMappingId === "string" ? old.reverseMappingId : undefined,
        ipSubnetRules: old.ipSubnetRules as IpSubnetRule[] | undefined,
      });
      const m = await c.site.getMapping(i.pairingId, c.from.srmId, c.kind, id);
      if (!m) {
        throw new Error(
          `${NOUN[i.kind]} mapping ${id} no longer exists in SRM. Run \`pulumi refresh\`, then \`pulumi up\` to create it again.`,
        );
      }
      return {
        outs: outputsOf(i, c, m, { adopted: old.adopted === true, reverseMappingId: done.reverseMappingId }),
      };
    });
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(`deleting ${label(old)} (mapping ${id})`, async () => {
      const i = InventoryMappingInputsSchema.parse(pick(old, ECHOED_INPUTS));
      const c = await connect(ctx, i, "deleting");
      if (typeof old.reverseMappingId === "string") {
        await c.site.deleteMapping(i.pairingId, c.to.srmId, c.kind, old.reverseMappingId);
      }
      // Already gone (deleted in the UI) is what delete wants; the IP rules go with the mapping.
      await c.site.deleteMapping(i.pairingId, c.from.srmId, c.kind, id);
    });
  },
};

/** One IP subnet rule of a network mapping. */
export interface IpSubnetRuleArgs {
  /** Name of the rule; unique within the mapping. */
  name: pulumi.Input<string>;
  /** Subnet of the VMs at the protected site, in CIDR notation, e.g. `10.1.0.0/24`. */
  localSubnet: pulumi.Input<string>;
  /** Subnet they get at the recovery site, in CIDR notation, e.g. `10.2.0.0/24`. */
  remoteSubnet: pulumi.Input<string>;
  /** Default gateway at the recovery site. */
  defaultGateway?: pulumi.Input<string>;
  /** Alternate gateway at the recovery site. */
  alternateGateway?: pulumi.Input<string>;
  /** DNS servers at the recovery site: preferred, then alternate (at most 2). */
  dnsServers?: pulumi.Input<pulumi.Input<string>[]>;
  /** DNS suffixes, in order of preference. */
  dnsSuffixes?: pulumi.Input<pulumi.Input<string>[]>;
}

/** Arguments of an {@link InventoryMapping}. */
export interface InventoryMappingArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces the mapping. */
  pairingId: pulumi.Input<string>;
  /** `folder`, `network`, `resource-pool` (clusters and hosts too) or `storage-policy`. Changing it replaces. */
  kind: pulumi.Input<InventoryMappingKind>;
  /** Site whose object is the source: `local` (the SRM in `srm:host`, default) or `remote`. Changing it replaces. */
  sourceSite?: pulumi.Input<"local" | "remote">;
  /** Managed-object id of the source object (see `getInventoryObject`). Changing it replaces. */
  sourceId: pulumi.Input<string>;
  /** Managed-object id of the target object at the other site. Changing it replaces. */
  targetId: pulumi.Input<string>;
  /** Also map the target back to the source at the other site, which reprotect needs; default false. Updated in place. */
  reverse?: pulumi.Input<boolean>;
  /** IP subnet rules of a network mapping (network kind only); updated in place. */
  ipSubnetRules?: pulumi.Input<pulumi.Input<IpSubnetRuleArgs>[]>;
  /** Take over an identical mapping that already exists instead of failing; default false. */
  adopt?: pulumi.Input<boolean>;
}

/**
 * An SRM inventory mapping: where recovered VMs land (folder, resource pool), which network they join and
 * which storage policy they get, from an object at one site to an object at the other. Needs the remote
 * site's credentials (`srm:remoteUsername`, `srm:remotePassword`): SRM changes mappings only with both
 * sites logged in. Changing an end replaces the mapping; `reverse` and `ipSubnetRules` update in place.
 */
export class InventoryMapping extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the mapping; also the resource id. */
  declare readonly mappingId: pulumi.Output<string>;
  /** SRM id of the server that keeps the mapping (the source site's). */
  declare readonly srmId: pulumi.Output<string>;
  /** Name of the source object. */
  declare readonly sourceName: pulumi.Output<string | undefined>;
  /** Name of the target object. */
  declare readonly targetName: pulumi.Output<string | undefined>;
  /** SRM id of the reverse mapping when `reverse` is set. */
  declare readonly reverseMappingId: pulumi.Output<string | undefined>;
  /** SRM's view of the reverse direction: YES, DIFFERENT or NO. */
  declare readonly reverseMappingType: pulumi.Output<string>;
  /** True when an existing mapping was taken over (`adopt`). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** What is mapped. */
  declare readonly kind: pulumi.Output<InventoryMappingKind>;
  /** The source site. */
  declare readonly sourceSite: pulumi.Output<"local" | "remote">;
  /** Source object id. */
  declare readonly sourceId: pulumi.Output<string>;
  /** Target object id. */
  declare readonly targetId: pulumi.Output<string>;
  /** Whether the reverse mapping is managed. */
  declare readonly reverse: pulumi.Output<boolean>;
  /** The IP subnet rules. */
  declare readonly ipSubnetRules: pulumi.Output<IpSubnetRule[] | undefined>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: InventoryMappingArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("inventory-mapping"),
      name,
      {
        ...args,
        resourceName: name,
        mappingId: undefined,
        srmId: undefined,
        sourceName: undefined,
        targetName: undefined,
        reverseMappingId: undefined,
        reverseMappingType: undefined,
        adopted: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, {
        type: "srm:InventoryMapping",
        deleteBeforeReplace: true,
      }),
      "srm",
      "InventoryMapping",
    );
  }
}
