// `pulumi up --replace` and `--target-replace` skip the provider's Diff, so the engine asks nothing before
// it creates the replacement. A Pairing or a callout created beside its original would adopt the original's
// SRM object, which the original's delete then removes; they default deleteBeforeReplace instead.
import { expect } from "chai";
import { Pairing, RecoveryStepCallout } from "pulumi-srm";
import { useCliSuite, stepOpLists } from "./harness.js";

describe("cli: --replace and --target-replace", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  const calloutsInSrm = () =>
    suite.sim.model
      .stepsOf(suite.sim.ids.plans["Tier1-Apps"]!, "test")
      .filter((s) => s.callout?.name === "Confirm the test network")
      .map((s) => s.id);

  it("up --replace of a Pairing and --target-replace of a callout leave each in SRM, with state pointing at it", async () => {
    const spare = suite.sim.inventory.remoteSites.find((s) => s.vcGuid === suite.sim.ids.spareRemoteVcGuid)!;
    const stack = await suite.stack({
      program: () => {
        new Pairing("site-c", {
          remoteVcGuid: spare.vcGuid,
          pscUrl: spare.pscUrl,
          pscThumbprint: spare.pscThumbprint || undefined,
          pscUsername: spare.username,
          pscPassword: spare.password,
        });
        new RecoveryStepCallout("confirm-network", {
          pairingId: suite.sim.ids.pairingId,
          planId: suite.sim.ids.plans["Tier1-Apps"]!,
          anchor: "BEFORE_RECOVER_PRIORITY_1_VMS",
          index: 0,
          name: "Confirm the test network",
          content: "Is the isolated test network up?",
          calloutType: "PROMPT",
        });
      },
    });
    await stack.up();
    const pairingUrn = stack.urn("Pairing", "site-c");
    const calloutUrn = stack.urn("RecoveryStepCallout", "confirm-network");

    await stack.up({ replace: [pairingUrn] });
    // Deleted first, then created: the replacement cannot adopt the pairing that is about to go.
    expect(stepOpLists(stack.events)["site-c"]).to.deep.equal([
      "delete-replaced",
      "replace",
      "create-replacement",
    ]);
    const pairingId = stack.resources("Pairing")[0]!.id!;
    const remote = suite.sim.model.listPairings().filter((p) => p.remoteVc.id === spare.vcGuid);
    expect(remote.map((p) => p.id)).to.deep.equal([pairingId]);

    // --target-replace: replace and target the same resource.
    await stack.up({ replace: [calloutUrn], target: [calloutUrn] });
    expect(stepOpLists(stack.events)).to.deep.include({
      "confirm-network": ["delete-replaced", "replace", "create-replacement"],
    });
    const state = stack.resources("RecoveryStepCallout")[0]!;
    const stepIds = calloutsInSrm();
    expect(stepIds).to.have.length(1);
    expect(state.id).to.match(new RegExp(`/${stepIds[0]}$`));
    expect(state.outputs?.adopted).to.equal(false);

    const again = await stack.preview();
    expect(again.changeSummary).to.deep.equal({ same: 3 });
    await stack.destroy();
    expect(calloutsInSrm()).to.deep.equal([]);
    expect(suite.sim.model.listPairings().filter((p) => p.remoteVc.id === spare.vcGuid)).to.deep.equal([]);
  });
});
