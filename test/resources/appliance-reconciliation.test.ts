import { applianceReconciliationImplementation as impl } from "../../provider/resources/appliance-reconciliation.js";
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

describe("resources: ApplianceReconciliation", () => {
  let sim: Simulator;
  const inputsOf = (patch: Props = {}): Props => ({
    resourceName: "vc-a-restore",
    ssoAdminUsername: sim?.credentials.ssoUsername ?? "administrator@vsphere.local",
    ssoAdminPassword: sim?.credentials.ssoPassword ?? "Check-Only-Sso-Pw-1!",
    ...patch,
  });

  async function checked(news: Props): Promise<Props> {
    const result = await impl.check({}, news);
    expect(result.failures ?? []).to.deep.equal([]);
    return result.inputs as Props;
  }

  describe("check and diff (no server)", () => {
    it("applies defaults: ignoreWarnings false, timeoutSeconds 1800", async () => {
      expect(await checked(inputsOf())).to.include({ ignoreWarnings: false, timeoutSeconds: 1800 });
    });

    const bad: [string, Props, string][] = [
      ["a missing ssoAdminUsername", { ssoAdminUsername: undefined }, "ssoAdminUsername"],
      ["an empty ssoAdminPassword", { ssoAdminPassword: "" }, "ssoAdminPassword"],
      ["a bad applianceThumbprint", { applianceThumbprint: "not-hex" }, "applianceThumbprint"],
      ["timeoutSeconds 0", { timeoutSeconds: 0 }, "timeoutSeconds"],
      ["a non-boolean applianceInsecure", { applianceInsecure: "true" }, "applianceInsecure"],
    ];
    for (const [what, patch, field] of bad) {
      it(`fails on ${what}, naming ${field}`, async () => {
        const result = await impl.check({}, inputsOf(patch));
        expect(result.failures?.map((f) => f.property)).to.deep.equal([field]);
        expectNoPasswords(result.failures, ["Check-Only-Sso-Pw-1!"]);
      });
    }

    it("accepts unknown values", async () => {
      const result = await impl.check({}, inputsOf({ applianceHost: UNKNOWN, ssoAdminPassword: UNKNOWN }));
      expect(result.failures ?? []).to.deep.equal([]);
    });

    const olds = () => ({
      ssoAdminUsername: "administrator@vsphere.local",
      ignoreWarnings: false,
      timeoutSeconds: 1800,
    });
    const news = (patch: Props = {}) => ({ ...olds(), ssoAdminPassword: "Diff-Only-Sso-Pw-2!", ...patch });
    it("reports no change for the same inputs, even with another SSO password", async () => {
      expect((await impl.diff("j", olds(), news())).changes).to.equal(false);
    });
    for (const [field, value] of [
      ["triggers", ["restore-2"]],
      ["applianceHost", "vc-z.example.local"],
      ["ignoreWarnings", true],
      ["ssoAdminUsername", "other@vsphere.local"],
    ] as const) {
      it(`runs again (replace) when ${field} changes`, async () => {
        expect((await impl.diff("j", olds(), news({ [field]: value }))).replaces).to.deep.equal([field]);
      });
    }
    it("updates in place when only connection settings or the timeout change", async () => {
      const d = await impl.diff("j", olds(), news({ applianceUsername: "admin", timeoutSeconds: 60 }));
      expect(d).to.deep.include({ changes: true, replaces: [] });
    });
  });

  describe("against the simulator", () => {
    beforeEach(async () => {
      sim = await startSimulator();
    });
    afterEach(async () => {
      await sim.close();
    });

    it("runs the job through /api with config settings and returns status, flavor, times and messages", async () => {
      const result = await impl.create(contextOf(sim), await checked(inputsOf({ triggers: [1] })));
      const outs = result.outs as Props;
      expect(outs).to.include({
        jobStatus: "SUCCEEDED",
        apiFlavor: "api",
        applianceUrl: sim.applianceUrl,
        schemaVersion: 1,
      });
      expect((outs.messages as string[]).length).to.be.greaterThan(0);
      expect(outs.startTime).to.be.a("string");
      expect(outs.endTime).to.be.a("string");
      expect(outs.triggers).to.deep.equal([1]);
      expect(outs).to.not.have.property("ssoAdminPassword");
      expect(outs).to.not.have.property("appliancePassword");
      expectNoPasswords(outs, passwordsOf(sim));
      expectNoPasswords(result.id, passwordsOf(sim));
    });

    it("falls back to the legacy /rest API", async () => {
      await sim.close();
      sim = await startSimulator({ applianceApi: "rest-only" });
      const result = await impl.create(contextOf(sim), await checked(inputsOf()));
      expect(result.outs).to.include({ jobStatus: "SUCCEEDED", apiFlavor: "rest" });
    });

    it("takes host and credentials from inputs over config", async () => {
      const ctx = contextOf(sim, {
        "srm:applianceHost": "unreachable.invalid",
        "srm:appliancePassword": "Wrong-Config-Pw-Ibex-77!",
      });
      const inputs = await checked(
        inputsOf({
          applianceHost: sim.applianceUrl,
          appliancePassword: sim.credentials.appliancePassword,
          applianceThumbprint: sim.thumbprintSha256,
        }),
      );
      const result = await impl.create(ctx, inputs);
      expect(result.outs).to.include({ jobStatus: "SUCCEEDED", applianceHost: sim.applianceUrl });
      expectNoPasswords(result.outs, [...passwordsOf(sim), "Wrong-Config-Pw-Ibex-77!"]);
    });

    it("names the input, the config key and the environment variable of a missing host", async () => {
      const ctx = contextOf(sim, { "srm:applianceHost": undefined });
      const e = await rejectionOf(impl.create(ctx, await checked(inputsOf())));
      expect(e.message)
        .to.include("applianceHost")
        .and.include("srm:applianceHost")
        .and.include("SRM_APPLIANCE_HOST");
    });

    it("refuses an http:// appliance URL before sending the credentials in clear text", async () => {
      const listener = await plainListener();
      try {
        const inputs = await checked(inputsOf({ applianceHost: `http://127.0.0.1:${listener.port}` }));
        const e = await rejectionOf(impl.create(contextOf(sim), inputs));
        expect(e.message).to.include("applianceHost").and.include("https");
        expectNoPasswords(errorText(e), passwordsOf(sim));
        expect(listener.received()).to.equal("");
      } finally {
        await listener.close();
      }
    });

    it("fails with the job's messages when the job FAILS, without the SSO password", async () => {
      const wrong = "Wrong-Sso-Pw-Okapi-3150!";
      const e = await rejectionOf(
        impl.create(contextOf(sim), await checked(inputsOf({ ssoAdminPassword: wrong }))),
      );
      expect(e.message).to.include("ApplianceReconciliation").and.include("Cannot authenticate with SSO");
      expectNoPasswords(errorText(e), [...passwordsOf(sim), wrong]);
    });

    it("reads the job status with config credentials and keeps the record without them", async () => {
      const created = await impl.create(contextOf(sim), await checked(inputsOf()));
      const read = await impl.read(contextOf(sim), created.id, created.outs as Props);
      expect(read.props).to.include({ jobStatus: "SUCCEEDED" });
      // No inputs: the engine keeps the stored ones (with the passwords) when read returns none.
      expect(read.inputs).to.equal(undefined);
      const noCreds = contextOf(sim, { "srm:appliancePassword": undefined });
      const kept = await impl.read(noCreds, created.id, created.outs as Props);
      expect(kept.props).to.deep.equal(created.outs);
    });

    it("updates in place without running again, and deletes as a no-op", async () => {
      const ctx = contextOf(sim);
      const created = await impl.create(ctx, await checked(inputsOf()));
      const posts = () =>
        sim.requests.filter((r) => r.method === "POST" && r.path.includes("reconciliation")).length;
      const updated = await impl.update(
        ctx,
        created.id,
        created.outs as Props,
        await checked(inputsOf({ timeoutSeconds: 60 })),
      );
      expect(updated.outs).to.include({ timeoutSeconds: 60, jobStatus: "SUCCEEDED" });
      const before = sim.requests.length;
      await impl.delete(ctx, created.id, created.outs as Props);
      expect(sim.requests.length).to.equal(before);
      expect(posts()).to.equal(1);
    });
  });
});
