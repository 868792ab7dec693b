import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as Chai from "chai" with { "resolution-mode": "import" };
import {
  applianceSettings,
  CONFIG_KEYS,
  ConfigError,
  howToSet,
  readSettings,
  srmSettings,
  type SettingsSnapshot,
} from "../../provider/config.js";

const { expect } = require("chai") as typeof Chai;

const PEM = "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n";
const SRM_PW = "Config-Test-Srm-Pw-Marmot-61!";

function snapshot(config: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): SettingsSnapshot {
  return readSettings((k) => config[k], env);
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

const base = { "srm:host": "srm-a.example.local", "srm:username": "admin", "srm:password": SRM_PW };

describe("config: connection settings", () => {
  it("prefers stack config over the environment and falls back per key", () => {
    const s = snapshot({ "srm:host": "from-config" }, { SRM_HOST: "from-env", SRM_USERNAME: "env-user" });
    expect(s.values).to.include({ host: "from-config", username: "env-user" });
    expect(s.sources).to.include({ host: "config", username: "env" });
  });

  it("reads only the environment when there is no config", () => {
    const s = readSettings(undefined, { SRM_APPLIANCE_HOST: "vc-a", SRM_REMOTE_PASSWORD: "x-remote" });
    expect(s.values).to.deep.equal({ applianceHost: "vc-a", remotePassword: "x-remote" });
  });

  it("treats empty values as unset and turns booleans and numbers into strings", () => {
    const s = snapshot({ "srm:host": "", "srm:insecure": true }, { SRM_HOST: "env-host" });
    expect(s.values).to.include({ host: "env-host", insecure: "true" });
  });

  it("has a config key and an environment variable for every setting", () => {
    for (const [name, { key, env }] of Object.entries(CONFIG_KEYS)) {
      expect(key).to.equal(`srm:${name}`);
      expect(env).to.match(/^SRM_[A-Z_]+$/);
    }
  });

  it("builds SRM settings, verifying TLS by default", () => {
    const s = srmSettings(snapshot(base));
    expect(s).to.deep.include({ host: "srm-a.example.local", username: "admin", password: SRM_PW });
    expect(s.tls).to.deep.equal({ thumbprint: undefined, caCert: undefined, insecure: false });
  });

  for (const [name, env] of [
    ["host", "SRM_HOST"],
    ["username", "SRM_USERNAME"],
    ["password", "SRM_PASSWORD"],
  ] as const) {
    it(`names srm:${name}, the pulumi command and ${env} when ${name} is missing`, () => {
      const e = thrown(() => srmSettings(snapshot({ ...base, [`srm:${name}`]: undefined })));
      expect(e).to.be.instanceOf(ConfigError);
      expect(e.message).to.include(`srm:${name}`).and.include(`pulumi config set`).and.include(env);
      expect(e.message).to.not.include(SRM_PW);
    });
  }

  it("asks for --secret for passwords", () => {
    expect(howToSet("password")).to.include("pulumi config set --secret srm:password");
    expect(howToSet("host")).to.not.include("--secret");
  });

  it("accepts SHA-256 and SHA-1 thumbprints with or without colons and refuses others", () => {
    const sha1 = "AB".repeat(20);
    const sha256 = Array(32).fill("cd").join(":");
    expect(srmSettings(snapshot({ ...base, "srm:thumbprint": sha1 })).tls.thumbprint).to.equal(sha1);
    expect(srmSettings(snapshot({ ...base, "srm:thumbprint": sha256 })).tls.thumbprint).to.equal(sha256);
    const e = thrown(() => srmSettings(snapshot({ ...base, "srm:thumbprint": "AB:CD" })));
    expect(e.message).to.include("srm:thumbprint");
  });

  it("takes srm:caCert as PEM text or as a file path", () => {
    expect(srmSettings(snapshot({ ...base, "srm:caCert": PEM })).tls.caCert).to.equal(PEM);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "srm-config-"));
    try {
      const file = path.join(dir, "ca.pem");
      fs.writeFileSync(file, PEM);
      expect(srmSettings(snapshot({ ...base, "srm:caCert": file })).tls.caCert).to.equal(PEM);
      const missing = path.join(dir, "missing.pem");
      const e = thrown(() => srmSettings(snapshot({ ...base, "srm:caCert": missing })));
      expect(e.message).to.include("srm:caCert").and.include(missing).and.include("ENOENT");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("parses srm:insecure as an explicit opt-in and refuses other words", () => {
    expect(srmSettings(snapshot({ ...base, "srm:insecure": "true" })).tls.insecure).to.equal(true);
    expect(srmSettings(snapshot({ ...base, "srm:insecure": "false" })).tls.insecure).to.equal(false);
    expect(srmSettings(snapshot(base, { SRM_INSECURE: "1" })).tls.insecure).to.equal(true);
    const e = thrown(() => srmSettings(snapshot({ ...base, "srm:insecure": "maybe" })));
    expect(e.message).to.include("srm:insecure").and.include("SRM_INSECURE").and.include("maybe");
  });

  it("refuses an srm:host that is not https, so the password is never sent in clear text", () => {
    for (const host of ["http://srm-a.example.local", "HTTP://srm-a.example.local:8080/"]) {
      const e = thrown(() => srmSettings(snapshot({ ...base, "srm:host": host })));
      expect(e).to.be.instanceOf(ConfigError);
      expect((e as ConfigError).setting).to.equal("srm:host");
      expect(e.message).to.include("https").and.include("SRM_HOST");
    }
    expect(srmSettings(snapshot({ ...base, "srm:host": "https://srm-a.example.local" })).host).to.equal(
      "https://srm-a.example.local",
    );
  });

  it("names the environment variable, not the unset config key, when the bad value came from the environment", () => {
    const host = thrown(() =>
      srmSettings(snapshot({}, { SRM_HOST: "http://srm-a", SRM_USERNAME: "a", SRM_PASSWORD: "b" })),
    );
    expect(host.message).to.match(/^SRM_HOST \(environment variable; srm:host is not set\) must be/);
    const thumb = thrown(() => srmSettings(snapshot(base, { SRM_THUMBPRINT: "AB:CD" })));
    expect(thumb.message).to.match(/^SRM_THUMBPRINT \(environment variable; srm:thumbprint is not set\)/);
    const insecure = thrown(() => srmSettings(snapshot(base, { SRM_INSECURE: "maybe" })));
    expect(insecure.message).to.match(/^SRM_INSECURE \(environment variable; srm:insecure is not set\)/);
    const appliance = thrown(() =>
      applianceSettings(
        snapshot(
          {},
          {
            SRM_APPLIANCE_HOST: "vc",
            SRM_APPLIANCE_USERNAME: "u",
            SRM_APPLIANCE_PASSWORD: "p",
            SRM_APPLIANCE_INSECURE: "perhaps",
          },
        ),
      ),
    );
    expect(appliance.message).to.match(
      /^SRM_APPLIANCE_INSECURE \(environment variable; srm:applianceInsecure is not set\)/,
    );
    // From stack config, the message keeps talking about the config key.
    expect(thrown(() => srmSettings(snapshot({ ...base, "srm:insecure": "maybe" }))).message).to.match(
      /^srm:insecure/,
    );
  });

  describe("appliance settings", () => {
    const appliance = {
      "srm:applianceHost": "vc-a.example.local:5480",
      "srm:applianceUsername": "root",
      "srm:appliancePassword": "Config-Test-Vcsa-Pw-Yak-29!",
    };

    it("builds the URL from a host and takes values from config", () => {
      const s = applianceSettings(snapshot(appliance));
      expect(s).to.deep.include({ url: "https://vc-a.example.local:5480", username: "root" });
      expect(s.tls.insecure).to.equal(false);
    });

    it("prefers resource inputs over config and environment", () => {
      const s = applianceSettings(snapshot(appliance, { SRM_APPLIANCE_USERNAME: "env-user" }), {
        applianceHost: "https://vc-z.example.local/",
        applianceUsername: "input-user",
        applianceInsecure: true,
      });
      expect(s).to.deep.include({ url: "https://vc-z.example.local", username: "input-user" });
      expect(s.tls.insecure).to.equal(true);
    });

    it("names the input, the config key and the environment variable of a missing value", () => {
      const e = thrown(() =>
        applianceSettings(snapshot({ ...appliance, "srm:appliancePassword": undefined })),
      );
      expect(e.message)
        .to.include("appliancePassword")
        .and.include("srm:appliancePassword")
        .and.include("SRM_APPLIANCE_PASSWORD");
    });

    it("refuses an appliance URL that is not https, from an input or from config", () => {
      const fromInput = thrown(() =>
        applianceSettings(snapshot(appliance), { applianceHost: "http://vc-z.example.local" }),
      );
      const fromConfig = thrown(() =>
        applianceSettings(snapshot({ ...appliance, "srm:applianceHost": "http://vc-a.example.local:5480" })),
      );
      for (const e of [fromInput, fromConfig]) {
        expect(e).to.be.instanceOf(ConfigError);
        expect((e as ConfigError).setting).to.equal("srm:applianceHost");
        expect(e.message).to.include("https").and.include("applianceHost").and.include("SRM_APPLIANCE_HOST");
      }
    });

    it("refuses a bad thumbprint, naming every way to set it", () => {
      const e = thrown(() => applianceSettings(snapshot(appliance), { applianceThumbprint: "xyz" }));
      expect(e.message).to.include("applianceThumbprint").and.include("SRM_APPLIANCE_THUMBPRINT");
    });
  });
});
