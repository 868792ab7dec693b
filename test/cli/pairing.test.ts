// Pairing through the real pulumi CLI: preview, up, an empty preview, destroy; an existing pairing is taken over
// only with `adopt: true`.
import { expect } from "chai";
import { Pairing } from "pulumi-srm";
import { useCliSuite, stepOps } from "./harness.js";

describe("cli: Pairing", function () {
  this.timeout(5 * 60_000);
  const suite = useCliSuite();

  it("creates with up, previews no change, and unpairs with destroy", async () => {
    const spare = suite.sim.inventory.remoteSites.find((s) => s.vcGuid === suite.sim.ids.spareRemoteVcGuid)!;
    const stack = await suite.stack({
      program: () => {
        const p = new Pairing("site-c", {
          remoteVcGuid: spare.vcGuid,
          pscUrl: spare.pscUrl,
          pscThumbprint: spare.pscThumbprint || undefined,
          pscUsername: spare.username,
          pscPassword: spare.password,
        });
        return { pairingId: p.pairingId };
      },
    });
    const preview = await stack.preview();
    expect(preview.changeSummary).to.deep.include({ create: 2 });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    const pairingId = up.outputs.pairingId.value as string;
    expect(suite.sim.model.listPairings().map((p) => p.id)).to.include(pairingId);
    const again = await stack.preview();
    expect(again.changeSummary).to.deep.equal({ same: 2 });
    await stack.destroy();
    expect(stepOps(stack.events)).to.deep.equal({ "site-c": "delete" });
    expect(suite.sim.model.listPairings().map((p) => p.id)).to.not.include(pairingId);
  });

  it("refuses to take over an existing pairing until the program sets adopt: true", async () => {
    const b = suite.sim.inventory.remoteSites.find((s) => s.vcGuid === suite.sim.ids.remoteVcGuid)!;
    let adopt = false;
    const taken = await suite.stack({
      stackName: "adopt",
      program: () => {
        new Pairing(
          "site-b",
          {
            adopt,
            remoteVcGuid: b.vcGuid,
            pscUrl: b.pscUrl,
            pscUsername: b.username,
            pscPassword: b.password,
          },
          // Kept on destroy: the simulator's other tests use this pairing.
          { retainOnDelete: true },
        );
      },
    });
    try {
      const refused = await taken.up().then(
        () => "",
        (e: Error) => e.message,
      );
      expect(refused).to.include(suite.sim.ids.pairingId).and.include("adopt: true");
      expect(taken.resources("Pairing")).to.have.length(0);
      adopt = true;
      expect((await taken.up()).summary.result).to.equal("succeeded");
      expect(taken.resources("Pairing")[0]?.outputs).to.include({
        adopted: true,
        pairingId: suite.sim.ids.pairingId,
      });
      await taken.destroy();
      expect(suite.sim.model.listPairings().map((p) => p.id)).to.include(suite.sim.ids.pairingId);
    } finally {
      taken.dispose();
    }
  });
});
