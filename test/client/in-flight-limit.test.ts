import { expect } from "chai";
import { inFlightLimit } from "../../provider/client/in-flight-limit.js";

describe("client: in-flight limit", () => {
  it("runs at most the cap at once, in arrival order, and frees a place on failure", async () => {
    const limit = inFlightLimit(2);
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const job = (i: number, fail = false) =>
      limit(async () => {
        started.push(i);
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        if (fail) throw new Error(`job ${i} failed`);
        return i;
      });
    const results = await Promise.allSettled([job(0), job(1, true), job(2), job(3), job(4)]);
    expect(peak).to.equal(2);
    expect(started).to.deep.equal([0, 1, 2, 3, 4]);
    expect(results.map((r) => r.status)).to.deep.equal([
      "fulfilled",
      "rejected",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
  });
});
