// Static get and isInstance through the real pulumi CLI: an existing pairing read into a stack by id, left
// untouched by destroy.
import { expect } from "chai";
import { Pairing, RecoveryStepCallout } from "pulumi-srm";
import { useCliSuite } from "./harness.js";

describe("cli: Pairing.get and isInstance", function () {
  this.timeout(5 * 60_000);
  const suite = useCliSuite();

  it("reads an existing pairing by id, and destroy leaves it paired", async () => {
    const stack = await suite.stack({
      program: () => {
        const p = Pairing.get("site-b", suite.sim.ids.pairingId);
        return {
          remoteVcGuid: p.remoteVcGuid,
          remoteVcName: p.remoteVcName,
          isPairing: Pairing.isInstance(p),
          isCallout: RecoveryStepCallout.isInstance(p),
        };
      },
    });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.outputs.remoteVcGuid!.value).to.equal(suite.sim.ids.remoteVcGuid);
    expect(up.outputs.remoteVcName!.value).to.equal("vc-b.example.local");
    expect(up.outputs.isPairing!.value).to.equal(true);
    expect(up.outputs.isCallout!.value).to.equal(false);
    const state = stack.resources("Pairing");
    expect(state.map((r) => [r.id, (r as { external?: boolean }).external])).to.deep.equal([
      [suite.sim.ids.pairingId, true],
    ]);
    await stack.destroy();
    expect(
      suite.sim.model.pairingTo(suite.sim.ids.remoteVcGuid)?.id ??
        suite.sim.model.pairingTo(suite.sim.ids.remoteVcGuid),
    ).to.not.equal(undefined);
  });
});
