// Both DR sites from one stack through the real pulumi CLI: srm:sites set with `pulumi config set --path
// --secret`, mappings made at site A's and at site B's SRM server, a reprotect run at site B whose remote
// login is site A's own login, each site trusted by its own certificate; nothing secret in state or output.
import { expect } from "chai";
import {
  getInventoryObject,
  getInventoryObjectOutput,
  getPairing,
  InventoryMapping,
  Pairing,
  RecoveryStepCallout,
  Reprotect,
} from "pulumi-srm";
import { CliStack, useCliSuite } from "./harness.js";

describe("cli: both DR sites from one stack (srm:sites)", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite({ serveRemoteSite: true, taskQueuedMs: 5, taskDurationMs: 20 });
  let stack: CliStack | undefined;

  it("creates objects at both sites, runs a reprotect with the other site's login, keeps every secret out", async () => {
    const remote = suite.sim.remote!;
    const pairingId = suite.sim.ids.pairingId;
    const planId = suite.sim.ids.plans.Finance;
    // A step made outside the stack (in site B's SRM UI), which the stack reads by id at site B.
    const otherPlan = suite.sim.ids.plans["Tier2-DB"]!;
    const madeAtB = suite.sim.model.insertCalloutAt(otherPlan, "AT_END", 0, {
      name: "Call the DR bridge",
      content: "Call the DR bridge, then continue.",
      callout_type: "PROMPT",
      timeout_seconds: 0,
    });
    const stepResourceId = `${pairingId}/${otherPlan}/recovery/${madeAtB.id}`;
    stack = await CliStack.create({
      program: async () => {
        // Looked up at site B: its own pairing to site A (the same pairing, B as the local side).
        const atB = await getPairing({ remoteVcGuid: suite.sim.ids.localVcGuid, site: "siteB" });
        const objectAt = (site: string, kind: "folder" | "network", path: string) =>
          getInventoryObject({ pairingId: atB.pairingId, site, kind, path }).then((o) => o.id);
        const mapA = new InventoryMapping("network-a-to-b", {
          site: "siteA",
          pairingId,
          kind: "network",
          sourceId: await objectAt("siteA", "network", "/DC-A/network/PG-App-A"),
          targetId: getInventoryObjectOutput({
            pairingId,
            site: "siteA",
            side: "remote",
            kind: "network",
            path: "/DC-B/network/PG-App-B",
          }).id,
        });
        const mapB = new InventoryMapping("folder-b-to-a", {
          site: "siteB",
          pairingId: atB.pairingId,
          kind: "folder",
          sourceId: await objectAt("siteB", "folder", "/DC-B/vm/Apps"),
          // Invoke output options: the lookup waits for site A's mapping.
          targetId: getInventoryObjectOutput(
            { pairingId, site: "siteB", side: "remote", kind: "folder", path: "/DC-A/vm/Apps" },
            { dependsOn: [mapA] },
          ).id,
        });
        const reprotect = new Reprotect(
          "finance-reprotect-at-b",
          { site: "siteB", pairingId, planId },
          { dependsOn: [mapB] },
        );
        // Read by id at site B: B's view of the pairing (A is its remote side), and the step.
        const pairingAtB = Pairing.get("pairing-at-b", pairingId, { site: "siteB" });
        const stepAtB = RecoveryStepCallout.get("step-at-b", stepResourceId, { site: "siteB" });
        return {
          localAtB: atB.localVcGuid,
          planStatus: reprotect.planStatus,
          mapBSite: mapB.site,
          pairingAtBRemote: pairingAtB.remoteVcGuid,
          stepAtB: stepAtB.name,
          stepAtBSite: stepAtB.site,
        };
      },
    });
    // Structured config as users set it, passwords as secrets (`pulumi config set --path --secret`). No
    // srm:host and no srm:remote* at all.
    const setSecret = (path: string, value: string) =>
      stack!.cli(["config", "set", "--path", "--secret", path, value, "--stack", "test"]);
    setSecret("srm:sites.siteA.password", suite.sim.credentials.password);
    setSecret("srm:sites.siteB.password", remote.credentials.password);
    await stack.stack.setAllConfig(
      {
        "srm:sites.siteA.host": { value: suite.sim.url },
        "srm:sites.siteA.username": { value: suite.sim.credentials.username },
        "srm:sites.siteA.thumbprint": { value: suite.sim.thumbprintSha256 },
        "srm:sites.siteB.host": { value: remote.url },
        "srm:sites.siteB.username": { value: remote.credentials.username },
        "srm:sites.siteB.thumbprint": { value: remote.thumbprintSha256 },
      },
      true,
    );
    expect(stack.cli(["config", "--stack", "test"]))
      .to.include("srm:sites")
      .and.not.include(remote.credentials.password);

    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.localAtB.value).to.equal(suite.sim.ids.remoteVcGuid);
    expect(up.outputs.mapBSite.value).to.equal("siteB");
    expect(up.outputs.pairingAtBRemote.value).to.equal(suite.sim.ids.localVcGuid);
    expect(up.outputs.stepAtB.value).to.equal("Call the DR bridge");
    expect(up.outputs.stepAtBSite.value).to.equal("siteB");
    expect(
      remote.requests.some((r) => r.route.startsWith("GET ") && r.route.includes("recovery-steps")),
      "site B listed the plan's steps",
    ).to.equal(true);
    const pairing = suite.sim.model.pairings.get(pairingId)!;
    const at = (srm: string, kind: string) =>
      [...suite.sim.model.mappings.mappings.values()].filter((m) => m.srmId === srm && m.kind === kind);
    expect(at(pairing.localSrm.id, "networks").map((m) => m.primary)).to.deep.equal(["dvportgroup-1021"]);
    expect(at(pairing.remoteSrm.id, "folders").map((m) => [m.primary, m.secondary])).to.deep.equal([
      ["group-v2010", "group-v1010"],
    ]);
    // Site B's server answered the reprotect; its remote-session call succeeded only with site A's login.
    expect(suite.sim.model.plans.get(planId)!.status).to.equal("READY_STATE");
    expect(
      remote.requests.filter((r) => r.route.endsWith("/actions/reprotect")).map((r) => r.status),
    ).to.deep.equal([202]);
    expect(
      remote.requests
        .filter((r) => r.route === "POST /pairings/{pairing_id}/remote-session")
        .map((r) => r.status),
    ).to.include(204);
    expect(suite.sim.requests.some((r) => r.route.endsWith("/actions/reprotect"))).to.equal(false);
    const sites = stack.resources("InventoryMapping").map((r) => r.outputs?.site);
    expect(sites.sort()).to.deep.equal(["siteA", "siteB"]);

    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 4 });
    await stack.destroy();
    expect([...suite.sim.model.mappings.mappings.values()]).to.deep.equal([]);
    // What the stack only read stays in SRM.
    expect(suite.sim.model.findStep(otherPlan, "recovery", madeAtB.id)?.callout?.name).to.equal(
      "Call the DR bridge",
    );

    // A site without its host: the preview names the config path to set.
    stack.cli(["config", "rm", "--path", "srm:sites.siteB.host", "--stack", "test"]);
    const failed = await stack.preview().then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(failed, "preview without srm:sites.siteB.host").to.be.instanceOf(Error);
    expect(stack.log.text).to.include("srm:sites.siteB.host is not set");

    const secrets = [suite.sim.credentials.password, remote.credentials.password];
    const everything = [stack.backendText(), JSON.stringify(stack.exportState()), stack.log.text];
    for (const text of everything) for (const s of secrets) expect(text).to.not.include(s);
  });
});
