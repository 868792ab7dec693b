import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { expect, SrmCaller } from "./https-client.js";

interface MappingBody {
  id: string;
  primary_object: string;
  secondary_object: string;
  primary_object_name: string;
  secondary_object_name: string;
  reverse_mapping_type: string;
  reverse_recovery_object: string | null;
  reverse_recovery_object_name: string | null;
  test_network_mapping?: { test_network: string; test_network_name: string } | null;
  ip_mapping?: { rules: unknown[] };
}

describe("simulator: inventory mappings, IP rules, test networks, placeholder datastores", () => {
  let sim: Simulator;
  let caller: SrmCaller;
  let a: string;
  let b: string;

  before(async () => {
    sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
    caller = await new SrmCaller(sim).login();
    await caller.remoteLogin();
    const pairing = sim.model.pairings.get(sim.ids.pairingId)!;
    a = `/pairings/${sim.ids.pairingId}/srms/${pairing.localSrm.id}/inventory-mappings`;
    b = `/pairings/${sim.ids.pairingId}/srms/${pairing.remoteSrm.id}/inventory-mappings`;
  });
  after(async () => sim?.close());

  const create = (base: string, kind: string, source: string, target: string) =>
    caller.request("POST", `${base}/${kind}`, {
      body: { mapping_source_object: source, mapping_target_object: target },
    });
  const list = async (base: string, kind: string) =>
    (await caller.get<{ list: MappingBody[] }>(`${base}/${kind}`)).json.list;

  it("creates a mapping with 204 and no body, and reports the reverse direction NO, YES or DIFFERENT", async () => {
    const created = await create(a, "folders", "group-v1010", "group-v2010");
    expect(created.status).to.equal(204);
    expect(created.text).to.equal("");
    const [m] = await list(a, "folders");
    expect(m).to.include({
      primary_object: "group-v1010",
      primary_object_name: "Apps",
      secondary_object: "group-v2010",
      reverse_mapping_type: "NO",
    });
    expect((await create(b, "folders", "group-v2010", "group-v1010")).status).to.equal(204);
    expect((await list(a, "folders"))[0].reverse_mapping_type).to.equal("YES");
    const [back] = await list(b, "folders");
    await caller.request("DELETE", `${b}/folders/${back.id}`);
    expect((await create(b, "folders", "group-v2010", "group-v1013")).status).to.equal(204);
    expect((await list(a, "folders"))[0]).to.include({
      reverse_mapping_type: "DIFFERENT",
      reverse_recovery_object: "group-v1013",
      reverse_recovery_object_name: "Infra",
    });
  });

  it("refuses unknown objects, objects of the wrong site or type, and a source already mapped (400)", async () => {
    const cases: [string, string, string, RegExp][] = [
      [
        "networks",
        "dvportgroup-2021",
        "dvportgroup-2021",
        /mapping_source_object 'dvportgroup-2021' is not a network/,
      ],
      ["networks", "dvportgroup-1021", "group-v2010", /mapping_target_object 'group-v2010' is not a network/],
      ["resources", "resgroup-1032", "resgroup-9999", /mapping_target_object 'resgroup-9999'/],
      ["folders", "group-v1010", "group-v2012", /'Apps' \(group-v1010\) is already mapped/],
    ];
    for (const [kind, source, target, message] of cases) {
      const answer = await create(a, kind, source, target);
      expect(answer.status, `${kind} ${source} -> ${target}`).to.equal(400);
      const body = answer.json as { error_code: string; message: string; op_id: string };
      expect(body.error_code).to.match(/^(UNKNOWN_INVENTORY_OBJECT|DUPLICATE_MAPPING)$/);
      expect(body.message).to.match(message);
      expect(body.op_id).to.match(/^[0-9a-f-]{36}$/);
    }
  });

  it("needs a remote login for mappings (403 REMOTE_SITE_NOT_AUTHENTICATED)", async () => {
    const fresh = await new SrmCaller(sim).login();
    const answer = await fresh.get<{ error_code: string }>(`${a}/folders`);
    expect(answer.status).to.equal(403);
    expect(answer.json.error_code).to.equal("REMOTE_SITE_NOT_AUTHENTICATED");
  });

  it("keeps IP subnet rules and the test network on the network mapping, and refuses bad CIDRs", async () => {
    expect((await create(a, "networks", "dvportgroup-1021", "dvportgroup-2021")).status).to.equal(204);
    const [net] = await list(a, "networks");
    const ip = `${a}/networks/${net.id}/ip-subnet-mapping`;
    expect((await caller.get(ip)).status).to.equal(404);
    const rule = { name: "app", local_subnet: "10.1.0.0/24", remote_subnet: "10.2.0.0/24" };
    const bad = await caller.request("PUT", ip, {
      body: { name: "x", rules: [{ ...rule, remote_subnet: "10.2.0.0" }] },
    });
    expect(bad.status).to.equal(400);
    expect((bad.json as { message: string }).message).to.match(
      /rules\[0\] \('app'\)\.remote_subnet '10\.2\.0\.0' is not a subnet in CIDR notation/,
    );
    expect((await caller.request("PUT", ip, { body: { name: "x", rules: [rule] } })).status).to.equal(204);
    const tn = await caller.request("POST", `${a}/test-networks`, {
      body: { target_network: "dvportgroup-2021", test_network: "dvportgroup-2023" },
    });
    expect(tn.status).to.equal(204);
    const [withBoth] = await list(a, "networks");
    expect(withBoth.ip_mapping?.rules).to.have.length(1);
    expect(withBoth.test_network_mapping).to.include({
      test_network: "dvportgroup-2023",
      test_network_name: "PG-Test-B",
    });
    expect((await caller.request("DELETE", `${a}/networks/${net.id}`)).status).to.equal(204);
    expect((await caller.get(ip)).status).to.equal(404);
  });

  it("adds placeholder datastores by task, reporting replicated ones in the task result", async () => {
    const pd = `${a}/placeholder-datastores`;
    const task = await caller.runTask("POST", pd, { datastores: ["datastore-1042", "datastore-1040"] });
    expect(task.status).to.equal("SUCCESS");
    expect((task as unknown as { result: unknown }).result).to.deep.equal([
      {
        datastore_id: "datastore-1040",
        error_msg: "Datastore 'ds-a-repl-01' is replicated; placeholder datastores must not be replicated.",
      },
    ]);
    const listed = await caller.get<{ list: { id: string; name: string; visible_to: { name: string }[] }[] }>(
      pd,
    );
    expect(listed.json.list.map((d) => [d.id, d.name, d.visible_to.map((v) => v.name)])).to.deep.equal([
      ["datastore-1042", "ds-a-local-01", ["Cluster-A"]],
    ]);
    const suitable = await caller.runTask("POST", `${pd}/actions/query-suitable-datastores`);
    expect((suitable as unknown as { result: unknown }).result).to.deep.equal([
      { datastore_id: "datastore-1042", placeholder_datastore: true },
      { datastore_id: "datastore-1043", placeholder_datastore: false },
    ]);
    expect((await caller.runTask("DELETE", `${pd}/datastore-1042`)).status).to.equal("SUCCESS");
    expect((await caller.get<{ list: unknown[] }>(pd)).json.list).to.deep.equal([]);
  });
});
