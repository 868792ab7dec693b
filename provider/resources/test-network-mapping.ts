// TestNetworkMapping: the network that VMs recovered onto one recovery-site network join during a test
// recovery (without one, SRM creates an isolated network). SRM has no update: any change replaces, deleting
// first since SRM keeps one test network per recovery network. Create answers 204 with no id; the id comes
// from listing afterwards.
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import type { TestNetworkMapping as WireTestNetwork } from "../api/index.js";
import { isSrmError, SiteInventoryClient } from "../client/index.js";
import { checkInputs, normalizedForDiff, parseInputs } from "../dynamic/check-inputs.js";
import { diffFields, type DiffRules } from "../dynamic/diff-fields.js";
import { idString, resourceName } from "../dynamic/input-schemas.js";
import { loginBothSites, pairingSites, SiteSideSchema } from "../shared/pairing-sites.js";
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

/** Validated TestNetworkMapping inputs. @internal */
export const TestNetworkMappingInputsSchema = z.object({
  resourceName,
  pairingId: idString("SRM id of the pairing"),
  protectedSite: SiteSideSchema.default("local"),
  recoveryNetworkId: idString("managed-object id of the network at the recovery site"),
  testNetworkId: idString("managed-object id of the test network at the recovery site"),
  adopt: z.boolean({ error: "must be true or false" }).default(false),
});
/** TestNetworkMapping inputs after validation. @internal */
export type TestNetworkMappingInputs = z.infer<typeof TestNetworkMappingInputsSchema>;

const ECHOED_INPUTS = [
  "resourceName",
  "pairingId",
  "protectedSite",
  "recoveryNetworkId",
  "testNetworkId",
  "adopt",
] as const;

/** No update exists in SRM; one test network per recovery network, so the old one goes first. @internal */
export const TEST_NETWORK_MAPPING_DIFF_RULES: DiffRules = {
  replace: ["pairingId", "protectedSite", "recoveryNetworkId", "testNetworkId"],
  update: [],
  deleteBeforeReplace: true,
};

const label = (props: Props | undefined) =>
  labelOf("TestNetworkMapping", props, `for network ${String(props?.recoveryNetworkId ?? "?")}`);

async function connect(ctx: ProviderContext, i: TestNetworkMappingInputs) {
  const { client, settings } = srmClientFor(ctx);
  await loginBothSites(client, settings, i.pairingId, "TestNetworkMapping");
  const sites = await pairingSites(client, i.pairingId);
  // The SRM of the protected site keeps the test networks of the site its VMs recover to.
  return { site: new SiteInventoryClient(client), srm: sites[i.protectedSite] };
}

function outputsOf(i: TestNetworkMappingInputs, srmId: string, t: WireTestNetwork, adopted: boolean): Props {
  return {
    ...pick(i as Props, ECHOED_INPUTS),
    mappingId: t.id,
    srmId,
    testNetworkName: t.test_network_name ?? undefined,
    adopted,
    schemaVersion: SCHEMA_VERSION,
  };
}

/** TestNetworkMapping implementation. @internal */
export const testNetworkMappingImplementation: ResourceImplementation = {
  typeName: "TestNetworkMapping",

  async check(_olds, news) {
    return checkInputs(TestNetworkMappingInputsSchema, news);
  },

  async diff(_id, olds, news) {
    const inputs = normalizedForDiff(TestNetworkMappingInputsSchema, news);
    const { changed: _changed, ...result } = diffFields(
      upgradeOutputs(olds ?? {}),
      inputs,
      TEST_NETWORK_MAPPING_DIFF_RULES,
    );
    return result;
  },

  async create(ctx, raw) {
    const what = `creating ${label(raw)}`;
    const i = parseInputs(TestNetworkMappingInputsSchema, raw, what);
    return withContext(what, async () => {
      const { site, srm } = await connect(ctx, i);
      const find = async () =>
        (await site.listTestNetworkMappings(i.pairingId, srm.srmId)).find(
          (t) => t.target_network === i.recoveryNetworkId,
        );
      const existing = await find();
      if (existing) {
        const desc = `test network mapping ${existing.id} at SRM ${srm.srmName} for network ${existing.target_network} (test network ${existing.test_network})`;
        if (existing.test_network !== i.testNetworkId) {
          throw new Error(
            `${desc} already exists with another test network. SRM keeps one per network: delete it in the SRM UI, ` +
              `or set testNetworkId to ${existing.test_network}.`,
          );
        }
        if (!i.adopt) {
          throw new Error(
            `an identical ${desc} already exists. Set adopt: true to manage it with this resource, or delete it in the SRM UI.`,
          );
        }
        ctx.log(`srm: ${label(raw)}: adopted existing ${desc}`);
        return { id: existing.id, outs: outputsOf(i, srm.srmId, existing, true) };
      }
      try {
        await site.createTestNetworkMapping(i.pairingId, srm.srmId, {
          target_network: i.recoveryNetworkId,
          test_network: i.testNetworkId,
        });
      } catch (e) {
        if (isSrmError(e) && e.status !== undefined && e.status < 500) throw e;
        const made = await find().catch(() => undefined);
        if (!made || made.test_network !== i.testNetworkId) throw e;
      }
      const made = await find();
      if (!made) {
        throw new Error(
          `SRM accepted the test network mapping but does not list it. Check the test networks in the SRM UI, then run \`pulumi up\` again.`,
        );
      }
      return { id: made.id, outs: outputsOf(i, srm.srmId, made, false) };
    });
  },

  async read(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    return withContext(`reading ${label(old)} (test network mapping ${id})`, async () => {
      const i = TestNetworkMappingInputsSchema.parse(pick(old, ECHOED_INPUTS));
      const { site, srm } = await connect(ctx, i);
      const t = await site.getTestNetworkMapping(i.pairingId, srm.srmId, id);
      if (!t) return {};
      const outs = outputsOf(
        { ...i, recoveryNetworkId: t.target_network, testNetworkId: t.test_network },
        srm.srmId,
        t,
        old.adopted === true,
      );
      return { id, props: outs, inputs: pick(outs, ECHOED_INPUTS) };
    });
  },

  async update(_ctx, _id, olds, news) {
    // Only `adopt` can change without a replacement, and it matters only when creating.
    const i = parseInputs(TestNetworkMappingInputsSchema, news, `updating ${label(news)}`);
    return { outs: { ...upgradeOutputs(olds ?? {}), ...pick(i as Props, ECHOED_INPUTS) } };
  },

  async delete(ctx, id, props) {
    const old = upgradeOutputs(props ?? {});
    await withContext(`deleting ${label(old)} (test network mapping ${id})`, async () => {
      const i = TestNetworkMappingInputsSchema.parse(pick(old, ECHOED_INPUTS));
      const { site, srm } = await connect(ctx, i);
      await site.deleteTestNetworkMapping(i.pairingId, srm.srmId, id);
    });
  },
};

/** Arguments of a {@link TestNetworkMapping}. */
export interface TestNetworkMappingArgs extends SiteArgs {
  /** SRM id of the pairing (see `getPairing`). Changing it replaces the mapping. */
  pairingId: pulumi.Input<string>;
  /** The protected site, whose SRM keeps the mapping: `local` (default) or `remote`. Changing it replaces. */
  protectedSite?: pulumi.Input<"local" | "remote">;
  /** Managed-object id of the network at the recovery site that VMs are recovered onto. Changing it replaces. */
  recoveryNetworkId: pulumi.Input<string>;
  /** Managed-object id of the network at the recovery site those VMs join during a test. Changing it replaces. */
  testNetworkId: pulumi.Input<string>;
  /** Take over an identical mapping that already exists instead of failing; default false. */
  adopt?: pulumi.Input<boolean>;
}

/**
 * The network recovered VMs join during a test recovery, per recovery-site network (without one SRM uses
 * an isolated network). Both networks are at the recovery site. Needs the remote site's credentials.
 * Any change replaces the mapping.
 */
export class TestNetworkMapping extends pulumi.dynamic.Resource {
  /** The site in `srm:sites` it acts on; absent for the single-site settings. */
  declare readonly site: pulumi.Output<string | undefined>;
  /** SRM id of the test network mapping; also the resource id. */
  declare readonly mappingId: pulumi.Output<string>;
  /** SRM id of the server that keeps it. */
  declare readonly srmId: pulumi.Output<string>;
  /** Name of the test network. */
  declare readonly testNetworkName: pulumi.Output<string | undefined>;
  /** True when an existing mapping was taken over (`adopt`). */
  declare readonly adopted: pulumi.Output<boolean>;
  /** SRM id of the pairing. */
  declare readonly pairingId: pulumi.Output<string>;
  /** The protected site. */
  declare readonly protectedSite: pulumi.Output<"local" | "remote">;
  /** Recovery network id. */
  declare readonly recoveryNetworkId: pulumi.Output<string>;
  /** Test network id. */
  declare readonly testNetworkId: pulumi.Output<string>;
  /** Layout version of these outputs. */
  declare readonly schemaVersion: pulumi.Output<number>;

  constructor(name: string, args: TestNetworkMappingArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      shimFor("test-network-mapping"),
      name,
      {
        ...args,
        resourceName: name,
        mappingId: undefined,
        srmId: undefined,
        testNetworkName: undefined,
        adopted: undefined,
        schemaVersion: undefined,
      },
      resourceOptions(name, opts, {
        type: "srm:TestNetworkMapping",
        deleteBeforeReplace: true,
      }),
      "srm",
      "TestNetworkMapping",
    );
  }
}
