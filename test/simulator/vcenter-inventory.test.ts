import { defaultInventory, parseInventory, startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, SrmCaller } from "./https-client.js";

interface Item {
  id: string;
  name: string;
  path: string;
  parent: string | null;
}

describe("simulator: vCenter inventory", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  let local: string;
  let remote: string;

  before(async () => {
    sim = await startSimulator();
    caller = await new SrmCaller(sim).login();
    local = `/pairings/${sim.ids.pairingId}/vcenters/${sim.ids.localVcGuid}`;
    remote = `/pairings/${sim.ids.pairingId}/vcenters/${sim.ids.remoteVcGuid}`;
  });
  after(async () => sim?.close());

  const list = async (path: string) => {
    const a = await caller.get<{ list: Item[]; _meta: { total: number } }>(path);
    expect(a.status, `${path}: ${a.text}`).to.equal(200);
    return a.json.list;
  };

  it("lists the datacenters at the root and a folder's children by path", async () => {
    expect((await list(`${local}/inventory/vm-folder`)).map((i) => i.path)).to.deep.equal(["/DC-A"]);
    const top = await list(`${local}/inventory/vm-folder?path=${encodeURIComponent("/DC-A")}`);
    expect(top.map((i) => i.path)).to.deep.equal(["/DC-A/vm/Apps", "/DC-A/vm/Databases", "/DC-A/vm/Infra"]);
    const web = await list(`${local}/inventory/vm-folder?path=${encodeURIComponent("/DC-A/vm/Apps")}`);
    expect(web).to.deep.equal([
      { id: "group-v1011", name: "Web", path: "/DC-A/vm/Apps/Web", parent: "group-v1010" },
    ]);
  });

  it("lists networks, compute objects and datastores of a datacenter, and gets one by id", async () => {
    const nets = await list(`${local}/inventory/network?path=${encodeURIComponent("/DC-A/network")}`);
    expect(nets.map((n) => n.name)).to.deep.equal(["VM Network", "PG-App-A", "PG-DB-A", "PG-Test-A"]);
    const pools = await list(
      `${local}/inventory/compute?path=${encodeURIComponent("/DC-A/host/Cluster-A/Resources")}`,
    );
    expect(pools.map((p) => p.path)).to.deep.equal([
      "/DC-A/host/Cluster-A/Resources/Prod",
      "/DC-A/host/Cluster-A/Resources/Test",
    ]);
    const ds = await caller.get<{ file_system_type: string; capacity_details: { total_capacity: number } }>(
      `${local}/inventory/datastores/datastore-1043`,
    );
    expect(ds.json.file_system_type).to.equal("NFS");
    expect(ds.json.capacity_details.total_capacity).to.equal(500 * 1024 ** 3);
  });

  it("answers 404 for an unknown path, object, or a vCenter outside the pairing", async () => {
    expect((await caller.get(`${local}/inventory/network?path=%2FDC-Z`)).status).to.equal(404);
    expect((await caller.get(`${local}/inventory/network/dvportgroup-2021`)).status).to.equal(404);
    const spare = `/pairings/${sim.ids.pairingId}/vcenters/${sim.ids.spareRemoteVcGuid}/inventory/network`;
    expect((await caller.get(spare)).status).to.equal(404);
  });

  it("needs a remote login for the remote vCenter, then serves that site's objects", async () => {
    const fresh = await new SrmCaller(sim).login();
    const refused = await fresh.get<{ error_code: string }>(`${remote}/storage-policies`);
    expect(refused.status).to.equal(403);
    expect(refused.json.error_code).to.equal("REMOTE_SITE_NOT_AUTHENTICATED");
    await fresh.remoteLogin(sim.ids.pairingId);
    const policies = await fresh.get<{ list: { id: string; name: string }[] }>(`${remote}/storage-policies`);
    expect(policies.json.list.map((p) => p.name)).to.deep.equal(["Gold", "Silver"]);
    const vms = await fresh.get<{ list: { id: string; name: string }[] }>(`${remote}/replicated-vms`);
    expect(vms.json.list.map((v) => v.name)).to.deep.equal(["app-b-01", "app-b-02", "db-b-01"]);
  });

  it("loads a vCenter inventory from the inventory file and refuses one with a dangling parent", async () => {
    const inv = JSON.parse(JSON.stringify(defaultInventory()));
    inv.vcenters = [
      {
        vcGuid: inv.local.vcGuid,
        datacenters: [{ id: "datacenter-9", name: "Lab" }],
        networks: [{ id: "network-9", name: "Only", datacenter: "datacenter-9" }],
      },
    ];
    const own = await startSimulator({ inventory: parseInventory(inv) });
    try {
      const c = await new SrmCaller(own).login();
      const a = await c.get<{ list: Item[] }>(
        `/pairings/${own.ids.pairingId}/vcenters/${own.ids.localVcGuid}/inventory/network?path=%2FLab`,
      );
      expect(a.json.list.map((n) => n.path)).to.deep.equal(["/Lab/network/Only"]);
    } finally {
      await own.close();
    }
    inv.vcenters[0].networks[0].datacenter = "datacenter-0";
    const bad = await startSimulator({ inventory: parseInventory(inv) }).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (e: Error) => e,
    );
    expect(bad?.message).to.match(/network network-9 has unknown parent datacenter-0/);
  });
});
