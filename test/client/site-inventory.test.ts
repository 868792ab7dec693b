import { clearSrmClients, SiteInventoryClient } from "../../provider/client/index.js";
import { expect, expectSrmError, freshClient, startSim, type Simulator } from "./helpers.js";

describe("client: site inventory and inventory mappings", function () {
  this.timeout(20_000);
  let sim: Simulator;
  let site: SiteInventoryClient;
  let pairingId: string;
  let localSrm: string;

  before(async () => {
    sim = await startSim({ pageLimit: 2, maxPageLimit: 2 });
    const client = freshClient(sim);
    site = new SiteInventoryClient(client);
    pairingId = sim.ids.pairingId;
    localSrm = sim.model.pairings.get(pairingId)!.localSrm.id;
    await client.remoteLogin(pairingId);
  });
  after(async () => {
    clearSrmClients();
    await sim.close();
  });

  it("lists a folder's children by path, and storage policies and replicated VMs", async () => {
    const folders = await site.listInventory(pairingId, sim.ids.localVcGuid, "vm-folder", "/DC-A");
    expect(folders.map((f) => f.path)).to.deep.equal([
      "/DC-A/vm/Apps",
      "/DC-A/vm/Databases",
      "/DC-A/vm/Infra",
    ]);
    const paths = sim.requests.filter((r) => r.route.endsWith("/inventory/vm-folder")).map((r) => r.query);
    expect(paths.every((q) => q.path === "/DC-A")).to.equal(true);
    expect(paths.length).to.be.greaterThan(0);
    const policies = await site.listStoragePolicies(pairingId, sim.ids.remoteVcGuid);
    expect(policies.map((p) => p.name)).to.deep.equal(["Gold", "Silver"]);
    const vms = await site.listReplicatedVms(pairingId, sim.ids.localVcGuid);
    expect(vms.map((v) => v.name)).to.deep.equal(["app-a-01", "app-a-02", "db-a-01"]);
  });

  it("creates a mapping (204), finds it by listing, sets IP rules with PUT and deletes both", async () => {
    await site.createMapping(pairingId, localSrm, "networks", {
      mapping_source_object: "dvportgroup-1021",
      mapping_target_object: "dvportgroup-2021",
    });
    const [m] = await site.listMappings(pairingId, localSrm, "networks");
    expect(m).to.include({ primary_object: "dvportgroup-1021", secondary_object: "dvportgroup-2021" });
    expect(await site.getIpSubnetMapping(pairingId, localSrm, m.id)).to.equal(undefined);
    await site.putIpSubnetMapping(pairingId, localSrm, m.id, {
      name: "n",
      rules: [{ name: "r", local_subnet: "10.1.0.0/24", remote_subnet: "10.2.0.0/24" }],
    });
    expect((await site.getIpSubnetMapping(pairingId, localSrm, m.id))?.rules).to.have.length(1);
    expect(await site.deleteMapping(pairingId, localSrm, "networks", m.id)).to.equal(true);
    expect(await site.deleteMapping(pairingId, localSrm, "networks", m.id)).to.equal(false);
    expect(await site.getMapping(pairingId, localSrm, "networks", m.id)).to.equal(undefined);
  });

  it("keeps SRM's error_code and message on a refused mapping", async () => {
    const e = await expectSrmError(
      sim,
      site.createMapping(pairingId, localSrm, "folders", {
        mapping_source_object: "group-v9999",
        mapping_target_object: "group-v2010",
      }),
      "BAD_REQUEST",
    );
    expect(e.errorCode).to.equal("UNKNOWN_INVENTORY_OBJECT");
    expect(e.message).to.match(/creating a folder mapping from group-v9999 to group-v2010/i);
    expect(e.message).to.include("mapping_source_object 'group-v9999'");
    expect(e.opId).to.match(/^[0-9a-f-]{36}$/);
  });

  it("adds and removes a placeholder datastore through tasks", async () => {
    const task = await site.addPlaceholderDatastores(pairingId, localSrm, { datastores: ["datastore-1042"] });
    await site.client.waitForTask(task);
    expect((await site.getPlaceholderDatastore(pairingId, localSrm, "datastore-1042"))?.name).to.equal(
      "ds-a-local-01",
    );
    await site.client.waitForTask(
      await site.removePlaceholderDatastore(pairingId, localSrm, "datastore-1042"),
    );
    expect(await site.listPlaceholderDatastores(pairingId, localSrm)).to.deep.equal([]);
  });
});
