// Refresh stores whatever inputs Read returns in place of the old ones. Read returns none for a Pairing (no
// input can change in SRM), so refresh keeps pscPassword: two refreshes in a row report nothing, and
// `ignoreChanges` on the password then a new password in config changes nothing. The password stays a
// secret in state and never appears in the backend's files or in anything the CLI printed.
import { expect } from "chai";
import * as pulumi from "@pulumi/pulumi";
import { Pairing } from "pulumi-srm";
import { useCliSuite } from "./harness.js";

/** The secret signature key and value of Pulumi's state format. */
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

describe("cli: refresh keeps the stored inputs; ignoreChanges on a password", function () {
  this.timeout(10 * 60_000);
  const suite = useCliSuite();

  it("refresh twice reports nothing; a new ignored password changes nothing; no password anywhere", async () => {
    const spare = suite.sim.inventory.remoteSites.find((s) => s.vcGuid === suite.sim.ids.spareRemoteVcGuid)!;
    let ignorePassword = false;
    const stack = await suite.stack({
      config: { "pairing:pscPassword": spare.password },
      secrets: ["pairing:pscPassword"],
      program: () => {
        new Pairing(
          "site-c",
          {
            remoteVcGuid: spare.vcGuid,
            pscUrl: spare.pscUrl,
            pscThumbprint: spare.pscThumbprint || undefined,
            pscUsername: spare.username,
            pscPassword: new pulumi.Config("pairing").requireSecret("pscPassword"),
          },
          ignorePassword ? { ignoreChanges: ["pscPassword"] } : {},
        );
      },
    });
    await stack.up();
    const stored = () => stack!.resources("Pairing")[0]!;
    expect(stored().inputs?.pscPassword).to.deep.include(SECRET_SIG);

    for (const round of [1, 2]) {
      const refresh = await stack.refresh();
      expect(refresh.summary.resourceChanges, `refresh ${round}`).to.deep.equal({ same: 2 });
      expect(stored().inputs?.pscPassword, `after refresh ${round}`).to.deep.include(SECRET_SIG);
    }
    expect((await stack.preview()).changeSummary).to.deep.equal({ same: 2 });

    ignorePassword = true;
    await stack.stack.setConfig("pairing:pscPassword", { value: "Rotated-Elsewhere-9!", secret: true });
    const up = await stack.up();
    expect(up.summary.result).to.equal("succeeded");
    expect(up.summary.resourceChanges).to.deep.equal({ same: 2 });
    const reconnects = suite.sim.requests.filter(
      (r) => r.method === "POST" && r.path.endsWith("/actions/reconnect"),
    );
    expect(reconnects).to.deep.equal([]);

    const passwords = [
      spare.password,
      "Rotated-Elsewhere-9!",
      suite.sim.credentials.password,
      suite.sim.credentials.remotePassword,
    ];
    const exported = stack.cli(["stack", "export", "--stack", stack.stack.name]);
    for (const [where, text] of [
      ["the backend's files", stack.backendText()],
      ["stack export", exported],
      ["the CLI's output", stack.log.text],
    ] as const) {
      for (const p of passwords) expect(text.includes(p), `${where} holds a password`).to.equal(false);
    }
    await stack.destroy();
  });
});
