import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { connect, type PeerCertificate } from "node:tls";
import { generateCertificate, startSimulator, type Simulator } from "pulumi-srm-simulator";
import { call, expect } from "./https-client.js";

/** The certificate the server presents on a real TLS handshake. */
function servedCertificate(sim: Simulator, servername: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port: sim.port, servername, ca: sim.caCert }, () => {
      const cert = socket.getPeerCertificate(true);
      socket.end();
      resolve(cert);
    });
    socket.on("error", reject);
  });
}

describe("simulator: certificate and thumbprints", () => {
  let sim: Simulator;
  before(async () => {
    sim = await startSimulator();
  });
  after(async () => {
    await sim.close();
  });

  it("publishes thumbprints equal to the served certificate's SHA-256 and SHA-1", async () => {
    const served = new X509Certificate((await servedCertificate(sim, "localhost")).raw);
    expect(sim.thumbprintSha256).to.equal(served.fingerprint256.toUpperCase());
    expect(sim.thumbprintSha1).to.equal(served.fingerprint.toUpperCase());
    expect(sim.thumbprintSha256).to.match(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("names localhost and 127.0.0.1 in the certificate and writes it to caCertPath", () => {
    const x509 = new X509Certificate(sim.caCert);
    expect(x509.subjectAltName).to.contain("DNS:localhost").and.contain("IP Address:127.0.0.1");
    expect(readFileSync(sim.caCertPath, "utf8")).to.equal(sim.caCert);
  });

  it("is trusted through its own certificate only", async () => {
    expect((await call(sim.caCert, "GET", `${sim.url}/session`)).status).to.equal(401);
    const other = await startSimulator();
    try {
      let failure: unknown;
      try {
        await call(other.caCert, "GET", `${sim.url}/session`);
      } catch (err) {
        failure = err;
      }
      expect(String((failure as { code?: string })?.code ?? failure)).to.match(
        /SELF_SIGNED|UNABLE_TO_VERIFY|CERT/,
      );
      expect(other.thumbprintSha256).to.not.equal(sim.thumbprintSha256);
    } finally {
      await other.close();
    }
  });

  it("can serve a given certificate so runs can share one", async () => {
    const pem = await generateCertificate();
    const a = await startSimulator({ certificate: pem });
    const b = await startSimulator({ certificate: pem });
    try {
      expect(a.thumbprintSha256).to.equal(b.thumbprintSha256);
      expect((await call(a.caCert, "GET", `${b.url}/session`)).status).to.equal(401);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
