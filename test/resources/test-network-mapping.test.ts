import { testNetworkMappingImplementation as impl } from "../../provider/resources/test-network-mapping.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, errorText, expect, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

describe("resources: TestNetworkMapping", () => {
  let sim: Simulator;
  const inputsOf = (patch: Props = {}): Props => ({
    resourceName: "app-test",
    pairingId: sim?.ids.pairingId ?? "pairing-1",
    recoveryNetworkId: "dvportgroup-2021",
    testNetworkId: "dvportgroup-2023",
    ...patch,
  });
  const checked = async (news: Props) => {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  };

  it("check names a missing or bad field; diff replaces (deleting first) on any change", async () => {
    for (const [patch, field] of [
      [{ testNetworkId: "" }, "testNetworkId"],
      [{ recoveryNetworkId: undefined }, "recoveryNetworkId"],
      [{ protectedSite: "here" }, "protectedSite"],
      [{ adopt: "yes" }, "adopt"],
    ] as [Props, string][]) {
      expect((await impl.check({}, inputsOf(patch))).failures?.map((f) => f.property)).to.deep.equal([field]);
    }
    const olds = { ...inputsOf(), protectedSite: "local", adopt: false };
    expect((await impl.diff("t", olds, inputsOf())).changes).to.equal(false);
    expect(await impl.diff("t", olds, inputsOf({ testNetworkId: "network-2020" }))).to.deep.include({
      replaces: ["testNetworkId"],
      deleteBeforeReplace: true,
    });
  });

  describe("lifecycle against the simulator", () => {
    beforeEach(async () => {
      sim = await startSimulator();
    });
    afterEach(async () => sim.close());

    it("creates, reads, refreshes a UI edit and a UI delete, and deletes", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const [t] = sim.model.mappings.testNetworks.values();
      expect(created.id).to.equal(t.id);
      expect(created.outs).to.include({ testNetworkName: "PG-Test-B", adopted: false });
      t.testNetwork = "network-2020";
      const read = await impl.read(ctx, created.id, created.outs);
      expect(read.inputs?.testNetworkId).to.equal("network-2020");
      await impl.delete(ctx, created.id, created.outs);
      expect(sim.model.mappings.testNetworks.size).to.equal(0);
      expect(await impl.read(ctx, created.id, created.outs)).to.deep.equal({});
    });

    it("refuses an existing mapping unless adopt is set; passes SRM's 400 on with its error_code", async () => {
      const srm = sim.model.pairings.get(sim.ids.pairingId)!.localSrm.id;
      sim.model.mappings.addTestNetwork(srm, "dvportgroup-2021", "dvportgroup-2023");
      const ctx = contextOf(sim);
      const refused = await rejectionOf(impl.create(ctx, await checked(inputsOf())));
      expect(refused.message).to.match(/identical test network mapping .* Set adopt: true/);
      expect((await impl.create(ctx, await checked(inputsOf({ adopt: true })))).outs.adopted).to.equal(true);
      const bad = await rejectionOf(
        impl.create(ctx, await checked(inputsOf({ recoveryNetworkId: "dvportgroup-1021" }))),
      );
      expect(errorText(bad)).to.match(
        /target_network 'dvportgroup-1021' is not a network in vCenter .*UNKNOWN_INVENTORY_OBJECT/,
      );
    });
  });
});
