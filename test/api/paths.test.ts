// Every id lands in exactly one URL path segment, whatever it holds; ids that URL resolution would drop or
// climb out of ("", ".", "..") are refused before any request is built.
import type * as Chai from "chai" with { "resolution-mode": "import" };
import fc from "fast-check";
import { InvalidPathSegmentError, SRM_BASE_PATH, srmPaths } from "../../provider/api/index.js";

const { expect } = require("chai") as typeof Chai;

const BASE = `https://srm.example.com${SRM_BASE_PATH}/`;

/** Path segments of a built path as a client resolves it against the base URL. */
function segments(relative: string): string[] {
  const url = new URL(relative, BASE);
  expect(url.origin).to.equal("https://srm.example.com");
  expect(url.search).to.equal("");
  expect(url.hash).to.equal("");
  return url.pathname.slice(SRM_BASE_PATH.length + 1).split("/");
}

/** Ids built to escape: separators, dot segments in any encoding, query and fragment marks. */
const hostileId = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.constantFrom(
    "./a",
    "../..",
    "%2e",
    "%2e%2e",
    "%2E.",
    ".%2e",
    "a/../b",
    "?x=1",
    "#f",
    "\\..",
    "..\\",
    " ",
    "...",
    "%00",
  ),
  fc
    .array(fc.constantFrom(".", "..", "/", "\\", "%", "2e", "?", "#", ";", "a"), {
      minLength: 1,
      maxLength: 6,
    })
    .map((parts) => parts.join("")),
);

describe("api: paths", () => {
  it("keeps any id inside its own segment (2000 seeded cases)", () => {
    fc.assert(
      fc.property(hostileId, hostileId, fc.integer({ min: 0, max: 1e9 }), (a, b, step) => {
        fc.pre(![a, b].some((id) => id === "" || id === "." || id === ".."));
        const plan = segments(srmPaths.plan(a, b));
        expect(plan).to.have.length(5);
        expect(plan.map(decodeURIComponent)).to.deep.equal([
          "pairings",
          a,
          "recovery-management",
          "plans",
          b,
        ]);
        const callout = segments(srmPaths.calloutData(a, b, "test", step));
        expect(callout).to.have.length(9);
        expect(decodeURIComponent(callout[1])).to.equal(a);
        expect(decodeURIComponent(callout[4])).to.equal(b);
        expect(callout.slice(5)).to.deep.equal(["recovery-steps", "test", String(step), "callout-data"]);
        expect(segments(srmPaths.task(a)).map(decodeURIComponent)).to.deep.equal(["tasks", a]);
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });

  for (const id of ["", ".", ".."]) {
    it(`refuses the id ${JSON.stringify(id)} in every builder that takes an id`, () => {
      const builders: (() => string)[] = [
        () => srmPaths.task(id),
        () => srmPaths.pairing(id),
        () => srmPaths.remoteSession(id),
        () => srmPaths.plan("p", id),
        () => srmPaths.plan(id, "p"),
        () => srmPaths.reprotect(id, "p"),
        () => srmPaths.recoveryStep("p", "q", "test", id),
        () => srmPaths.calloutEdit("p", id, "test", 1),
        () => srmPaths.folder("p", "protection", id),
        () => srmPaths.folderRename("p", "recovery", id),
      ];
      for (const build of builders) {
        expect(build).to.throw(InvalidPathSegmentError, /cannot be used in an SRM request path/);
      }
    });
  }
});
