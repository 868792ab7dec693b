// Every inline program's run makes its own gRPC clients to its engine (the resource monitor and the engine's log
// service) and never closes them, and grpc-js shares one connection per address among all the clients of a
// process (its global subchannel pool). When an engine is killed while its program still calls it, the shared
// connection to that address fails and stays failed: a later engine given the same port is then unreachable
// from this process, and every call to it fails at once with UNAVAILABLE. The SDK takes UNAVAILABLE for "the
// engine is shutting down" and drops it, so that program ends having registered nothing, and the engine deletes
// every resource of the stack. These suites run hundreds of programs in one process and kill engines on
// purpose, so each client here gets a pool of its own.

/** The SDK's options for its clients to the engine (not part of its typings). */
type ClientOptions = Record<string, unknown>;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const settings = require("@pulumi/pulumi/runtime/settings") as { grpcClientOptions?: ClientOptions };

/** The option that gives each gRPC client its own connections. */
export const LOCAL_SUBCHANNEL_POOL = "grpc.use_local_subchannel_pool";

/** The options the SDK makes its engine clients with, once {@link isolateEngineChannels} has run. */
export function engineClientOptions(): ClientOptions | undefined {
  return settings.grpcClientOptions;
}

/** Gives each of the SDK's engine clients in this process connections of its own. */
export function isolateEngineChannels(): void {
  const options = settings.grpcClientOptions;
  if (typeof options !== "object" || options === null) {
    process.stderr.write(
      "warning: @pulumi/pulumi no longer exports runtime/settings.grpcClientOptions; engine clients share " +
        "connections, and a program run after a killed engine may find its port unreachable\n",
    );
    return;
  }
  options[LOCAL_SUBCHANNEL_POOL] = 1;
}
