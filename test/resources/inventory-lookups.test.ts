import {
  lookupInventoryObject as getInventoryObject,
  lookupSuitablePlaceholderDatastores as getSuitablePlaceholderDatastores,
} from "../../provider/lookups/inventory.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, expect, rejectionOf } from "./helpers.js";

describe("resources: inventory lookups", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
  });
  after(async () => sim.close());

  it("finds folders, networks, pools and datastores by path at either site", async () => {
    const pairingId = sim.ids.pairingId;
    const cases: [Parameters<typeof getInventoryObject>[0], string][] = [
      [{ pairingId, kind: "folder", path: "/DC-A/vm/Apps/Web" }, "group-v1011"],
      [{ pairingId, kind: "network", path: "/DC-A/network/PG-App-A" }, "dvportgroup-1021"],
      [
        { pairingId, kind: "compute", path: "/DC-B/host/Cluster-B/Resources/Prod", side: "remote" },
        "resgroup-2032",
      ],
      [
        { pairingId, kind: "datastore", path: "/DC-B/datastore/ds-b-local-01", side: "remote" },
        "datastore-2042",
      ],
      [
        { pairingId, kind: "storage-policy", name: "Gold", side: "remote" },
        sim.model.vcenter(sim.ids.remoteVcGuid).inventory.storagePolicies[0].id,
      ],
      [{ pairingId, kind: "vm", name: "db-a-01" }, "vm-1102"],
    ];
    for (const [args, id] of cases) {
      const found = await getInventoryObject(args, contextOf(sim));
      expect(found.id, JSON.stringify(args)).to.equal(id);
      expect(found.vcGuid).to.equal(args.side === "remote" ? sim.ids.remoteVcGuid : sim.ids.localVcGuid);
    }
  });

  it("finds a VM by name after a protection group took it (SRM lists only unprotected replicated VMs)", async () => {
    const group = sim.model.protection.addGroup({
      pairingId: sim.ids.pairingId,
      name: "Lookup",
      description: null,
      replicationType: "HBR",
      protectedVcGuid: sim.ids.localVcGuid,
      recoveryVcGuid: sim.ids.remoteVcGuid,
      protectedSiteName: "Site-A",
      recoverySiteName: "Site-B",
      vms: ["vm-1101"],
      arrayPair: null,
      datastores: [],
    });
    try {
      const found = await getInventoryObject(
        { pairingId: sim.ids.pairingId, kind: "vm", name: "app-a-02" },
        contextOf(sim),
      );
      expect(found.id).to.equal("vm-1101");
    } finally {
      sim.model.protection.groups.delete(group.id);
    }
  });

  it("lists what exists where it looked when nothing matches, and names the missing argument", async () => {
    const e = await rejectionOf(
      getInventoryObject(
        { pairingId: sim.ids.pairingId, kind: "network", path: "/DC-A/network/PG-Nope" },
        contextOf(sim),
      ),
    );
    expect(e.message).to.match(/nothing named "PG-Nope" under "\/DC-A\/network".*\/DC-A\/network\/PG-App-A/);
    const missing = await rejectionOf(
      getInventoryObject({ pairingId: sim.ids.pairingId, kind: "vm" }, contextOf(sim)),
    );
    expect(missing.message).to.match(/set pairingId and name/);
  });

  it("lists the datastores SRM finds suitable as placeholders, with names", async () => {
    const found = await getSuitablePlaceholderDatastores({ pairingId: sim.ids.pairingId }, contextOf(sim));
    expect(found).to.deep.equal([
      { datastoreId: "datastore-2042", name: "ds-b-local-01", isPlaceholder: false },
      { datastoreId: "datastore-2043", name: "ds-b-nfs-01", isPlaceholder: false },
    ]);
  });
});
