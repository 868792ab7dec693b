// Progress of a long SRM task reaches the host's output, which the Pulumi engine shows to the user;
// short tasks stay quiet.
import { expect } from "chai";
import { serializedProvider, startHostFixture, TYPES, type HostFixture } from "./helpers.js";

describe("host: progress of long tasks", function () {
  this.timeout(30_000);
  let f: HostFixture;
  let provider: string;

  before(async () => {
    f = await startHostFixture();
    provider = await serializedProvider("Reprotect");
  });
  after(async () => f?.close());

  async function reprotect(name: string, planName: string): Promise<string> {
    const urn = f.host.urn(TYPES.Reprotect, name);
    const news = {
      __provider: provider,
      resourceName: name,
      pairingId: f.sim.ids.pairingId,
      planId: f.sim.ids.plans[planName]!,
    };
    const checked = await f.host.check(urn, {}, news);
    return (await f.rec(f.host.create(urn, checked.inputs))).id;
  }

  it("stays quiet for a task that finishes quickly", async () => {
    const before = f.host.output();
    await reprotect("quick", "Finance");
    expect(f.host.output().slice(before.length)).to.not.match(/srm: Reprotect "quick"/);
  });

  it("prints status lines for a task that runs for seconds, ending with its final status", async () => {
    f.sim.model.setPlanStatus(f.sim.ids.plans.Finance!, "RECOVERY_COMPLETE");
    f.sim.faults.set({ taskDurationMs: 3_500 });
    const before = f.host.output();
    const taskId = await reprotect("slow", "Finance");
    const lines = f.host
      .output()
      .slice(before.length)
      .split("\n")
      .filter((l) => l.includes('srm: Reprotect "slow"'));
    expect(lines.length, "progress lines on the host's output").to.be.greaterThan(0);
    expect(lines.every((l) => l.includes(`task ${taskId}`))).to.equal(true);
    expect(lines.at(-1)).to.match(/SUCCESS/);
    f.expectNoLeaks();
  });
});
