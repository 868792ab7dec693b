// The `site` input as the registry handles it for every resource: checked against srm:sites, kept out of
// the resource's own validation, echoed, and a change of site replaces.
import { providers } from "../../provider/dynamic/registry.js";
import { SrmProviderShim } from "../../provider/dynamic/provider-shim.js";
import { configureRequest, expect } from "./helpers.js";

const PW = "Site-Input-Test-Pw-Lynx-29!";

describe("resources: the site input", () => {
  const shim = new SrmProviderShim("test-network-mapping");
  void providers.v1.configure(
    shim,
    configureRequest({
      "srm:sites": JSON.stringify({
        siteA: { host: "srm-a.example.local", username: "u", password: PW },
        siteB: { username: "u", password: PW },
      }),
    } as Record<string, string>),
  );
  const inputs = { pairingId: "p-1", recoveryNetworkId: "dvportgroup-1", testNetworkId: "dvportgroup-2" };
  const check = (news: Record<string, unknown>) =>
    providers.v1.call(shim, "check", [{}, news]) as Promise<{
      inputs?: Record<string, unknown>;
      failures?: { property: string; reason: string }[];
    }>;

  it("check keeps a configured site and names the config path of a bad or unknown one", async () => {
    expect((await check({ ...inputs, site: "siteA" })).inputs).to.include({
      site: "siteA",
      protectedSite: "local",
    });
    expect((await check(inputs)).inputs).to.not.have.property("site");
    const missingHost = await check({ ...inputs, site: "siteB" });
    expect(missingHost.failures?.map((f) => f.property)).to.deep.equal(["site"]);
    expect(missingHost.failures?.[0].reason).to.include("srm:sites.siteB.host is not set");
    const unknown = await check({ ...inputs, site: "siteC" });
    expect(unknown.failures?.[0].reason)
      .to.include('no site "siteC"')
      .and.include("configured: siteA, siteB");
    expect(JSON.stringify([missingHost, unknown])).to.not.include(PW);
    const notString = await check({ ...inputs, site: 7 });
    expect(notString.failures?.[0].property).to.equal("site");
  });

  it("diff replaces when the site changes, also from the single-site settings, and not otherwise", async () => {
    const diff = (olds: Record<string, unknown>, news: Record<string, unknown>) =>
      providers.v1.call(shim, "diff", ["id-1", olds, news]) as Promise<{
        changes?: boolean;
        replaces?: string[];
      }>;
    const olds = { ...inputs, protectedSite: "local", adopt: false, site: "siteA" };
    expect((await diff(olds, { ...inputs, site: "siteA" })).changes).to.equal(false);
    expect((await diff(olds, { ...inputs, site: "siteB" })).replaces).to.deep.equal(["site"]);
    expect((await diff({ ...olds, site: undefined }, { ...inputs, site: "siteA" })).replaces).to.deep.equal([
      "site",
    ]);
  });
});
