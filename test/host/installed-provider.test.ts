// The serialized provider as a user's state holds it: with the package installed as npm installs it, each kind's
// shim is stored as a require of its own module (a few hundred bytes instead of its code), and the real host,
// running in that project, creates, reads and deletes with it, and with the shim the earlier releases stored.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { ProviderHost, type Props } from "./driver/host-process.js";
import { runProgram } from "./driver/program-runner.js";
import { fixtureProviders, passwordsOf, srmConfig, TYPES } from "./helpers.js";
import { installCopy } from "../package/installed-copy.js";
import type * as srm from "../../provider/index.js";

describe("host: the serialized provider of an installed package", function () {
  this.timeout(60_000);
  let dir: string;
  let sim: Simulator;
  let host: ProviderHost | undefined;
  let installed: typeof srm;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-installed-"));
    installed = require(installCopy(dir)) as typeof srm;
    sim = await startSimulator();
    host = await ProviderHost.start({ projectDir: dir });
    await host.configure(srmConfig(sim));
  });
  after(async () => {
    await host?.close();
    await sim?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("stores a require of the kind's module, and the host creates, reads and deletes with it", async () => {
    const planId = sim.ids.plans["Tier1-Apps"]!;
    let inputs: Props | undefined;
    await runProgram(
      () => {
        new installed.RecoveryStepCallout("installed", {
          pairingId: sim.ids.pairingId,
          planId,
          anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
          index: 0,
          name: "Installed",
          content: "Confirm the replicas are in sync",
          calloutType: "PROMPT",
        });
      },
      {
        preview: true,
        onResource: async (res) => {
          inputs = res.inputs;
          return { id: "", outputs: {} };
        },
      },
    );
    const text = inputs?.__provider;
    expect(text).to.be.a("string");
    expect(text).to.include('require("pulumi-srm/dist/provider/dynamic/shims/recovery-step-callout.js")');
    expect((text as string).length, text as string).to.be.lessThan(400);
    for (const p of passwordsOf(sim)) expect(text).to.not.include(p);

    const h = host!;
    const urn = h.urn(TYPES.RecoveryStepCallout, "installed");
    const checked = await h.check(urn, {}, inputs!);
    expect(checked.failures).to.deep.equal([]);
    const created = await h.create(urn, checked.inputs);
    expect(created.properties.__provider).to.equal(text);
    const read = await h.read(created.id, urn, created.properties);
    expect(read.properties).to.include({ name: "Installed", __provider: text });
    await h.delete(created.id, urn, created.properties);
    expect(sim.model.stepsOf(planId, "recovery").some((s) => s.callout?.name === "Installed")).to.equal(
      false,
    );
  });

  it("reads and deletes state an earlier release stored (the shim's code calling providers.v1)", async () => {
    const h = host!;
    const planId = sim.ids.plans["Tier1-Apps"]!;
    const urn = h.urn(TYPES.RecoveryStepCallout, "earlier");
    const checked = await h.check(
      urn,
      {},
      {
        __provider: fixtureProviders().RecoveryStepCallout,
        resourceName: "earlier",
        pairingId: sim.ids.pairingId,
        planId,
        anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
        index: 0,
        name: "Earlier",
        content: "Confirm the replicas are in sync",
        calloutType: "PROMPT",
      },
    );
    const created = await h.create(urn, checked.inputs);
    const read = await h.read(created.id, urn, created.properties);
    expect(read.properties).to.include({ name: "Earlier" });
    await h.delete(created.id, urn, read.properties);
    expect(sim.model.stepsOf(planId, "recovery").some((s) => s.callout?.name === "Earlier")).to.equal(false);
  });
});
