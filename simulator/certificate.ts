import { X509Certificate } from "node:crypto";
import selfsigned from "selfsigned";

/** The served certificate, its key and its thumbprints as vSphere shows them ("AB:CD:..."). */
export interface SimulatorCertificate {
  cert: string;
  key: string;
  thumbprintSha256: string;
  thumbprintSha1: string;
}

/** Generates a self-signed certificate for CN=localhost with SANs localhost and 127.0.0.1. */
export async function generateCertificate(): Promise<{ cert: string; key: string }> {
  const now = Date.now();
  const pems = await selfsigned.generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(now - 60 * 60 * 1000),
    notAfterDate: new Date(now + 365 * 24 * 60 * 60 * 1000),
    extensions: [
      { name: "basicConstraints", cA: true, critical: true },
      { name: "keyUsage", digitalSignature: true, keyCertSign: true, critical: true },
      { name: "extKeyUsage", serverAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: "localhost" },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}

/**
 * Thumbprints computed from the certificate itself (not taken from the generator), so they are
 * exactly what a client sees on the TLS connection.
 */
export function describeCertificate(pem: { cert: string; key: string }): SimulatorCertificate {
  const x509 = new X509Certificate(pem.cert);
  return {
    cert: pem.cert,
    key: pem.key,
    thumbprintSha256: x509.fingerprint256.toUpperCase(),
    thumbprintSha1: x509.fingerprint.toUpperCase(),
  };
}
