// The dynamic-provider rules that only show up in the real host: the configure race, what the serialized
// provider captures, loading it in a fresh process, and state written by an earlier build.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "chai";
import { runProgram } from "./driver/program-runner.js";
import type { Props } from "./driver/host-process.js";
import demo = require("../../examples/demo/index.js");
import { DEMO_RESOURCES, demoConfig } from "../../examples/demo/run.js";
import {
  FIXTURE_PATH,
  PROJECT_DIR,
  TYPES,
  expectNoSecrets,
  fixtureProviders,
  serializedProvider,
  startHostFixture,
  type HostFixture,
  type ResourceKind,
} from "./helpers.js";

const KINDS: ResourceKind[] = ["Pairing", "RecoveryStepCallout", "Reprotect", "ApplianceReconciliation"];

describe("host: dynamic-provider rules", function () {
  this.timeout(30_000);
  let f: HostFixture;
  const providers = {} as Record<ResourceKind, string>;

  before(async () => {
    // Configure is sent by the race test itself: it must be the host's very first call.
    f = await startHostFixture({ configure: false, simulator: { serveRemoteSite: true } });
    for (const k of KINDS) providers[k] = await serializedProvider(k);
    if (process.env.UPDATE_PROVIDER_FIXTURES === "1") {
      fs.mkdirSync(path.dirname(FIXTURE_PATH), { recursive: true });
      fs.writeFileSync(FIXTURE_PATH, `${JSON.stringify(providers, null, 2)}\n`);
    }
  });
  after(async () => f?.close());

  const tier1 = () => f.sim.ids.plans["Tier1-Apps"]!;
  const calloutInputs = (provider: string, name: string, position: number): Props => ({
    __provider: provider,
    resourceName: name,
    pairingId: f.sim.ids.pairingId,
    planId: tier1(),
    anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
    index: position,
    name,
    content: `${name} content`,
    calloutType: "PROMPT",
    timeoutSeconds: 0,
    taskTimeoutSeconds: 300,
  });

  it("concurrent first calls right after Configure all see the configuration", async () => {
    await f.host.configure(f.config);
    const pairingOuts = {
      remoteVcGuid: f.sim.ids.remoteVcGuid,
      pscUrl: "vc-b.example.local",
      pscUsername: "x",
    };
    const reprotectOuts = {
      pairingId: f.sim.ids.pairingId,
      planId: f.sim.ids.plans.Finance,
      planStatus: "?",
    };
    const urn = (k: ResourceKind, n: string) => f.host.urn(TYPES[k], n);
    const calls = [
      ...[0, 1, 2].map((i) =>
        f.rec(
          f.host.read(f.sim.ids.pairingId, urn("Pairing", `p${i}`), {
            ...pairingOuts,
            __provider: providers.Pairing,
          }),
        ),
      ),
      ...[0, 1].map((i) =>
        f.rec(
          f.host.create(
            urn("RecoveryStepCallout", `race-${i}`),
            calloutInputs(providers.RecoveryStepCallout, `race-${i}`, 0),
          ),
        ),
      ),
      ...[0, 1].map((i) =>
        f.rec(
          f.host.read("task-x", urn("Reprotect", `r${i}`), {
            ...reprotectOuts,
            __provider: providers.Reprotect,
          }),
        ),
      ),
      f.rec(
        f.host.read("job", urn("ApplianceReconciliation", "a"), {
          __provider: providers.ApplianceReconciliation,
        }),
      ),
    ];
    const results = await Promise.all(calls);
    expect(results.slice(0, 3).map((r) => (r as { id: string }).id)).to.deep.equal(
      Array(3).fill(f.sim.ids.pairingId),
    );
    expect(results.slice(5, 7).map((r) => (r as { properties: Props }).properties.planStatus)).to.deep.equal([
      "RECOVERY_COMPLETE",
      "RECOVERY_COMPLETE",
    ]);
    const callouts = f.sim.model.stepsOf(tier1(), "recovery").filter((s) => s.callout);
    expect(callouts.map((s) => s.callout!.name).sort()).to.deep.equal(["race-0", "race-1"]);
    for (const r of results.slice(3, 5)) {
      const { id, properties } = r as { id: string; properties: Props };
      await f.rec(f.host.delete(id, urn("RecoveryStepCallout", "race"), properties));
    }
  });

  it("serialized providers hold no password, token, address or client, even after the program logged in", async () => {
    const { config, secretKeys } = demoConfig(f.sim);
    const captured: string[] = [];
    await runProgram(demo, {
      preview: true,
      config,
      secretConfigKeys: secretKeys,
      onResource: async (res) => {
        expect(res.providerIsSecret, `${res.name}: __provider must not be a secret`).to.equal(false);
        captured.push(res.inputs.__provider as string);
        return { id: "", outputs: {} };
      },
    });
    expect(captured).to.have.length(DEMO_RESOURCES);
    const sessions = [...f.sim.model.sessions.keys()];
    expect(sessions.length, "the lookups should have logged in from this process").to.be.greaterThan(0);
    for (const text of new Set(captured)) {
      expectNoSecrets(text, [...f.passwords, ...sessions], "a serialized provider");
      for (const marker of [
        f.sim.url,
        f.sim.thumbprintSha256,
        f.sim.remote!.url,
        f.sim.remote!.thumbprintSha256,
        "x-dr-session",
        "got",
        "SrmClient",
        "prefixUrl",
        "Agent",
      ]) {
        expect(text, `serialized provider contains ${marker}`).to.not.include(marker);
      }
      expect(text.length).to.be.lessThan(8000);
    }
    // One serialized provider per kind: those of the kinds the demo declares are among them.
    for (const k of ["Pairing", "Reprotect", "ApplianceReconciliation"] as const)
      expect(captured).to.include(providers[k]);
    expect(captured).to.include(await serializedProvider("RecoveryPlanCallouts"));
  });

  it("each serialized provider loads in a fresh node process, as the host loads it", () => {
    const loader = `
      const path = require("path");
      const pulumiDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
      const requireFromString = require(require.resolve("require-from-string", { paths: [pulumiDir] }));
      const text = require("fs").readFileSync(0, "utf8");
      const p = requireFromString(text).handler();
      const methods = ["configure", "check", "diff", "create", "read", "update", "delete"].filter((m) => typeof p[m] === "function");
      process.stdout.write(JSON.stringify({ kind: p.kind, methods }));`;
    for (const k of KINDS) {
      const r = spawnSync(process.execPath, ["-e", loader], {
        cwd: PROJECT_DIR,
        input: providers[k],
        encoding: "utf8",
      });
      expect(r.status, r.stderr).to.equal(0);
      const loaded = JSON.parse(r.stdout) as { kind: string; methods: string[] };
      expect(loaded.methods).to.have.length(7);
      expect(loaded.kind).to.be.a("string");
    }
  });

  it("state written by an earlier build: Read and Delete run the committed __provider strings", async () => {
    const old = fixtureProviders();
    expect(Object.keys(old).sort()).to.deep.equal([...KINDS].sort());
    // A callout created by the current build, refreshed and deleted by the stored provider of the earlier one.
    const urn = f.host.urn(TYPES.RecoveryStepCallout, "old-state");
    const created = await f.rec(
      f.host.create(urn, calloutInputs(providers.RecoveryStepCallout, "old-state", 0)),
    );
    const stored = { ...created.properties, __provider: old.RecoveryStepCallout };
    const read = await f.rec(f.host.read(created.id, urn, stored));
    expect(read.id).to.equal(created.id);
    expect(read.properties.__provider).to.equal(old.RecoveryStepCallout);
    await f.rec(f.host.delete(created.id, urn, stored));
    expect(f.sim.model.stepsOf(tier1(), "recovery").some((s) => s.callout?.name === "old-state")).to.equal(
      false,
    );
    // A pairing deleted by the earlier build's provider.
    const spare = f.sim.inventory.remoteSites.find((s) => s.vcGuid === f.sim.ids.spareRemoteVcGuid)!;
    const pairing = f.sim.model.addPairing(spare, { url: spare.pscUrl, port: 443, thumbprint: null });
    const pairingUrn = f.host.urn(TYPES.Pairing, "old-pairing");
    await f.rec(
      f.host.delete(pairing.id, pairingUrn, { remoteVcGuid: spare.vcGuid, __provider: old.Pairing }),
    );
    expect(f.sim.model.pairings.has(pairing.id)).to.equal(false);
    // The action resources: refresh and (no-op) delete with the old providers.
    const reprotect = {
      pairingId: f.sim.ids.pairingId,
      planId: f.sim.ids.plans.Finance,
      __provider: old.Reprotect,
    };
    const r = await f.rec(f.host.read("task-old", f.host.urn(TYPES.Reprotect, "old"), reprotect));
    expect(r.properties.planStatus).to.equal("RECOVERY_COMPLETE");
    await f.rec(f.host.delete("task-old", f.host.urn(TYPES.Reprotect, "old"), reprotect));
    const job = { __provider: old.ApplianceReconciliation };
    await f.rec(f.host.delete("job-old", f.host.urn(TYPES.ApplianceReconciliation, "old"), job));
  });

  it("no password in any response, error or host output", () => {
    f.expectNoLeaks();
  });
});
