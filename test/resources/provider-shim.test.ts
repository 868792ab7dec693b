// The dynamic-provider rules about the serialized provider: small, no credential or client inside, loads in a
// fresh process, configure does not race the first calls, and settings fall back to the environment.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { providers } from "../../provider/dynamic/registry.js";
import {
  SrmProviderShim,
  shimFor,
  shimModuleOf,
  storedAsRequire,
} from "../../provider/dynamic/provider-shim.js";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { configOf, configureRequest, expect, passwordsOf, rejectionOf } from "./helpers.js";

const requireFromString = require("require-from-string") as (code: string) => {
  handler: () => SrmProviderShim;
};

/** Repository root (tests run from dist/test/resources). */
const REPO = path.resolve(__dirname, "../../..");
/**
 * A serialized provider as the first release writes it into state (`__provider`); never regenerate it: it
 * proves that state written by that release still works with the current package.
 */
const FIXTURE = path.join(REPO, "test/resources/fixtures/provider-v1.js.txt");

type Props = Record<string, unknown>;

describe("resources: the serialized provider", () => {
  let sim: Simulator;
  const savedEnv: Record<string, string | undefined> = {};

  beforeEach(async () => {
    sim = await startSimulator();
    // The settings must come from configure, not from a developer's environment.
    for (const k of Object.keys(process.env).filter((k) => k.startsWith("SRM_"))) {
      savedEnv[k] = process.env[k];
      delete process.env[k];
    }
  });
  afterEach(async () => {
    for (const k of Object.keys(process.env).filter((k) => k.startsWith("SRM_"))) delete process.env[k];
    for (const [k, v] of Object.entries(savedEnv)) if (v !== undefined) process.env[k] = v;
    await sim.close();
  });

  const calloutInputs = (name: string, position = 0): Props => ({
    pairingId: sim.ids.pairingId,
    planId: sim.ids.plans["Tier2-DB"],
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index: position,
    name,
    content: "Confirm the database replicas are in sync",
    calloutType: "PROMPT",
  });

  it("serializes to a small text without credentials or clients, even after configure", async () => {
    const shim = new SrmProviderShim("pairing");
    await shim.configure(configureRequest(configOf(sim)));
    await shim.create({
      remoteVcGuid: sim.ids.remoteVcGuid,
      pscUrl: "vc-b.example.local",
      pscUsername: sim.credentials.remoteUsername,
      pscPassword: sim.credentials.remotePassword,
      // The simulator's site B is paired already; taking that pairing over is an explicit opt-in.
      adopt: true,
    });
    const { text } = await pulumi.runtime.serializeFunction(() => shim);
    expect(text.length).to.be.lessThan(4096);
    for (const p of passwordsOf(sim)) expect(text).to.not.include(p);
    expect(text).to.not.match(/\bgot\b|SrmClient|HttpClient|session_id|x-dr-session|BEGIN CERTIFICATE/);
    expect(text).to.include('require("pulumi-srm")');
    expect(Object.keys(shim).sort()).to.deep.equal(["kind", "shimVersion"]);
  });

  it("loads in a fresh node process (cwd = project) and answers check there", async () => {
    const { text } = await pulumi.runtime.serializeFunction(
      () => new SrmProviderShim("recovery-step-callout"),
    );
    const script = `
      const provider = require("require-from-string")(process.argv[1]).handler();
      provider.check({}, JSON.parse(process.argv[2])).then((r) => console.log(JSON.stringify(r)));`;
    const out = execFileSync(process.execPath, ["-e", script, text, JSON.stringify(calloutInputs("Fresh"))], {
      cwd: REPO,
      encoding: "utf8",
      env: { PATH: process.env.PATH ?? "" },
    });
    const result = JSON.parse(out.trim().split("\n").pop() ?? "{}");
    expect(result.failures ?? []).to.deep.equal([]);
    expect(result.inputs).to.include({ name: "Fresh", timeoutSeconds: 0, taskTimeoutSeconds: 300 });
  });

  it("does not race: create and read started right after an un-awaited configure use its settings", async () => {
    const { text } = await pulumi.runtime.serializeFunction(
      () => new SrmProviderShim("recovery-step-callout"),
    );
    const provider = requireFromString(text).handler();
    const planId = sim.ids.plans["Tier2-DB"];
    const existing = sim.model.insertCallout(planId, "recovery", 0, {
      name: "Existing",
      content: "Confirm the database replicas are in sync",
      callout_type: "PROMPT",
      timeout_seconds: 0,
    });
    const existingProps = { ...calloutInputs("Existing"), stepId: existing.id, taskTimeoutSeconds: 300 };
    // What the host does: cache the provider, call configure, and let other calls start before it settles.
    const configured = provider.configure(configureRequest(configOf(sim)));
    const [created, read] = await Promise.all([
      provider.create(calloutInputs("Race", 0)),
      provider.read(`${sim.ids.pairingId}/${planId}/recovery/${existing.id}`, existingProps),
    ]);
    await configured;
    expect((created.outs as Props).name).to.equal("Race");
    expect(read.props).to.include({ name: "Existing", stepId: existing.id });
    expect(sim.requests.filter((r) => r.route === "POST /session")).to.have.length(1);
  });

  it("takes settings from the environment when configure was never called", async () => {
    process.env.SRM_HOST = sim.url;
    process.env.SRM_USERNAME = sim.credentials.username;
    process.env.SRM_PASSWORD = sim.credentials.password;
    process.env.SRM_CA_CERT = sim.caCert;
    const provider = new SrmProviderShim("recovery-step-callout");
    const created = await provider.create(calloutInputs("From env"));
    expect((created.outs as Props).name).to.equal("From env");
  });

  it("names the setting and both ways to set it when a connection setting is missing", async () => {
    const provider = new SrmProviderShim("recovery-step-callout");
    void provider.configure(configureRequest(configOf(sim, { "srm:host": undefined })));
    const e = await rejectionOf(provider.create(calloutInputs("No host")));
    expect(e.message)
      .to.include("srm:host")
      .and.include("pulumi config set srm:host")
      .and.include("SRM_HOST");
  });

  it("explains an unknown kind (state from a newer package)", async () => {
    const e = await rejectionOf(new SrmProviderShim("future-thing").check({}, {}));
    expect(e.message).to.include("future-thing").and.include("pairing");
  });

  it("keeps working with the serialized provider stored by the first release", async () => {
    const old = fs.readFileSync(FIXTURE, "utf8");
    const provider = requireFromString(old).handler();
    void provider.configure(configureRequest(configOf(sim)));
    const created = await provider.create(calloutInputs("Old state"));
    const stepId = (created.outs as Props).stepId as number;
    await provider.delete(created.id, created.outs as Props);
    expect(sim.model.findStep(sim.ids.plans["Tier2-DB"], "recovery", stepId)).to.equal(undefined);
  });

  it("exposes a stable registry: providers.v1.configure and providers.v1.call", () => {
    expect(providers.v1.configure).to.be.a("function");
    expect(providers.v1.call).to.be.a("function");
    // Kinds are stored in state: every kind an earlier release wrote must still be served.
    expect(Object.keys(providers.implementations).sort()).to.deep.equal([
      "appliance-reconciliation",
      "inventory-mapping",
      "pairing",
      "placeholder-datastore",
      "protection-group",
      "protection-group-folder",
      "recovery-plan",
      "recovery-plan-callouts",
      "recovery-plan-folder",
      "recovery-step-callout",
      "reprotect",
      "test-network-mapping",
      "vm-recovery-settings",
    ]);
  });

  it("has a module per kind whose whole export is that kind's shim, exported by package.json", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8")) as {
      exports: Record<string, unknown>;
    };
    const pattern = Object.keys(manifest.exports).find((k) => k.includes("/shims/"));
    expect(pattern).to.equal("./dist/provider/dynamic/shims/*.js");
    for (const kind of Object.keys(providers.implementations)) {
      const file = path.join(REPO, "dist", "provider", "dynamic", "shims", `${kind}.js`);
      const shim = require(file) as SrmProviderShim;
      expect(shim, kind).to.be.an.instanceOf(SrmProviderShim);
      expect(shim.kind).to.equal(kind);
      expect(shimModuleOf(kind)).to.equal(`pulumi-srm/dist/provider/dynamic/shims/${kind}.js`);
    }
  });

  it("is stored as a require only where the serializer's path for it is the package's own", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-shim-paths-"));
    try {
      const place = (rel: string) => {
        const file = path.join(dir, rel);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, "");
        return file;
      };
      const npm = place("project/node_modules/pulumi-srm/dist/provider/dynamic/shims/pairing.js");
      expect(storedAsRequire(npm, "pairing", path.join(dir, "project"))).to.equal(true);
      // The serializer takes the path after the first node_modules segment, whatever the working folder.
      expect(storedAsRequire(npm, "pairing", os.tmpdir())).to.equal(true);
      expect(storedAsRequire(npm, "reprotect", path.join(dir, "project"))).to.equal(false);
      // pnpm's store: the path after the first node_modules is `.pnpm/...`, which no host can require.
      const pnpm = place(
        "project/node_modules/.pnpm/pulumi-srm@0.1.0/node_modules/pulumi-srm/dist/provider/dynamic/shims/pairing.js",
      );
      expect(storedAsRequire(pnpm, "pairing", path.join(dir, "project"))).to.equal(false);
      // A linked checkout: the real path is outside node_modules.
      const checkout = place("checkout/dist/provider/dynamic/shims/pairing.js");
      fs.mkdirSync(path.join(dir, "linked", "node_modules"), { recursive: true });
      fs.symlinkSync(path.join(dir, "checkout"), path.join(dir, "linked", "node_modules", "pulumi-srm"));
      const viaLink = path.join(dir, "linked/node_modules/pulumi-srm/dist/provider/dynamic/shims/pairing.js");
      expect(fs.existsSync(viaLink) && fs.realpathSync(viaLink)).to.equal(fs.realpathSync(checkout));
      expect(storedAsRequire(viaLink, "pairing", path.join(dir, "linked"))).to.equal(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("is stored by value from this checkout (linked, not installed), and calls providers.v1 there", async () => {
    const shim = shimFor("pairing");
    const { text } = await pulumi.runtime.serializeFunction(() => shim);
    expect(text).to.include('require("pulumi-srm")').and.include("providers.v1");
    expect(text).to.not.include("/shims/");
  });
});
