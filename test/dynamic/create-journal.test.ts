// The create journal on disk: records found by scope and type, and records in the layout of earlier releases
// still read, carried over and removed.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { CreateJournal, JOURNAL_DIR_ENV, recordsIn } from "../../provider/dynamic/create-journal.js";

const SCOPE = "https://srm.example/api/rest/srm/v2|pairing-1|plan-1";
const OTHER_SCOPE = "https://srm.example/api/rest/srm/v2|pairing-1|plan-2";
const key = (type: string, name: string) => `proj/dev/srm:${type}/${name}`;

describe("dynamic: the create journal", () => {
  let dir: string;
  let saved: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-journal-"));
    saved = process.env[JOURNAL_DIR_ENV];
    process.env[JOURNAL_DIR_ENV] = dir;
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[JOURNAL_DIR_ENV];
    else process.env[JOURNAL_DIR_ENV] = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A record where releases before the per-scope layout kept it: the key's digest at the journal's top. */
  const writeLegacy = (k: string, scope: string, created: string[]) => {
    const file = path.join(dir, `${createHash("sha256").update(k).digest("hex").slice(0, 40)}.json`);
    fs.writeFileSync(file, `${JSON.stringify({ key: k, scope, created })}\n`);
    return file;
  };

  it("lists the records of a scope, of one resource type when asked", () => {
    for (const n of ["a", "b", "c"]) new CreateJournal(key("RecoveryStepCallout", n), SCOPE).made(n);
    new CreateJournal(key("RecoveryPlanCallouts", "runbook"), SCOPE).set(["10", "11"]);
    new CreateJournal(key("RecoveryStepCallout", "elsewhere"), OTHER_SCOPE).made("20");
    expect(
      recordsIn(SCOPE)
        .map((r) => r.key)
        .sort(),
    ).to.deep.equal([
      key("RecoveryPlanCallouts", "runbook"),
      key("RecoveryStepCallout", "a"),
      key("RecoveryStepCallout", "b"),
      key("RecoveryStepCallout", "c"),
    ]);
    expect(recordsIn(SCOPE, "RecoveryPlanCallouts")).to.deep.equal([
      { key: key("RecoveryPlanCallouts", "runbook"), scope: SCOPE, created: ["10", "11"] },
    ]);
    expect(recordsIn(OTHER_SCOPE, "RecoveryPlanCallouts")).to.deep.equal([]);
  });

  it("reads a record an earlier release wrote, carries its ids over and removes it once the resource writes again", () => {
    const k = key("RecoveryStepCallout", "old");
    const legacy = writeLegacy(k, SCOPE, ["7"]);
    const journal = new CreateJournal(k, SCOPE);
    expect(journal.read()?.created).to.deep.equal(["7"]);
    expect(recordsIn(SCOPE, "RecoveryStepCallout").map((r) => r.created)).to.deep.equal([["7"]]);
    expect(recordsIn(SCOPE, "RecoveryPlanCallouts")).to.deep.equal([]);
    journal.made("9");
    expect(fs.existsSync(legacy)).to.equal(false);
    expect(journal.read()?.created).to.deep.equal(["7", "9"]);
    expect(recordsIn(SCOPE).map((r) => r.created)).to.deep.equal([["7", "9"]]);
    journal.remove();
    expect(journal.read()).to.equal(undefined);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });

  it("keeps an earlier release's record of another scope when the resource's record here goes", () => {
    const k = key("RecoveryStepCallout", "moved");
    const legacy = writeLegacy(k, OTHER_SCOPE, ["5"]);
    const journal = new CreateJournal(k, SCOPE);
    journal.made("6");
    journal.remove();
    expect(fs.existsSync(legacy)).to.equal(true);
    expect(new CreateJournal(k, OTHER_SCOPE).read()?.created).to.deep.equal(["5"]);
  });
});
