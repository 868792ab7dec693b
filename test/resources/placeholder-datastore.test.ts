import { placeholderDatastoreImplementation as impl } from "../../provider/resources/placeholder-datastore.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, expect, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

describe("resources: PlaceholderDatastore", () => {
  let sim: Simulator;
  let srmB: string;
  const inputsOf = (patch: Props = {}): Props => ({
    resourceName: "placeholders-b",
    pairingId: sim?.ids.pairingId ?? "pairing-1",
    datastoreId: "datastore-2042",
    ...patch,
  });
  const checked = async (news: Props) => {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  };

  it("defaults to the remote (recovery) site; check names bad fields; a new datastore replaces", async () => {
    expect(await checked(inputsOf())).to.include({
      recoverySite: "remote",
      adopt: false,
      taskTimeoutSeconds: 600,
    });
    expect((await impl.check({}, inputsOf({ taskTimeoutSeconds: 0 }))).failures?.[0].property).to.equal(
      "taskTimeoutSeconds",
    );
    const olds = await checked(inputsOf());
    expect((await impl.diff("d", olds, inputsOf({ datastoreId: "datastore-2043" }))).replaces).to.deep.equal([
      "datastoreId",
    ]);
    expect((await impl.diff("d", olds, inputsOf({ taskTimeoutSeconds: 60 }))).replaces).to.deep.equal([]);
  });

  describe("lifecycle against the simulator", () => {
    beforeEach(async () => {
      sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
      srmB = sim.model.pairings.get(sim.ids.pairingId)!.remoteSrm.id;
    });
    afterEach(async () => sim.close());

    it("adds by task at the remote SRM, reads, reports a removal in the UI, and removes by task", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      expect(created.id).to.equal("datastore-2042");
      expect(created.outs).to.include({
        srmId: srmB,
        datastoreName: "ds-b-local-01",
        overallStatus: "GREEN",
      });
      expect(created.outs.visibleTo).to.deep.equal(["Cluster-B"]);
      expect(sim.model.mappings.placeholdersOf(srmB)).to.deep.equal(["datastore-2042"]);
      expect((await impl.read(ctx, created.id, created.outs)).id).to.equal("datastore-2042");
      await impl.delete(ctx, created.id, created.outs);
      expect(sim.model.mappings.placeholdersOf(srmB)).to.deep.equal([]);
      expect(await impl.read(ctx, created.id, created.outs)).to.deep.equal({});
      await impl.delete(ctx, created.id, created.outs); // removed already: fine
    });

    it("fails with SRM's reason when the datastore is replicated, leaving nothing behind", async () => {
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ datastoreId: "datastore-2040" }))),
      );
      expect(e.message).to.match(
        /PlaceholderDatastore "placeholders-b".*did not add datastore datastore-2040.*'ds-b-repl-01' is replicated.*getSuitablePlaceholderDatastores/,
      );
      expect(sim.model.mappings.placeholdersOf(srmB)).to.deep.equal([]);
    });

    it("refuses a datastore that is already a placeholder unless adopt is set", async () => {
      sim.model.mappings.placeholdersOf(srmB).push("datastore-2042");
      const ctx = contextOf(sim);
      expect((await rejectionOf(impl.create(ctx, await checked(inputsOf())))).message).to.match(
        /Set adopt: true/,
      );
      expect((await impl.create(ctx, await checked(inputsOf({ adopt: true })))).outs.adopted).to.equal(true);
    });
  });
});
