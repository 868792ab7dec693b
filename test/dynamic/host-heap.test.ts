// The provider host's heap: the registry's configure (the host's first call) keeps the old generation near its
// live size, in a process that is the host and in no other. Each case runs a child process that loads the
// registry from a folder laid out as the host's entry point (`cmd/dynamic-provider/index.js`) or as a program,
// then churns objects that live long enough to be promoted and die, and reports the old space's peak size.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";

const REGISTRY = path.resolve(__dirname, "../../provider/dynamic/registry.js");

/** The child: configure (or not), then a ring of objects, each outliving many scavenges before it dies. */
const CHILD = `
const v8 = require("node:v8"), vm = require("node:vm");
const { providers } = require(${JSON.stringify(REGISTRY)});
const oldSpace = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === "old_space").space_size;
const configure = process.argv[2] === "configure";
if (configure) void providers.v1.configure({ kind: "pairing" }, { config: { get: () => undefined } });
const ring = new Array(50000);
let peak = 0;
for (let i = 0; i < 2000000; i++) {
  ring[i % ring.length] = { text: "payload-" + i, values: [i, i, i, i], inner: { i } };
  if (i % 1000 === 0) peak = Math.max(peak, oldSpace());
}
process.stdout.write(JSON.stringify({
  peakMb: peak / 2 ** 20,
  live: ring.length,
  gcExposed: typeof globalThis.gc,
  gcInNewContext: vm.runInNewContext("typeof gc"),
}));
`;

interface ChildReport {
  peakMb: number;
  live: number;
  gcExposed: string;
  gcInNewContext: string;
}

describe("dynamic: the provider host's heap", function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-host-heap-"));
    for (const entry of ["cmd/dynamic-provider/index.js", "program/index.js"]) {
      fs.mkdirSync(path.dirname(path.join(dir, entry)), { recursive: true });
      fs.writeFileSync(path.join(dir, entry), CHILD);
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const run = (entry: string, ...args: string[]): ChildReport =>
    JSON.parse(
      execFileSync(process.execPath, [path.join(dir, entry), ...args], {
        encoding: "utf8",
        env: { ...process.env, NODE_OPTIONS: "" },
      }),
    ) as ChildReport;

  it("keeps the host's old generation far below where V8's own growth takes it, without exposing gc", () => {
    const untouched = run("cmd/dynamic-provider/index.js");
    const configured = run("cmd/dynamic-provider/index.js", "configure");
    expect(configured.live).to.equal(untouched.live);
    expect(
      configured.peakMb,
      `old space peak ${configured.peakMb.toFixed(1)} MB configured, ${untouched.peakMb.toFixed(1)} MB not`,
    ).to.be.below(untouched.peakMb * 0.6);
    expect(configured.gcExposed).to.equal("undefined");
    expect(configured.gcInNewContext).to.equal("undefined");
  });

  it("changes nothing in a process that is not the host (a program declaring resources)", () => {
    const untouched = run("program/index.js");
    const configured = run("program/index.js", "configure");
    // V8's own peak differs by a quarter between two runs of the same process on a loaded machine (141 against
    // 190 MB seen on Node 22); the host's setting takes it below 0.6 of the untouched peak (test above).
    expect(
      configured.peakMb,
      `old space peak ${configured.peakMb.toFixed(1)} MB configured, ${untouched.peakMb.toFixed(1)} MB not`,
    ).to.be.above(untouched.peakMb * 0.6);
  });
});
