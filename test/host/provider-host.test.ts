// The host driver itself (the real dynamic-provider host over gRPC, and programs run under mocks), with a
// small file-backed dynamic resource defined here, so what the host-level tests rely on (Check's answers,
// unknowns passed through, secret inputs, a provider's error reaching the caller) is pinned independently of
// the SRM resources.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { ProviderHost, UNKNOWN } from "./driver/host-process.js";
import { runProgram } from "./driver/program-runner.js";

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

describe("host driver (file-backed test resource)", function () {
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

  it("Create, Read and Delete through the host; a failing Create surfaces the provider's message", async () => {
    const run = await runProgram(program({ z: { text: "t" } }), {
      preview: true,
      onResource: async (res) => ({ id: "", outputs: res.inputs }),
    });
    const inputs = run.resources[0]!.inputs;
    const urn = host.urn("t", "z");
    const checked = (await host.check(urn, {}, inputs)).inputs;
    const made = await host.create(urn, checked);
    expect(made.id).to.equal(path.join(dir, "0-z.json"));
    expect(made.properties).to.include({ text: "t", size: 1 });
    expect((await host.read(made.id, urn, made.properties)).properties).to.include({ text: "t" });
    const err = await host.create(urn, checked).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).to.include("slot 0 of z is taken");
    await host.delete(made.id, urn, made.properties);
    expect(fs.readdirSync(dir)).to.deep.equal([]);
  });
});
