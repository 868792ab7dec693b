import type * as Chai from "chai" with { "resolution-mode": "import" };
import { ConfigError, readSettings, type SettingsSnapshot } from "../../provider/config.js";
import { configuredSites, peerSites, siteSettings } from "../../provider/sites-config.js";

const { expect } = require("chai") as typeof Chai;

const PW_A = "Sites-Test-Pw-A-Heron-41!";
const PW_B = "Sites-Test-Pw-B-Otter-07!";
const SHA256 = "AB".repeat(32);

function snapshot(config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): SettingsSnapshot {
  return readSettings((k) => config[k], env);
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

// What the dynamic-provider host passes for `pulumi config set --path --secret srm:sites.siteB.password`:
// the object, its secret leaves still in Pulumi's secret envelope.
const secret = (value: string) => ({
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value,
});

const twoSites = {
  "srm:sites": {
    siteA: { host: "srm-a.example.local", username: "admin@a", password: secret(PW_A), thumbprint: SHA256 },
    siteB: { host: "srm-b.example.local:8443", username: "admin@b", password: secret(PW_B), insecure: true },
  },
};

describe("config: srm:sites (several SRM servers)", () => {
  it("reads each site's host, login and TLS trust, unwrapping secret leaves", () => {
    const s = snapshot(twoSites);
    expect(configuredSites(s)).to.deep.equal(["siteA", "siteB"]);
    expect(siteSettings(s, "siteA")).to.deep.include({
      host: "srm-a.example.local",
      username: "admin@a",
      password: PW_A,
      site: "siteA",
      hasPeerSites: true,
    });
    expect(siteSettings(s, "siteA").tls).to.deep.include({ thumbprint: SHA256, insecure: false });
    expect(siteSettings(s, "siteB").tls.insecure).to.equal(true);
    expect(siteSettings(s, "siteB").password).to.equal(PW_B);
  });

  it("takes the value as JSON text too (SRM_SITES, or a whole-object config value)", () => {
    const s = snapshot(
      {},
      { SRM_SITES: JSON.stringify({ x: { host: "h", username: "u", password: PW_A } }) },
    );
    expect(siteSettings(s, "x")).to.deep.include({ host: "h", username: "u", password: PW_A });
  });

  it("without a site keeps the single-site settings, which know the named sites as peers", () => {
    const s = snapshot({ "srm:host": "srm-0", "srm:username": "u0", "srm:password": PW_A, ...twoSites });
    expect(siteSettings(s)).to.deep.include({ host: "srm-0", hasPeerSites: true });
    expect(siteSettings(s).site).to.equal(undefined);
    expect(peerSites(s, "siteA")).to.deep.equal(["siteB", undefined]);
    expect(peerSites(s)).to.deep.equal(["siteA", "siteB"]);
    expect(
      siteSettings(snapshot({ "srm:host": "h", "srm:username": "u", "srm:password": PW_A })).hasPeerSites,
    ).to.equal(false);
  });

  it("names the config path of a missing or bad field, and how to set it, never a password", () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [
        { siteB: { username: "u", password: PW_B } },
        "srm:sites.siteB.host",
        /pulumi config set --path srm:sites\.siteB\.host/,
      ],
      [
        { siteB: { host: "h", username: "u" } },
        "srm:sites.siteB.password",
        /config set --path --secret srm:sites\.siteB\.password/,
      ],
      [{ siteB: { host: "http://h", username: "u", password: PW_B } }, "srm:sites.siteB.host", /HTTPS only/],
      [
        { siteB: { host: "h", username: "u", password: PW_B, thumbprint: "12:34" } },
        "srm:sites.siteB.thumbprint",
        /SHA-256/,
      ],
      [
        { siteB: { host: "h", username: "u", password: PW_B, insecure: "maybe" } },
        "srm:sites.siteB.insecure",
        /true or false/,
      ],
      [
        { siteB: { host: "h", username: "u", password: PW_B, hots: "x" } },
        "srm:sites.siteB.hots",
        /not a site setting/,
      ],
      [{ siteB: "srm-b" }, "srm:sites.siteB", /must be an object/],
    ];
    for (const [sites, setting, message] of cases) {
      const e = configError(() => siteSettings(snapshot({ "srm:sites": sites }), "siteB"));
      expect(e.setting, setting).to.equal(setting);
      expect(e.message).to.match(message).and.include(setting);
      expect(e.message).to.not.include(PW_B);
    }
  });

  it("an unknown site lists the configured ones; malformed srm:sites names itself", () => {
    const e = configError(() => siteSettings(snapshot(twoSites), "siteC"));
    expect(e.message).to.include('no site "siteC"').and.include("configured: siteA, siteB");
    expect(e.setting).to.equal("srm:sites.siteC");
    const bad = configError(() => configuredSites(snapshot({}, { SRM_SITES: "{not json" })));
    expect(bad.setting).to.equal("srm:sites");
    expect(bad.message).to.include("SRM_SITES");
  });
});
