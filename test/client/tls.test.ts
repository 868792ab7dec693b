import fc from "fast-check";
import { clearSrmClients, formatThumbprint, normalizeThumbprint } from "../../provider/client/index.js";
import {
  expect,
  expectNoSecrets,
  expectSrmError,
  freshClient,
  LogCapture,
  startSim,
  type Simulator,
} from "./helpers.js";

describe("client: TLS", function () {
  this.timeout(20_000);
  let sim: Simulator;

  before(async () => {
    sim = await startSim();
  });
  after(async () => {
    clearSrmClients();
    await sim.close();
  });
  beforeEach(() => {
    sim.requests.length = 0;
  });

  it("verifies against the given CA certificate", async () => {
    const client = freshClient(sim, { tls: { caCert: sim.caCert } });
    expect(await client.listPairings()).to.have.length.greaterThan(0);
  });

  it("accepts the right SHA-256 thumbprint", async () => {
    const client = freshClient(sim, { tls: { thumbprint: sim.thumbprintSha256 } });
    expect(await client.listPairings()).to.have.length.greaterThan(0);
  });

  it("accepts the right SHA-1 thumbprint, lower case without colons", async () => {
    const client = freshClient(sim, {
      tls: { thumbprint: sim.thumbprintSha1.replace(/:/g, "").toLowerCase() },
    });
    expect(await client.listPairings()).to.have.length.greaterThan(0);
  });

  it("a pinned thumbprint wins over a CA that would not verify, and says the CA is ignored", async () => {
    const capture = new LogCapture();
    const client = freshClient(sim, {
      tls: { thumbprint: sim.thumbprintSha256, caCert: "not a pem" },
      log: capture.log,
    });
    expect(await client.getPairing(sim.ids.pairingId)).to.not.equal(undefined);
    expect(capture.lines.filter((l) => /srm:thumbprint pins .* are ignored/.test(l))).to.have.length(1);
  });

  it("a wrong thumbprint fails before any request reaches the server", async () => {
    const wrong = "AA:".repeat(31) + "AA";
    const client = freshClient(sim, { tls: { thumbprint: wrong } });
    const err = await expectSrmError(sim, client.listPairings(), "TLS_PINNING_FAILED");
    expect(sim.requests, "no request, so no credential, reached the server").to.have.length(0);
    expect(err.message)
      .to.include(sim.thumbprintSha256)
      .and.include(formatThumbprint(wrong.replace(/:/g, "")));
    expect(err.message).to.include("srm:thumbprint");
  });

  it("a wrong SHA-1 thumbprint fails the same way", async () => {
    const client = freshClient(sim, { tls: { thumbprint: "0".repeat(40) } });
    await expectSrmError(sim, client.getPairing(sim.ids.pairingId), "TLS_PINNING_FAILED");
    expect(sim.requests).to.have.length(0);
  });

  it("a thumbprint of the wrong length is rejected with a clear message", async () => {
    const client = freshClient(sim, { tls: { thumbprint: "AB:CD:EF" } });
    const err = await expectSrmError(sim, client.listPairings(), "BAD_REQUEST");
    expect(err.message).to.include("SHA-256").and.include("64").and.include("40");
    expect(sim.requests).to.have.length(0);
  });

  it("without TLS settings verifies with the system CAs and fails on the self-signed certificate", async () => {
    const client = freshClient(sim, { tls: {} });
    const err = await expectSrmError(sim, client.listPairings(), "TLS_FAILED");
    expect(sim.requests).to.have.length(0);
    expect(err.message).to.include(`srm:thumbprint to ${sim.thumbprintSha256}`).and.include("srm:caCert");
  });

  it("insecure: true connects and warns once through conn.log", async () => {
    const capture = new LogCapture();
    const client = freshClient(sim, { tls: { insecure: true }, log: capture.log });
    await client.listPairings();
    await client.listPlans(sim.ids.pairingId);
    const warnings = capture.lines.filter((l) => /WARNING: TLS certificate verification is disabled/.test(l));
    expect(warnings).to.have.length(1);
    expect(warnings[0]).to.include(sim.url).and.include("srm:thumbprint");
    for (const line of capture.lines) expectNoSecrets(sim, line);
  });
});

describe("client: thumbprint normalization", () => {
  const hex = (n: number) =>
    fc
      .array(fc.constantFrom(..."0123456789abcdefABCDEF".split("")), { minLength: n, maxLength: n })
      .map((a) => a.join(""));
  /** Inserts colons between byte pairs, sometimes, and varies case. */
  const variant = (h: string, colons: boolean) => (colons ? h.replace(/(..)(?!$)/g, "$1:") : h);

  it("accepts every colon and case variant of 64 or 40 hex digits", () => {
    fc.assert(
      fc.property(fc.oneof(hex(64), hex(40)), fc.boolean(), (h, colons) => {
        const pin = normalizeThumbprint(variant(h, colons));
        expect(pin.hex).to.equal(h.toUpperCase());
        expect(pin.algorithm).to.equal(h.length === 64 ? "sha256" : "sha1");
      }),
    );
  });

  it("rejects every other string", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (s) => {
        const h = s.replace(/[:\s]/g, "");
        fc.pre(!(/^[0-9a-fA-F]+$/.test(h) && (h.length === 64 || h.length === 40)));
        expect(() => normalizeThumbprint(s)).to.throw(/SHA-256/);
      }),
    );
  });

  it("rejects hex of other lengths", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }).filter((n) => n !== 40 && n !== 64),
        (n) => {
          expect(() => normalizeThumbprint("a".repeat(n))).to.throw(/40 hex digits/);
        },
      ),
    );
  });
});
