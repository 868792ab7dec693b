// The site bootstrap (inventory mappings with reverse and IP rules, a test network, a placeholder
// datastore) through the real pulumi CLI: create, no-change preview, update in place and replace, refresh
// after changes made in the SRM UI, and destroy back to the starting inventory.
import { expect } from "chai";
import {
  getInventoryObject,
  InventoryMapping,
  PlaceholderDatastore,
  TestNetworkMapping,
  type IpSubnetRuleArgs,
} from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

describe("cli: InventoryMapping, TestNetworkMapping, PlaceholderDatastore", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite({ taskQueuedMs: 5, taskDurationMs: 20 });

  it("creates, previews no change, updates and replaces, refreshes UI changes and destroys", async () => {
    const desired = {
      folderTarget: "/DC-B/vm/Apps",
      rules: [{ name: "app", localSubnet: "10.1.0.0/24", remoteSubnet: "10.2.0.0/24" }] as IpSubnetRuleArgs[],
    };
    const pairingId = suite.sim.ids.pairingId;
    const byPath = async (kind: "folder" | "network" | "datastore", side: "local" | "remote", path: string) =>
      (await getInventoryObject({ pairingId, kind, side, path })).id;
    const stack = await suite.stack({
      program: async () => {
        const folders = new InventoryMapping("apps-folder", {
          pairingId,
          kind: "folder",
          sourceId: await byPath("folder", "local", "/DC-A/vm/Apps"),
          targetId: await byPath("folder", "remote", desired.folderTarget),
          reverse: true,
        });
        const network = new InventoryMapping("app-network", {
          pairingId,
          kind: "network",
          sourceId: await byPath("network", "local", "/DC-A/network/PG-App-A"),
          targetId: await byPath("network", "remote", "/DC-B/network/PG-App-B"),
          ipSubnetRules: desired.rules,
        });
        new TestNetworkMapping("app-test-network", {
          pairingId,
          recoveryNetworkId: network.targetId,
          testNetworkId: await byPath("network", "remote", "/DC-B/network/PG-Test-B"),
        });
        new PlaceholderDatastore("placeholders-b", {
          pairingId,
          datastoreId: await byPath("datastore", "remote", "/DC-B/datastore/ds-b-local-01"),
        });
        return { folderMapping: folders.mappingId, reverseType: folders.reverseMappingType };
      },
    });
    const pairing = suite.sim.model.pairings.get(pairingId)!;
    const store = suite.sim.model.mappings;
    const at = (srm: string, kind: string) =>
      [...store.mappings.values()].filter((m) => m.srmId === srm && m.kind === kind);

    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.reverseType.value).to.equal("YES");
    expect(at(pairing.localSrm.id, "folders").map((m) => m.secondary)).to.deep.equal(["group-v2010"]);
    expect(at(pairing.remoteSrm.id, "folders").map((m) => m.secondary)).to.deep.equal(["group-v1010"]);
    expect(at(pairing.localSrm.id, "networks")[0].ipMapping?.rules).to.have.length(1);
    expect([...store.testNetworks.values()].map((t) => t.testNetwork)).to.deep.equal(["dvportgroup-2023"]);
    expect(store.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal(["datastore-2042"]);

    const again = await stack.preview();
    expect(again.changeSummary).to.deep.equal({ same: 5 });

    // IP rules update in place; a new folder target replaces the folder mapping, deleting it first.
    desired.rules = [{ ...desired.rules[0], defaultGateway: "10.2.0.1" }];
    desired.folderTarget = "/DC-B/vm/Databases";
    await stack.up();
    const ops = stepOps(stack.events);
    expect(ops["app-network"]).to.equal("update");
    // deleteBeforeReplace: SRM keeps one mapping per source, so the old one goes first.
    const folderOps = stack.events
      .map((e) => e.resourcePreEvent?.metadata)
      .filter((m) => m?.urn.endsWith("::apps-folder"))
      .map((m) => m!.op);
    expect(folderOps).to.deep.equal(["delete-replaced", "replace", "create-replacement"]);
    expect(at(pairing.localSrm.id, "folders").map((m) => m.secondary)).to.deep.equal(["group-v2012"]);
    expect(at(pairing.remoteSrm.id, "folders").map((m) => m.primary)).to.deep.equal(["group-v2012"]);
    expect(
      at(pairing.localSrm.id, "networks")[0].ipMapping?.rules?.[0].remote_ip_settings?.ip_v4,
    ).to.deep.include({
      default_gateway: "10.2.0.1",
    });

    // Changes made in the SRM UI: the reverse folder mapping and the test network mapping are deleted.
    store.remove(at(pairing.remoteSrm.id, "folders")[0].id);
    store.testNetworks.clear();
    await stack.refresh();
    const folderState = stack.resources("InventoryMapping").find((r) => r.urn.endsWith("::apps-folder"))!;
    expect(folderState.outputs?.reverse).to.equal(false);
    expect(stack.resources("TestNetworkMapping")).to.deep.equal([]);
    const drift = await stack.preview();
    expect(drift.changeSummary).to.deep.include({ create: 1, update: 1 });
    await stack.up();
    expect(at(pairing.remoteSrm.id, "folders")).to.have.length(1);
    expect(store.testNetworks.size).to.equal(1);

    await stack.destroy();
    expect([...store.mappings.values()]).to.deep.equal([]);
    expect(store.testNetworks.size).to.equal(0);
    expect(store.placeholdersOf(pairing.remoteSrm.id)).to.deep.equal([]);
  });
});
