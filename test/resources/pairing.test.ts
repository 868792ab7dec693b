import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pairingImplementation as impl } from "../../provider/resources/pairing.js";
import { UNKNOWN } from "../../provider/dynamic/unknowns.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import {
  contextOf,
  errorText,
  expect,
  expectNoPasswords,
  passwordsOf,
  plainListener,
  rejectionOf,
} from "./helpers.js";

type Props = Record<string, unknown>;

describe("resources: Pairing", () => {
  let sim: Simulator;
  const NEW_PSC_PASSWORD = "Rotated-Psc-Pw-Quokka-4411!";

  /** Inputs pairing with the spare site, which accepts the remote SSO credentials. */
  const spareInputs = (patch: Props = {}): Props => ({
    resourceName: "dr-c",
    remoteVcGuid: sim.ids.spareRemoteVcGuid,
    pscUrl: sim.ids.spareRemotePscUrl,
    pscThumbprint: sim.ids.spareRemotePscThumbprint || undefined,
    pscUsername: sim.credentials.remoteUsername,
    pscPassword: sim.credentials.remotePassword,
    ...patch,
  });

  async function checked(news: Props): Promise<Props> {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  }

  beforeEach(async () => {
    sim = await startSimulator();
  });
  afterEach(async () => {
    await sim.close();
  });

  describe("check", () => {
    it("applies defaults and accepts a minimal pairing", async () => {
      const inputs = await checked(spareInputs({ pscThumbprint: undefined }));
      expect(inputs.pscPort).to.equal(443);
      expect(inputs.taskTimeoutSeconds).to.equal(600);
    });

    const bad: [string, Props, string][] = [
      ["a missing remoteVcGuid", { remoteVcGuid: undefined }, "remoteVcGuid"],
      ["an empty pscUrl", { pscUrl: "" }, "pscUrl"],
      ["pscPort 0", { pscPort: 0 }, "pscPort"],
      ["pscPort 65536", { pscPort: 65536 }, "pscPort"],
      ["a fractional pscPort", { pscPort: 443.5 }, "pscPort"],
      ["a non-hex pscThumbprint", { pscThumbprint: "zz:11" }, "pscThumbprint"],
      ["a short srmThumbprint", { srmThumbprint: "AB:CD" }, "srmThumbprint"],
      ["an empty pscUsername", { pscUsername: "" }, "pscUsername"],
      ["a missing pscPassword", { pscPassword: undefined }, "pscPassword"],
      ["taskTimeoutSeconds 0", { taskTimeoutSeconds: 0 }, "taskTimeoutSeconds"],
    ];
    for (const [what, patch, field] of bad) {
      it(`fails on ${what}, naming ${field}`, async () => {
        const result = await impl.check({}, spareInputs(patch));
        expect(result.failures?.map((f) => f.property)).to.deep.equal([field]);
        expect(result.failures?.[0].reason).to.match(new RegExp(`^${field}: `));
        expectNoPasswords(result.failures, passwordsOf(sim));
      });
    }

    it("accepts unknown values anywhere and passes them through", async () => {
      const result = await impl.check(
        {},
        spareInputs({ remoteVcGuid: UNKNOWN, pscPort: UNKNOWN, pscPassword: UNKNOWN }),
      );
      expect(result.failures ?? []).to.deep.equal([]);
      expect(result.inputs?.remoteVcGuid).to.equal(UNKNOWN);
      expect(result.inputs?.pscPort).to.equal(UNKNOWN);
      expect(result.inputs?.taskTimeoutSeconds).to.equal(600);
    });

    it("makes no request to the server", async () => {
      await impl.check({}, spareInputs());
      await impl.diff("x", {}, spareInputs());
      expect(sim.requests).to.have.length(0);
    });
  });

  describe("create, read, update, delete", () => {
    it("pairs with a new remote site and returns full outputs without the password", async () => {
      const ctx = contextOf(sim);
      const result = await impl.create(ctx, await checked(spareInputs()));
      const outs = result.outs as Props;
      const pairing = sim.model.pairingTo(sim.ids.spareRemoteVcGuid);
      expect(pairing, "pairing exists in SRM").to.not.equal(undefined);
      expect(result.id).to.equal(pairing?.id);
      expect(outs).to.include({
        pairingId: pairing?.id,
        remoteVcGuid: sim.ids.spareRemoteVcGuid,
        remoteVcName: "vc-c.example.local",
        adopted: false,
        pscPort: 443,
        schemaVersion: 1,
      });
      expect(outs.taskId).to.be.a("string");
      expect(outs.localVcServerStatus).to.equal("OK");
      expect(outs.remoteSrmServerStatus).to.be.a("string");
      expect(outs.pscPasswordDigest).to.match(/^[0-9a-f]{64}$/);
      expect(outs).to.not.have.property("pscPassword");
      expectNoPasswords(outs, passwordsOf(sim));
      expect(sim.requests.filter((r) => r.method === "POST" && r.route === "POST /pairings")).to.have.length(
        1,
      );
    });

    it("refuses an existing pairing to the same remote vCenter, saying how to opt in; adopt: true takes it", async () => {
      const b = {
        remoteVcGuid: sim.ids.remoteVcGuid,
        pscUrl: "vc-b.example.local",
        pscThumbprint: undefined,
      };
      const e = await rejectionOf(impl.create(contextOf(sim), await checked(spareInputs(b))));
      expect(e.message)
        .to.include(sim.ids.pairingId)
        .and.include("adopt: true")
        .and.include("pulumi destroy")
        .and.include(`Pairing "dr-c"`);
      const result = await impl.create(contextOf(sim), await checked(spareInputs({ ...b, adopt: true })));
      expect(result.id).to.equal(sim.ids.pairingId);
      expect(result.outs).to.include({ adopted: true, adopt: true, pairingId: sim.ids.pairingId });
      expect(sim.requests.filter((r) => r.route === "POST /pairings")).to.have.length(0);
    });

    it("a create whose answer was lost: the next create of the same resource finds its pairing through the journal, without adopt", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-journal-"));
      const saved = process.env.PULUMI_SRM_JOURNAL_DIR;
      process.env.PULUMI_SRM_JOURNAL_DIR = dir;
      try {
        const inputs = await checked(spareInputs({ journalKey: "proj/stack/srm:Pairing/dr-c" }));
        sim.faults.set({ dropAnswers: { "POST /pairings": 1 } });
        await rejectionOf(impl.create(contextOf(sim), inputs));
        const posts = () => sim.requests.filter((r) => r.route === "POST /pairings");
        expect(posts()).to.have.length(1);
        const again = await impl.create(contextOf(sim), inputs);
        expect(again.outs).to.include({ adopted: false, remoteVcGuid: sim.ids.spareRemoteVcGuid });
        expect(posts(), "no second pair request").to.have.length(1);
        // Another resource (another key) is refused: the pairing is this one's.
        const other = await rejectionOf(
          impl.create(contextOf(sim), { ...inputs, journalKey: "proj/stack/srm:Pairing/other" }),
        );
        expect(other.message).to.include("adopt: true");
        await impl.delete(contextOf(sim), again.id, again.outs as Props);
        expect(fs.readdirSync(dir), "delete removes the record").to.deep.equal([]);
      } finally {
        if (saved === undefined) delete process.env.PULUMI_SRM_JOURNAL_DIR;
        else process.env.PULUMI_SRM_JOURNAL_DIR = saved;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("reads the pairing in sync, with each side's server status", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(spareInputs()));
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(created.id);
      expect(read.props).to.deep.equal(created.outs);
      // No inputs: returned inputs would replace the stored ones and drop pscPassword.
      expect(read.inputs).to.equal(undefined);
      expect(read.props).to.have.keys([...Object.keys(created.outs as Props)]);
    });

    it("reads a pairing removed outside Pulumi as gone", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(spareInputs()));
      sim.model.removePairing(created.id);
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.id).to.equal(undefined);
    });

    it("reports a server status change on read", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(spareInputs()));
      const state = sim.model.pairings.get(created.id);
      if (!state) throw new Error("simulator has no state for the pairing");
      state.remoteSrm.server_status = "ERROR";
      const read = await impl.read(ctx, created.id, created.outs as Props);
      expect(read.props?.remoteSrmServerStatus).to.equal("ERROR");
      expect(read.props?.localVcServerStatus).to.equal("OK");
    });

    it("reconnects when the password changes and not when only the task timeout does", async () => {
      const ctx = contextOf(sim);
      const inputs = await checked(spareInputs());
      const created = await impl.create(ctx, inputs);
      const olds = created.outs as Props;

      const timeoutOnly = await checked(spareInputs({ taskTimeoutSeconds: 900 }));
      const d1 = await impl.diff(created.id, olds, timeoutOnly);
      expect(d1).to.include({ changes: true, deleteBeforeReplace: false });
      expect(d1.replaces).to.deep.equal([]);
      const u1 = await impl.update(ctx, created.id, olds, timeoutOnly);
      expect(sim.requests.filter((r) => r.route.endsWith("/actions/reconnect"))).to.have.length(0);
      expect(u1.outs).to.include({ taskTimeoutSeconds: 900, pscPasswordDigest: olds.pscPasswordDigest });

      // The simulator's PSC accepts only its own password, so rotate it there first.
      for (const site of sim.inventory.remoteSites) site.password = NEW_PSC_PASSWORD;
      const rotated = await checked(spareInputs({ pscPassword: NEW_PSC_PASSWORD, taskTimeoutSeconds: 900 }));
      const d2 = await impl.diff(created.id, u1.outs as Props, rotated);
      expect(d2.changes).to.equal(true);
      expect(d2.replaces).to.deep.equal([]);
      const u2 = await impl.update(ctx, created.id, u1.outs as Props, rotated);
      const reconnects = sim.requests.filter((r) => r.route.endsWith("/actions/reconnect"));
      expect(reconnects).to.have.length(1);
      expect(u2.outs).to.not.include({ pscPasswordDigest: olds.pscPasswordDigest });
      expect((u2.outs as Props).taskId).to.not.equal(olds.taskId);
      expectNoPasswords(u2.outs, [...passwordsOf(sim), NEW_PSC_PASSWORD]);
      const d3 = await impl.diff(created.id, u2.outs as Props, rotated);
      expect(d3.changes, "same password again: no change").to.equal(false);
    });

    it("breaks the pairing on delete, and a second delete (404) succeeds", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(spareInputs()));
      await impl.delete(ctx, created.id, created.outs as Props);
      expect(sim.model.pairingTo(sim.ids.spareRemoteVcGuid)).to.equal(undefined);
      expect(sim.requests.some((r) => r.route.endsWith("/remote-session") && r.method === "POST")).to.equal(
        true,
      );
      await impl.delete(ctx, created.id, created.outs as Props);
      expect(sim.model.pairingTo(sim.ids.spareRemoteVcGuid)).to.equal(undefined);
    });

    it("names the remote credential settings when deleting without them", async () => {
      const created = await impl.create(contextOf(sim), await checked(spareInputs()));
      const ctx = contextOf(sim, { "srm:remoteUsername": undefined, "srm:remotePassword": undefined });
      const e = await rejectionOf(impl.delete(ctx, created.id, created.outs as Props));
      expect(e.message).to.include("srm:remoteUsername").and.include("SRM_REMOTE_USERNAME");
      expect(e.message).to.include(`Pairing "dr-c"`).and.include(created.id);
      expect(sim.model.pairingTo(sim.ids.spareRemoteVcGuid), "still paired").to.not.equal(undefined);
    });

    it("refuses an http:// srm:host before sending the credentials in clear text", async () => {
      const listener = await plainListener();
      try {
        const ctx = contextOf(sim, { "srm:host": `http://127.0.0.1:${listener.port}` });
        const e = await rejectionOf(impl.create(ctx, await checked(spareInputs())));
        expect(e.message).to.include("srm:host").and.include("https");
        expectNoPasswords(errorText(e), passwordsOf(sim));
        expect(listener.received()).to.equal("");
      } finally {
        await listener.close();
      }
    });

    it("reports a failed pairing task with the task id and without the password", async () => {
      const wrong = "Wrong-Psc-Pw-Narwhal-9921!";
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(spareInputs({ pscPassword: wrong }))),
      );
      expect(e.message).to.include(`creating Pairing "dr-c"`);
      expect(e.message).to.match(/task [\w-]+/);
      expect((e as unknown as { taskId?: string }).taskId).to.be.a("string");
      expectNoPasswords(errorText(e), [...passwordsOf(sim), wrong]);
    });
  });

  describe("diff", () => {
    const olds = (): Props => ({
      remoteVcGuid: "cccccccc-0000-4000-8000-00000000000c",
      pscUrl: "vc-c.example.local",
      pscPort: 443,
      pscThumbprint: "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01",
      pscUsername: "administrator@vsphere.local",
      taskTimeoutSeconds: 600,
    });
    const news = (patch: Props = {}): Props => ({ ...olds(), pscPassword: "Diff-Only-Pw-1234!", ...patch });

    it("reports no change for the same inputs and a differently spelled thumbprint", async () => {
      const d = await impl.diff(
        "p",
        olds(),
        news({ pscThumbprint: "abcdef0123456789abcdef0123456789abcdef01" }),
      );
      expect(d.changes).to.equal(false);
    });

    it("replaces, deleting first, when the remote vCenter changes", async () => {
      const d = await impl.diff("p", olds(), news({ remoteVcGuid: "dddddddd-0000-4000-8000-00000000000d" }));
      expect(d).to.deep.include({ changes: true, replaces: ["remoteVcGuid"], deleteBeforeReplace: true });
    });

    it("replaces when the remote vCenter is unknown at preview", async () => {
      const d = await impl.diff("p", olds(), news({ remoteVcGuid: UNKNOWN }));
      expect(d.replaces).to.deep.equal(["remoteVcGuid"]);
    });

    for (const field of ["pscUrl", "pscPort", "pscUsername", "srmUrl", "srmThumbprint"]) {
      it(`updates in place when ${field} changes`, async () => {
        const value =
          field === "pscPort"
            ? 7444
            : field === "srmThumbprint"
              ? "11".repeat(20)
              : `changed-${field}.example`;
        const d = await impl.diff("p", olds(), news({ [field]: value }));
        expect(d).to.deep.include({ changes: true, replaces: [], deleteBeforeReplace: false });
      });
    }

    it("updates when the password is unknown at preview", async () => {
      const d = await impl.diff("p", olds(), news({ pscPassword: UNKNOWN }));
      expect(d).to.deep.include({ changes: true, replaces: [] });
    });
  });
});
