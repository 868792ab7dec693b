// The Resource classes as a program uses them: type tokens, the serialized provider they register, secret
// marking of password inputs and derived outputs. Runs in a child process because setMocks is process-wide.
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { expect } from "./helpers.js";
import { PASSWORDS } from "./register-resources.js";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

interface Registered {
  type: string;
  name: string;
  additionalSecretOutputs: string[];
  object: Record<string, unknown>;
}

describe("resources: Resource classes", () => {
  let registered: Registered[];
  let isInstance: Record<string, boolean>;

  before(function () {
    this.timeout(60_000);
    const out = execFileSync(process.execPath, [path.join(__dirname, "register-resources.js")], {
      cwd: path.resolve(__dirname, "../../.."),
      encoding: "utf8",
    });
    const parsed = JSON.parse(out.trim().split("\n").pop() ?? "{}");
    registered = parsed.captured;
    isInstance = parsed.isInstance;
  });

  const byName = (name: string) => {
    const r = registered.find((x) => x.name === name);
    if (!r) throw new Error(`${name} was not registered`);
    return r;
  };
  const isSecretValue = (v: unknown) =>
    typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;

  it("registers the type tokens pulumi-nodejs:dynamic/srm:<Name>", () => {
    expect(registered.map((r) => r.type).sort()).to.deep.equal([
      "pulumi-nodejs:dynamic/srm:ApplianceReconciliation",
      "pulumi-nodejs:dynamic/srm:Pairing",
      "pulumi-nodejs:dynamic/srm:RecoveryPlanCallouts",
      "pulumi-nodejs:dynamic/srm:RecoveryStepCallout",
      "pulumi-nodejs:dynamic/srm:Reprotect",
    ]);
  });

  // The engine applies additionalSecretOutputs (the mock monitor does not), so the request is what is checked.
  it("sends password inputs as secrets and asks for derived outputs to be secret", () => {
    expect(isSecretValue(byName("dr-b").object.pscPassword)).to.equal(true);
    expect(isSecretValue(byName("vc-a").object.ssoAdminPassword)).to.equal(true);
    expect(isSecretValue(byName("vc-a").object.appliancePassword)).to.equal(true);
    expect(byName("dr-b").additionalSecretOutputs).to.include.members(["pscPassword", "pscPasswordDigest"]);
    expect(byName("vc-a").additionalSecretOutputs).to.include.members([
      "appliancePassword",
      "ssoAdminPassword",
    ]);
  });

  it("registers a small serialized provider without any password", () => {
    for (const r of registered) {
      const provider = r.object.__provider;
      const text = isSecretValue(provider)
        ? String((provider as Record<string, unknown>).value)
        : String(provider);
      expect(text.length, `${r.name}: __provider size`).to.be.lessThan(4096);
      expect(text).to.include('require("pulumi-srm")');
      for (const p of Object.values(PASSWORDS)) expect(text).to.not.include(p);
    }
  });

  it("passes the resource name along for messages", () => {
    expect(byName("notify").object.resourceName).to.equal("notify");
  });

  it("passes the create-journal key project/stack/type/name of resources that make SRM objects", () => {
    expect(byName("notify").object.journalKey).to.equal("srm-classes/test/srm:RecoveryStepCallout/notify");
    expect(byName("runbook").object.journalKey).to.equal("srm-classes/test/srm:RecoveryPlanCallouts/runbook");
    expect(byName("dr-b").object.journalKey).to.equal("srm-classes/test/srm:Pairing/dr-b");
  });

  it("RecoveryPlanCallouts.isInstance tells its resources from others", () => {
    expect(isInstance).to.deep.equal({ runbook: true, callout: false });
  });
});
