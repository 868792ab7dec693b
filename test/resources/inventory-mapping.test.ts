import { inventoryMappingImplementation as impl } from "../../provider/resources/inventory-mapping.js";
import { UNKNOWN } from "../../provider/dynamic/unknowns.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { contextOf, errorText, expect, expectNoPasswords, passwordsOf, rejectionOf } from "./helpers.js";

type Props = Record<string, unknown>;

describe("resources: InventoryMapping", () => {
  let sim: Simulator;
  const rule = {
    name: "app",
    localSubnet: "10.1.0.0/24",
    remoteSubnet: "10.2.0.0/24",
    defaultGateway: "10.2.0.1",
  };
  const inputsOf = (patch: Props = {}): Props => ({
    resourceName: "app-net",
    pairingId: sim?.ids.pairingId ?? "pairing-1",
    kind: "network",
    sourceId: "dvportgroup-1021",
    targetId: "dvportgroup-2021",
    ...patch,
  });
  const checked = async (news: Props) => {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  };

  describe("check and diff (no server)", () => {
    it("applies defaults: sourceSite local, reverse false, adopt false", async () => {
      expect(await checked(inputsOf())).to.include({ sourceSite: "local", reverse: false, adopt: false });
    });

    const bad: [string, Props, string][] = [
      ["an unknown kind", { kind: "vm" }, "kind"],
      ["a missing sourceId", { sourceId: undefined }, "sourceId"],
      ["a sourceSite that is no site", { sourceSite: "b" }, "sourceSite"],
      [
        "a subnet that is not CIDR",
        { ipSubnetRules: [{ ...rule, remoteSubnet: "10.2.0.0" }] },
        "ipSubnetRules[0].remoteSubnet",
      ],
      [
        "a gateway that is not an IP",
        { ipSubnetRules: [{ ...rule, defaultGateway: "gw" }] },
        "ipSubnetRules[0].defaultGateway",
      ],
      ["two rules of one name", { ipSubnetRules: [rule, rule] }, "ipSubnetRules[1].name"],
      ["IP rules on a folder mapping", { kind: "folder", ipSubnetRules: [rule] }, "ipSubnetRules"],
    ];
    for (const [what, patch, field] of bad) {
      it(`fails on ${what}, naming ${field}`, async () => {
        const result = await impl.check({}, inputsOf(patch));
        expect(result.failures?.map((f) => f.property)).to.deep.equal([field]);
        expect(result.failures?.[0].reason).to.match(new RegExp(`^${field.replace(/[[\].]/g, "\\$&")}: `));
      });
    }

    it("accepts unknown ids during preview", async () => {
      const result = await impl.check({}, inputsOf({ sourceId: UNKNOWN, targetId: UNKNOWN }));
      expect(result.failures ?? []).to.deep.equal([]);
    });

    const olds = () => ({
      ...inputsOf(),
      sourceSite: "local",
      reverse: false,
      adopt: false,
      mappingId: "m-1",
    });
    it("reports no change for the same inputs, and an empty rule list equals none", async () => {
      expect((await impl.diff("m-1", olds(), inputsOf())).changes).to.equal(false);
      expect((await impl.diff("m-1", olds(), inputsOf({ ipSubnetRules: [] }))).changes).to.equal(false);
    });
    it("replaces (deleting first) when an end changes, and updates reverse and rules in place", async () => {
      const target = await impl.diff("m-1", olds(), inputsOf({ targetId: "dvportgroup-2022" }));
      expect(target).to.deep.include({ replaces: ["targetId"], deleteBeforeReplace: true });
      const inPlace = await impl.diff("m-1", olds(), inputsOf({ reverse: true, ipSubnetRules: [rule] }));
      expect(inPlace).to.deep.include({ changes: true, replaces: [] });
    });
  });

  describe("lifecycle against the simulator", () => {
    let srmA: string;
    let srmB: string;
    beforeEach(async () => {
      sim = await startSimulator({ taskQueuedMs: 1, taskDurationMs: 5 });
      const p = sim.model.pairings.get(sim.ids.pairingId)!;
      srmA = p.localSrm.id;
      srmB = p.remoteSrm.id;
    });
    afterEach(async () => sim.close());
    const mappingsAt = (srm: string) =>
      [...sim.model.mappings.mappings.values()].filter((m) => m.srmId === srm);

    it("creates the mapping, its reverse and IP rules; reads them; updates in place; deletes all", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(
        ctx,
        await checked(inputsOf({ reverse: true, ipSubnetRules: [rule] })),
      );
      const [a] = mappingsAt(srmA);
      const [b] = mappingsAt(srmB);
      expect(created.id).to.equal(a.id);
      expect(created.outs).to.include({
        mappingId: a.id,
        reverseMappingId: b.id,
        reverseMappingType: "YES",
        sourceName: "PG-App-A",
        targetName: "PG-App-B",
        adopted: false,
      });
      expect(a.ipMapping?.rules?.[0]).to.deep.include({
        local_subnet: "10.1.0.0/24",
        remote_subnet: "10.2.0.0/24",
      });
      expect([b.primary, b.secondary]).to.deep.equal(["dvportgroup-2021", "dvportgroup-1021"]);

      const read = await impl.read(ctx, created.id, created.outs);
      expect(read.inputs).to.deep.include({ reverse: true, ipSubnetRules: [rule] });

      const news = await checked(inputsOf({ reverse: false, ipSubnetRules: [] }));
      const updated = await impl.update(ctx, created.id, created.outs, news);
      expect(mappingsAt(srmB)).to.deep.equal([]);
      expect(a.ipMapping).to.equal(null);
      expect(updated.outs).to.include({ reverse: false, reverseMappingId: undefined });

      await impl.delete(ctx, created.id, updated.outs!);
      expect(mappingsAt(srmA)).to.deep.equal([]);
      expectNoPasswords([created, read, updated, ctx.lines], passwordsOf(sim));
    });

    it("refresh reports a reverse mapping, IP rules and the mapping itself deleted or edited in the UI", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(
        ctx,
        await checked(inputsOf({ reverse: true, ipSubnetRules: [rule] })),
      );
      sim.model.mappings.remove(String(created.outs.reverseMappingId));
      sim.model.mappings.mappings.get(created.id)!.ipMapping!.rules![0].remote_subnet = "10.9.0.0/24";
      const read = await impl.read(ctx, created.id, created.outs);
      expect(read.inputs?.reverse).to.equal(false);
      expect((read.inputs?.ipSubnetRules as { remoteSubnet: string }[])[0].remoteSubnet).to.equal(
        "10.9.0.0/24",
      );
      sim.model.mappings.remove(created.id);
      expect(await impl.read(ctx, created.id, created.outs)).to.deep.equal({});
      await impl.delete(ctx, created.id, created.outs); // already gone: fine
    });

    it("refuses an existing mapping unless adopt is set, and never takes one to another target", async () => {
      sim.model.mappings.add("networks", srmA, "dvportgroup-1021", "dvportgroup-2021");
      const ctx = contextOf(sim);
      const refused = await rejectionOf(impl.create(ctx, await checked(inputsOf())));
      expect(refused.message).to.match(
        /InventoryMapping "app-net".*identical network mapping .* already exists\. Set adopt: true/,
      );
      const adopted = await impl.create(ctx, await checked(inputsOf({ adopt: true })));
      expect(adopted.outs.adopted).to.equal(true);
      const other = await rejectionOf(
        impl.create(ctx, await checked(inputsOf({ adopt: true, targetId: "dvportgroup-2022" }))),
      );
      expect(other.message).to.match(
        /maps to another object than dvportgroup-2022.*set targetId to dvportgroup-2021/,
      );
      expect(mappingsAt(srmA)).to.have.length(1);
    });

    it("passes SRM's refusal of an unknown object on with error_code and op_id", async () => {
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ targetId: "dvportgroup-9999" }))),
      );
      expect(errorText(e)).to.match(
        /creating InventoryMapping "app-net".*mapping_target_object 'dvportgroup-9999'.*UNKNOWN_INVENTORY_OBJECT/,
      );
      expect(errorText(e)).to.match(/op_id [0-9a-f-]{36}/);
    });

    it("records the created mapping when setting its IP rules fails (partial failure)", async () => {
      sim.faults.set({
        routes: {
          "PUT /pairings/{pairing_id}/srms/{srm_id}/inventory-mappings/networks/{mapping_id}/ip-subnet-mapping":
            {
              status: 500,
              count: 1,
            },
        },
      });
      const e = (await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ ipSubnetRules: [rule] }))),
      )) as Error & {
        id?: string;
        properties?: Props;
        reasons?: string[];
      };
      const [a] = mappingsAt(srmA);
      expect(e.id).to.equal(a.id);
      expect(e.properties).to.include({ mappingId: a.id, reverse: false });
      expect(e.properties?.ipSubnetRules).to.equal(undefined);
      expect(e.reasons?.[0]).to.match(/setting the IP subnet rules of network mapping/i);
    });
  });
});
