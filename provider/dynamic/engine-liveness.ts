// The Pulumi engine starts each provider plugin with the address of its own gRPC endpoint as an argument, and
// that endpoint lives exactly as long as the engine. When the engine is interrupted or killed the host
// process is left running whatever requests it had already received (creates queued behind a plan's lock,
// for instance); each of them would go on changing SRM for a deployment that no longer records anything.
// So before each mutation the host checks that the engine still answers, and refuses once it does not.
import * as net from "node:net";
import { setMutationGuard, type MutationGuard } from "../client/index.js";

/** Where the engine listens, from the plugin's arguments (`127.0.0.1:<port>`); undefined when none is given. */
export function engineAddressFromArgs(args: readonly string[]): { host: string; port: number } | undefined {
  for (const arg of args) {
    const m = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(arg);
    if (m && Number(m[2]) > 0 && Number(m[2]) < 65536) {
      return { host: m[1] === "[::1]" ? "::1" : m[1], port: Number(m[2]) };
    }
  }
  return undefined;
}

/** Resolves true when something accepts a TCP connection at the address, false when nothing does. */
function answers(address: { host: string; port: number }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    // A live engine accepts at once on the loopback interface; a stuck connect counts as gone.
    socket.setTimeout(5_000);
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.once("connect", () => done(true));
    socket.once("timeout", () => done(false));
    socket.once("error", () => done(false));
  });
}

/**
 * A connection to the engine held open while it lives (the engine's gRPC server keeps a connection that sends
 * nothing open for its handshake timeout), or undefined when nothing accepts one. An engine that ends, however
 * it ends, closes it: the operating system closes a dead process's sockets.
 */
function holdOpen(address: { host: string; port: number }): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.host, port: address.port });
    // A live engine accepts at once on the loopback interface; a stuck connect counts as gone.
    socket.setTimeout(5_000);
    socket.once("timeout", () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.on("error", () => resolve(undefined));
    socket.once("connect", () => {
      socket.setTimeout(0);
      // Held only to hear it close: it must not keep the host alive, and it never sends anything.
      socket.unref();
      // The engine's gRPC server speaks first (HTTP/2's server preface). Bytes left unread hold back the
      // stream's end, and with it the close that tells the engine has gone, so they are read and dropped.
      socket.resume();
      resolve(socket);
    });
  });
}

/**
 * A guard that refuses every mutation once the engine at `address` has stopped answering (for good). While a
 * connection to the engine stays open the engine is alive, so a mutation does not wait for a new connection;
 * once it closes (the engine ended, or dropped a connection that sent nothing) the next mutation connects again
 * and is refused when nothing accepts.
 */
export function engineGuard(address: { host: string; port: number }): MutationGuard {
  let gone = false;
  let open: net.Socket | undefined;
  let checking: Promise<void> | undefined;
  const check = () =>
    (checking ??= holdOpen(address).then((socket) => {
      checking = undefined;
      if (!socket) {
        gone = true;
        return;
      }
      if (socket.destroyed) return; // accepted and closed at once: alive now, checked again next time
      open = socket;
      socket.once("close", () => {
        if (open === socket) open = undefined;
      });
    }));
  return async (what) => {
    if (!gone && open === undefined) await check();
    if (gone) {
      throw new Error(
        `not ${what}: the Pulumi engine that sent this request (${address.host}:${address.port}) has gone away ` +
          `(the update was interrupted or killed), so nothing would record the result. Nothing was sent to ` +
          `the server for it. Run \`pulumi refresh\`, then \`pulumi up\` again.`,
      );
    }
  };
}

/** How often an idle host checks on its engine. */
const WATCH_INTERVAL_MS = 2_000;

/**
 * Installs the engine check before every mutation, and ends the host once the engine has failed two checks in
 * a row: an engine that dies never closes its plugins, and a host left behind would keep its port and anything
 * it still had queued. For the dynamic-provider host alone, once (see `setUpProviderHost`): it can end the
 * process it runs in.
 */
export function watchEngine(): void {
  // The engine reads the host's stdout and stderr: once it is gone every write fails with EPIPE, and the
  // host's handler of uncaught errors writes each one to stderr again, a loop that keeps the host alive
  // and busy forever. A closed pipe means the engine is gone, so the host ends.
  const onPipeError = (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(1);
  };
  process.stdout.on("error", onPipeError);
  process.stderr.on("error", onPipeError);
  const address = engineAddressFromArgs(process.argv.slice(2));
  if (!address) return;
  setMutationGuard(engineGuard(address));
  let misses = 0;
  const timer = setInterval(() => {
    void answers(address).then((alive) => {
      misses = alive ? 0 : misses + 1;
      if (misses >= 2) {
        process.stderr.write(
          `srm: the Pulumi engine (${address.host}:${address.port}) has gone away; this provider host stops.\n`,
        );
        process.exit(1);
      }
    });
  }, WATCH_INTERVAL_MS);
  timer.unref();
}
