/**
 * Spawns the real dynamic-provider host shipped with `@pulumi/pulumi` exactly as the Pulumi engine
 * does (`node cmd/dynamic-provider/index.js <engine-address>`, cwd = project dir,
 * `PULUMI_NODEJS_PROJECT` set) and drives it over gRPC with typed promise wrappers.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as grpc from "@grpc/grpc-js";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import * as provrpc from "@pulumi/pulumi/proto/provider_grpc_pb";
import * as provproto from "@pulumi/pulumi/proto/provider_pb";

/** The value the engine sends for inputs not known during a preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Property bags exchanged with the host (JSON values only). */
export type Props = Record<string, unknown>;

/** How to start a host. */
export interface HostOptions {
  /** Directory the host runs in; `require("pulumi-srm")` in the serialized provider resolves from here. */
  projectDir?: string;
  /** Pulumi project name (`PULUMI_NODEJS_PROJECT`); config keys without a namespace use it. */
  project?: string;
  /** Pulumi stack name (`PULUMI_NODEJS_STACK`). */
  stack?: string;
  /** Extra environment for the host process (merged over this process's environment). */
  env?: Record<string, string | undefined>;
  /** Called with every stderr line (task progress is printed there), as it arrives. */
  onStderr?: (line: string) => void;
  /**
   * The engine address passed as the host's argument, as the Pulumi engine passes its own endpoint; default
   * `127.0.0.1:0` (no engine to watch). With a listening address the host refuses mutations once it closes.
   */
  engineAddress?: string;
}

/** A failing gRPC call, with the host's message and the method that failed. */
export class HostCallError extends Error {
  constructor(
    readonly method: string,
    readonly grpcCode: number,
    readonly details: string,
  ) {
    super(`${method} failed: ${details}`);
    this.name = "HostCallError";
  }
}

/** Check result: the checked inputs (with `__provider`) and field-level failures. */
export interface CheckResult {
  inputs: Props;
  failures: { property: string; reason: string }[];
}

/** Diff result as the engine sees it. */
export interface DiffResult {
  changes: "some" | "none" | "unknown";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** Read result: id "" means the object is gone. */
export interface ReadResult {
  id: string;
  properties: Props;
  inputs?: Props;
}

const hostScript = (): string =>
  path.join(
    path.dirname(require.resolve("@pulumi/pulumi/package.json")),
    "cmd",
    "dynamic-provider",
    "index.js",
  );

/** Hosts still running; killed if this process exits without closing them. */
const liveHosts = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of liveHosts) child.kill("SIGKILL");
});

/** Struct.fromJavaScript rejects `undefined`; a JSON round trip drops it the way the engine would. */
function toStruct(props: Props): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Record<string, never>);
}

function fromStruct(s: Struct | undefined): Props {
  return (s?.toJavaScript() ?? {}) as Props;
}

/** One spawned dynamic-provider host process and a gRPC client connected to it. */
export class ProviderHost {
  private closed = false;

  private constructor(
    private readonly child: ChildProcess,
    private readonly client: provrpc.ResourceProviderClient,
    private readonly exited: Promise<void>,
    /** The gRPC port the host printed. */
    readonly port: number,
    readonly project: string,
    readonly stack: string,
    /** Every stdout line printed so far (the first one is the port). */
    readonly stdoutLines: string[],
    /** Every stderr line printed so far (progress, warnings, the host's error reports). */
    readonly stderrLines: string[],
  ) {}

  /** Spawns the host and waits for its port. */
  static async start(options: HostOptions = {}): Promise<ProviderHost> {
    const project = options.project ?? "pulumi-srm-demo";
    const stack = options.stack ?? "dev";
    const child = spawn(process.execPath, [hostScript(), options.engineAddress ?? "127.0.0.1:0"], {
      cwd: options.projectDir ?? process.cwd(),
      env: { ...process.env, ...options.env, PULUMI_NODEJS_PROJECT: project, PULUMI_NODEJS_STACK: stack },
      stdio: ["ignore", "pipe", "pipe"],
    });
    liveHosts.add(child);
    const stdoutLines: string[] = [];
    const stderrLines: string[] = [];
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    void exited.then(() => liveHosts.delete(child));
    readline.createInterface({ input: child.stderr! }).on("line", (line) => {
      stderrLines.push(line);
      options.onStderr?.(line);
    });
    const port = await new Promise<number>((resolve, reject) => {
      readline.createInterface({ input: child.stdout! }).on("line", (line) => {
        stdoutLines.push(line);
        if (stdoutLines.length === 1) {
          const p = Number(line.trim());
          if (Number.isInteger(p) && p > 0) resolve(p);
          else reject(new Error(`dynamic-provider host printed "${line}" instead of its port`));
        }
      });
      child.once("error", reject);
      void exited.then(() =>
        reject(
          new Error(`dynamic-provider host exited before printing its port:\n${stderrLines.join("\n")}`),
        ),
      );
    }).catch((err: unknown) => {
      child.kill("SIGKILL");
      throw err;
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    return new ProviderHost(child, client, exited, port, project, stack, stdoutLines, stderrLines);
  }

  /** The URN the engine would give a resource of this project and stack. */
  urn(type: string, name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${type}::${name}`;
  }

  /** Wraps one callback-style gRPC call; errors carry the host's message. */
  private call<Res>(
    method: string,
    invoke: (cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  ): Promise<Res> {
    return new Promise((resolve, reject) => {
      invoke((err, res) => {
        if (err) reject(new HostCallError(method, err.code, err.details || err.message));
        else resolve(res);
      });
    });
  }

  /** Sends the provider configuration (keys like "srm:host"), as the engine does before any CRUD call. */
  async configure(config: Record<string, string>): Promise<void> {
    const req = new provproto.ConfigureRequest();
    req.setArgs(toStruct(config));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    await this.call<provproto.ConfigureResponse>("Configure", (cb) => this.client.configure(req, cb));
  }

  /** Check(olds, news): validated inputs with defaults, or field failures. */
  async check(urn: string, olds: Props, news: Props): Promise<CheckResult> {
    const req = new provproto.CheckRequest();
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call<provproto.CheckResponse>("Check", (cb) => this.client.check(req, cb));
    return {
      inputs: fromStruct(res.getInputs()),
      failures: res.getFailuresList().map((f) => ({ property: f.getProperty(), reason: f.getReason() })),
    };
  }

  /** Diff(id, old outputs, new inputs). */
  async diff(id: string, urn: string, olds: Props, news: Props, oldInputs?: Props): Promise<DiffResult> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    if (oldInputs) req.setOldInputs(toStruct(oldInputs));
    const res = await this.call<provproto.DiffResponse>("Diff", (cb) => this.client.diff(req, cb));
    const C = provproto.DiffResponse.DiffChanges;
    const changes =
      res.getChanges() === C.DIFF_SOME ? "some" : res.getChanges() === C.DIFF_NONE ? "none" : "unknown";
    return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  /** Create(checked inputs) -> id and outputs (with `__provider`). */
  async create(urn: string, props: Props): Promise<{ id: string; properties: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    const res = await this.call<provproto.CreateResponse>("Create", (cb) => this.client.create(req, cb));
    return { id: res.getId(), properties: fromStruct(res.getProperties()) };
  }

  /** Read(id, stored outputs) -> current outputs; id "" when the object is gone. */
  async read(id: string, urn: string, props: Props, inputs?: Props): Promise<ReadResult> {
    const req = new provproto.ReadRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    if (inputs) req.setInputs(toStruct(inputs));
    const res = await this.call<provproto.ReadResponse>("Read", (cb) => this.client.read(req, cb));
    const result: ReadResult = { id: res.getId(), properties: fromStruct(res.getProperties()) };
    if (res.getInputs()) result.inputs = fromStruct(res.getInputs());
    return result;
  }

  /** Update(id, old outputs, new checked inputs) -> new outputs. */
  async update(id: string, urn: string, olds: Props, news: Props): Promise<{ properties: Props }> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setOlds(toStruct(olds));
    req.setNews(toStruct(news));
    const res = await this.call<provproto.UpdateResponse>("Update", (cb) => this.client.update(req, cb));
    return { properties: fromStruct(res.getProperties()) };
  }

  /** Delete(id, stored outputs); the `__provider` in them is the one that runs. */
  async delete(id: string, urn: string, props: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn(urn);
    req.setProperties(toStruct(props));
    await this.call<unknown>("Delete", (cb) => this.client.delete(req, cb));
  }

  /** All stdout and stderr text so far, for leak checks. */
  output(): string {
    return [...this.stdoutLines, ...this.stderrLines].join("\n");
  }

  /** Stops the host (always call it; an exit hook kills forgotten hosts too). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.close();
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 2000);
      await this.exited;
      clearTimeout(timer);
    }
  }
}
