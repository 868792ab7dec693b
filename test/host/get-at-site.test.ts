// Static get with a site through the real dynamic-provider host: the program's `X.get(name, id, { site })` is run
// under mocks, and each read it registers goes to the host's Read as the engine sends it; the read must reach
// the named site's SRM server (site B), and only it.
import { expect } from "chai";
import type { Props } from "./driver/host-process.js";
import { runProgram } from "./driver/program-runner.js";
import {
  passwordsOf,
  serializedProvider,
  srmConfig,
  startHostFixture,
  TYPES,
  type HostFixture,
} from "./helpers.js";
import { Pairing, RecoveryPlanCallouts, RecoveryStepCallout } from "../../provider/index.js";

describe("host: get(name, id, { site }) reads at that site's SRM server", function () {
  this.timeout(60_000);
  let f: HostFixture;
  let planId: string;

  before(async () => {
    f = await startHostFixture({
      configure: false,
      simulator: { serveRemoteSite: true, taskQueuedMs: 5, taskDurationMs: 20 },
    });
    const remote = f.sim.remote!;
    f.passwords.push(...passwordsOf(f.sim), remote.credentials.password);
    await f.host.configure({
      ...srmConfig(f.sim),
      "srm:sites": JSON.stringify({
        siteB: {
          host: remote.url,
          username: remote.credentials.username,
          password: remote.credentials.password,
          thumbprint: remote.thumbprintSha256,
        },
      }),
    });
    planId = f.sim.ids.plans["Tier2-DB"]!;
  });
  after(async () => f?.close());

  /** Runs `program`; every read it registers goes to the host's Read. Returns what each read answered. */
  async function readsOf(program: () => void): Promise<Record<string, { id: string; props: Props }>> {
    const out: Record<string, { id: string; props: Props }> = {};
    await runProgram(program, {
      onResource: async (res) => {
        const r = await f.rec(f.host.read(idOf(res.name), res.urn, res.inputs));
        out[res.name] = { id: r.id, props: r.properties };
        return { id: r.id, outputs: r.properties };
      },
    });
    return out;
  }
  const ids = new Map<string, string>();
  const idOf = (name: string) => ids.get(name)!;
  /** Requests each server served while `run` ran. */
  async function servedBy<T>(run: () => Promise<T>): Promise<{ a: number; b: number; result: T }> {
    const a0 = f.sim.requests.length;
    const b0 = f.sim.remote!.requests.length;
    const result = await run();
    return { a: f.sim.requests.length - a0, b: f.sim.remote!.requests.length - b0, result };
  }

  it("Pairing.get at site B sees the pairing from B's side; without a site, from A's", async () => {
    ids.set("pairing-at-b", f.sim.ids.pairingId).set("pairing-at-a", f.sim.ids.pairingId);
    const atB = await servedBy(() =>
      readsOf(() => void Pairing.get("pairing-at-b", f.sim.ids.pairingId, { site: "siteB" })),
    );
    expect(atB.a, "requests to site A").to.equal(0);
    expect(atB.b).to.be.greaterThan(0);
    expect(atB.result["pairing-at-b"]!.id).to.equal(f.sim.ids.pairingId);
    expect(atB.result["pairing-at-b"]!.props).to.include({
      site: "siteB",
      remoteVcGuid: f.sim.ids.localVcGuid,
    });
    const atA = await servedBy(() => readsOf(() => void Pairing.get("pairing-at-a", f.sim.ids.pairingId)));
    expect(atA.b, "requests to site B").to.equal(0);
    expect(atA.result["pairing-at-a"]!.props.remoteVcGuid).to.equal(f.sim.ids.remoteVcGuid);
    expect(atA.result["pairing-at-a"]!.props.site).to.equal(undefined);
  });

  it("RecoveryStepCallout.get and RecoveryPlanCallouts.get read site B's steps at site B", async () => {
    const step = await f.rec(
      f.host.create(f.host.urn(TYPES.RecoveryStepCallout, "made-at-b"), {
        __provider: await serializedProvider("RecoveryStepCallout"),
        resourceName: "made-at-b",
        site: "siteB",
        pairingId: f.sim.ids.pairingId,
        planId,
        anchor: "AT_END",
        index: 0,
        name: "Call the DR bridge",
        content: "Call the DR bridge, then continue.",
        calloutType: "PROMPT",
        timeoutSeconds: 0,
        taskTimeoutSeconds: 60,
      }),
    );
    ids.set("step-at-b", step.id).set("runbook-at-b", `${f.sim.ids.pairingId}/${planId}`);
    const read = await servedBy(() =>
      readsOf(() => {
        RecoveryStepCallout.get("step-at-b", step.id, { site: "siteB" });
        RecoveryPlanCallouts.get("runbook-at-b", `${f.sim.ids.pairingId}/${planId}`, { site: "siteB" });
      }),
    );
    expect(read.a, "requests to site A").to.equal(0);
    expect(read.b).to.be.greaterThan(0);
    expect(read.result["step-at-b"]!.id).to.equal(step.id);
    expect(read.result["step-at-b"]!.props).to.include({
      site: "siteB",
      name: "Call the DR bridge",
      anchor: "AT_END",
      index: 0,
    });
    const runbook = read.result["runbook-at-b"]!;
    expect(runbook.id).to.equal(`${f.sim.ids.pairingId}/${planId}`);
    expect(runbook.props.site).to.equal("siteB");
    expect(Object.keys(runbook.props.stepIds as object)).to.deep.equal(["Call the DR bridge"]);
  });

  it("a get naming a site that is not configured fails naming the config to set", async () => {
    ids.set("pairing-at-c", f.sim.ids.pairingId);
    const failed = await readsOf(
      () => void Pairing.get("pairing-at-c", f.sim.ids.pairingId, { site: "siteC" }),
    )
      .then(() => undefined)
      .catch((e: unknown) => e as Error);
    expect(failed, "the read at an unknown site").to.be.instanceOf(Error);
    expect(failed!.message).to.include("siteC").and.include("srm:sites");
  });

  it("no password in any response, error or host output", () => f.expectNoLeaks());
});
