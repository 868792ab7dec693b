import { execFileSync } from "node:child_process";
import { expect } from "./helpers.js";

describe("client: module load", () => {
  it("is require-able without loading got or opening any handle", () => {
    const script = `
      const client = require(${JSON.stringify(require.resolve("../../provider/client/index.js"))});
      const loadedGot = Object.keys(require.cache).some((k) => /[\\\\/]got[\\\\/]/.test(k));
      const handles = process.getActiveResourcesInfo().filter((r) => r !== "TTYWrap");
      console.log(JSON.stringify({ exports: Object.keys(client).length, loadedGot, handles }));`;
    const out = JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }));
    expect(out.exports).to.be.greaterThan(10);
    expect(out.loadedGot).to.equal(false);
    expect(out.handles).to.deep.equal([]);
  });
});
