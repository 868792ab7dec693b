// The local engine and host harness themselves, with a small file-backed dynamic resource defined
// here, so their semantics (plan lines, update vs replace, delete-before-replace, removal, refresh,
// secret handling) are pinned independently of the SRM resources.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ProviderHost, UNKNOWN } from "../../examples/local-engine/host-process.js";
import { LocalEngine, SECRET_PLACEHOLDER } from "../../examples/local-engine/engine.js";
import { runProgram } from "../../examples/local-engine/program-runner.js";

const NOTE_PASSWORD = "Note-Harness-Pw-7781!";

interface NoteProps {
  dir: string;
  key: string;
  text: string;
  slot: number;
  rev?: number;
}

/**
 * Stores `{text}` in `<dir>/<slot>-<key>[-r<rev>].json`; `slot` changes replace (delete first), `rev` changes
 * replace (create first), `text` updates.
 */
const noteProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: unknown, news: NoteProps) {
    const failures =
      typeof news.text === "string" ? [] : [{ property: "text", reason: "text must be a string" }];
    return { inputs: { ...news, slot: news.slot ?? 0 }, failures };
  },
  async diff(_id: string, olds: NoteProps, news: NoteProps) {
    const replaces = [
      ...(olds.slot !== news.slot ? ["slot"] : []),
      ...((olds.rev ?? 0) !== (news.rev ?? 0) ? ["rev"] : []),
    ];
    const changes = replaces.length > 0 || olds.text !== news.text;
    return { changes, replaces, deleteBeforeReplace: replaces.includes("slot") };
  },
  async create(inputs: NoteProps) {
    const file = require("path").join(
      inputs.dir,
      `${inputs.slot}-${inputs.key}${inputs.rev ? `-r${inputs.rev}` : ""}.json`,
    );
    if (require("fs").existsSync(file)) throw new Error(`slot ${inputs.slot} of ${inputs.key} is taken`);
    require("fs").writeFileSync(file, JSON.stringify({ text: inputs.text }));
    process.stderr.write(`note: created ${file}\n`);
    return {
      id: file,
      // Outputs must not hold `undefined`: the host's Struct conversion rejects it.
      outs: {
        dir: inputs.dir,
        key: inputs.key,
        slot: inputs.slot,
        rev: inputs.rev ?? 0,
        text: inputs.text,
        size: 1,
      },
    };
  },
  async read(id: string, props: NoteProps) {
    if (!require("fs").existsSync(id)) return {};
    const { text } = JSON.parse(require("fs").readFileSync(id, "utf8"));
    return { id, props: { ...props, text } };
  },
  async update(id: string, _olds: unknown, news: NoteProps) {
    require("fs").writeFileSync(id, JSON.stringify({ text: news.text }));
    return {
      outs: { dir: news.dir, key: news.key, slot: news.slot, rev: news.rev ?? 0, text: news.text, size: 2 },
    };
  },
  async delete(id: string) {
    require("fs").rmSync(id, { force: true });
  },
};

class Note extends pulumi.dynamic.Resource {
  declare readonly text: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;
  constructor(
    name: string,
    args: {
      dir: string;
      key: string;
      text: pulumi.Input<string>;
      slot?: number;
      rev?: number;
      password?: pulumi.Input<string>;
    },
  ) {
    super(noteProvider, name, { size: undefined, ...args }, {}, "test", "Note");
  }
}

describe("local engine and host harness (file-backed test resource)", function () {
  let host: ProviderHost;
  let dir: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-engine-"));
    host = await ProviderHost.start({ projectDir: process.cwd() });
  });
  after(async () => {
    await host?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const program = (texts: Record<string, { text: string; slot?: number; rev?: number }>) => () => {
    const notes = Object.entries(texts).map(
      ([key, t]) =>
        new Note(key, {
          dir,
          key,
          text: t.text,
          slot: t.slot,
          rev: t.rev,
          password: pulumi.secret(NOTE_PASSWORD),
        }),
    );
    return { texts: notes.map((n) => n.text), sizes: notes.map((n) => n.size) };
  };

  it("the host prints its port and answers Check with the checked inputs and field failures", async () => {
    expect(host.port).to.be.greaterThan(0);
    const run = await runProgram(program({ a: { text: "x" } }), {
      preview: true,
      onResource: async (res) => ({ id: "", outputs: res.inputs }),
    });
    const provider = run.resources[0]!.inputs.__provider as string;
    expect(provider).to.be.a("string").and.not.include(NOTE_PASSWORD);
    await host.configure({ "srm:unused": "1" });
    const ok = await host.check(host.urn("t", "a"), {}, { __provider: provider, text: "x" });
    expect(ok.failures).to.deep.equal([]);
    expect(ok.inputs).to.include({ text: "x", slot: 0, __provider: provider });
    const bad = await host.check(host.urn("t", "a"), {}, { __provider: provider, text: 5 });
    expect(bad.failures).to.deep.equal([{ property: "text", reason: "text must be a string" }]);
    const unknown = await host.check(host.urn("t", "a"), {}, { __provider: provider, text: UNKNOWN });
    expect(unknown.inputs.text).to.equal(UNKNOWN);
  });

  it("the program runner reports type, inputs, secret inputs and an unsecret __provider", async () => {
    const run = await runProgram(program({ a: { text: "x" } }), {
      onResource: async (res) => ({ id: "id-1", outputs: { ...res.inputs, size: 3 } }),
    });
    const [res] = run.resources;
    expect(res!.type).to.equal("pulumi-nodejs:dynamic/test:Note");
    expect(res!.secretInputs).to.deep.equal(["password"]);
    expect(res!.providerIsSecret).to.equal(false);
    expect(run.exports.sizes).to.deep.equal({ value: [3], known: true, secret: false });
  });

  it("preview, up, edited preview/up (update + replace + delete), refresh and destroy", async () => {
    const statePath = path.join(dir, "state.json");
    const lines: string[] = [];
    const engine = () => new LocalEngine({ host, statePath, config: {}, log: (l) => lines.push(l) });

    const v1 = program({ a: { text: "one" }, b: { text: "two" }, c: { text: "three" } });
    const preview = await engine().preview(v1);
    expect(preview.summary).to.include({ create: 3 });
    expect(fs.readdirSync(dir)).to.deep.equal([]);
    expect(preview.exports.sizes!.known).to.equal(false);

    const up = await engine().up(v1);
    expect(up.summary).to.include({ create: 3 });
    expect(up.exports.sizes!.value).to.deep.equal([1, 1, 1]);
    expect(host.stderrLines.some((l) => l.startsWith("note: created"))).to.equal(true);

    const v2 = program({ a: { text: "ONE" }, b: { text: "two", slot: 1 } });
    const edited = await engine().preview(v2);
    expect(edited.steps.map((s) => [s.op, s.name, s.fields])).to.deep.equal([
      ["update", "a", ["text"]],
      ["replace", "b", ["slot"]],
      ["delete", "c", []],
    ]);
    expect(edited.steps[1]!.deleteBeforeReplace).to.equal(true);
    expect(lines.some((l) => l.includes('text: "one" => "ONE"'))).to.equal(true);

    const up2 = await engine().up(v2);
    expect(up2.summary).to.include({ update: 1, replace: 1, delete: 1 });
    expect(fs.readdirSync(dir).sort()).to.deep.equal(["0-a.json", "1-b.json", "state.json"]);
    expect((await engine().preview(v2)).summary).to.include({ same: 2 });

    // A replacement that creates first and deletes the old object at the end.
    const v3 = program({ a: { text: "ONE", rev: 1 }, b: { text: "two", slot: 1 } });
    const up3 = await engine().up(v3);
    expect(
      up3.steps.filter((s) => s.op === "replace").map((s) => [s.name, s.deleteBeforeReplace]),
    ).to.deep.equal([["a", false]]);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(["0-a-r1.json", "1-b.json", "state.json"]);
    expect(engine().readState().pendingDeletes).to.deep.equal([]);

    expect((await engine().refresh()).map((r) => r.status)).to.deep.equal(["in-sync", "in-sync"]);
    fs.writeFileSync(path.join(dir, "0-a-r1.json"), JSON.stringify({ text: "changed by hand" }));
    fs.rmSync(path.join(dir, "1-b.json"));
    const drift = await engine().refresh();
    expect(drift.map((r) => [r.name, r.status, r.fields])).to.have.deep.members([
      ["a", "drifted", ["text"]],
      ["b", "gone", []],
    ]);

    const state = fs.readFileSync(statePath, "utf8");
    expect(state).to.include(SECRET_PLACEHOLDER).and.not.include(NOTE_PASSWORD);
    expect(lines.join("\n")).to.not.include(NOTE_PASSWORD);

    await engine().destroy();
    expect(fs.readdirSync(dir)).to.deep.equal(["state.json"]);
    expect(JSON.parse(fs.readFileSync(statePath, "utf8")).resources).to.deep.equal([]);
  });

  it("a write of the state file that fails midway (disk full) leaves the previous state whole", async () => {
    const statePath = path.join(dir, "state-atomic.json");
    const engine = () => new LocalEngine({ host, statePath, config: {} });
    await engine().up(program({ a: { text: "one" } }));
    const before = fs.readFileSync(statePath, "utf8");
    const nodeFs = require("node:fs") as typeof fs;
    const original = nodeFs.writeFileSync;
    // The disk fills up halfway through any write into the state's folder.
    nodeFs.writeFileSync = ((file: fs.PathOrFileDescriptor, data: string, ...rest: unknown[]) => {
      if (typeof file === "string" && file.startsWith(statePath)) {
        original(file, String(data).slice(0, 10));
        throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
      }
      return (original as (...a: unknown[]) => void)(file, data, ...rest);
    }) as typeof fs.writeFileSync;
    let err: Error | undefined;
    try {
      await engine().up(program({ a: { text: "one" }, b: { text: "two" } }));
    } catch (e) {
      err = e as Error;
    } finally {
      nodeFs.writeFileSync = original;
    }
    expect(err?.message).to.include("ENOSPC");
    expect(fs.readFileSync(statePath, "utf8")).to.equal(before);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith(".tmp"))).to.deep.equal([]);
    await engine().destroy();
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
  });

  it("a failing Create surfaces the provider's message", async () => {
    fs.writeFileSync(path.join(dir, "0-z.json"), "{}");
    const statePath = path.join(dir, "state-fail.json");
    const err = await new LocalEngine({ host, statePath, config: {} }).up(program({ z: { text: "t" } })).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.include("slot 0 of z is taken");
    fs.rmSync(path.join(dir, "0-z.json"));
  });
});
