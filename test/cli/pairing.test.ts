// Pairing through the real pulumi CLI: preview, up, an empty preview, destroy.
import { expect } from "chai";
import { Pairing } from "pulumi-srm";
import { startSimulator, type Simulator } from "pulumi-srm-simulator";
import { CliStack, requireCli, stepOps } from "./harness.js";

describe("cli: Pairing", function () {
  this.timeout(5 * 60_000);
  let sim: Simulator;
  let stack: CliStack | undefined;

  before(async function () {
    requireCli(this);
    sim = await startSimulator();
  });
  after(async () => {
    stack?.dispose();
    await sim?.close();
  });

  it("creates with up, previews no change, and unpairs with destroy", async () => {
    const spare = sim.inventory.remoteSites.find((s) => s.vcGuid === sim.ids.spareRemoteVcGuid)!;
    stack = await CliStack.create({
      sim,
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
    expect(sim.model.listPairings().map((p) => p.id)).to.include(pairingId);
    const again = await stack.preview();
    expect(again.changeSummary).to.deep.equal({ same: 2 });
    await stack.destroy();
    expect(stepOps(stack.events)).to.deep.equal({ "site-c": "delete" });
    expect(sim.model.listPairings().map((p) => p.id)).to.not.include(pairingId);
  });
});
