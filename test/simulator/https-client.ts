import { request as httpsRequest } from "node:https";
import type * as Chai from "chai" with { "resolution-mode": "import" };
import type { Simulator } from "pulumi-srm-simulator";

/** chai is ESM-only: Node 20.19+ require()s it; the types come from an import-mode type import. */
export const { expect } = require("chai") as typeof Chai;

/** An HTTP answer as the tests look at it. */
export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** Parsed JSON body, undefined when the body is empty. */
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  /** JSON-encoded unless already a string. */
  body?: unknown;
  basic?: { username: string; password: string };
}

/**
 * A tiny HTTPS caller on node:https that trusts only the simulator's certificate. Tests use it instead
 * of the project client so the simulator is checked on its own.
 */
export function call(ca: string, method: string, url: string, options: CallOptions = {}): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  let payload: string | undefined;
  if (options.body !== undefined) {
    payload = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  if (options.basic) {
    headers.authorization = `Basic ${Buffer.from(`${options.basic.username}:${options.basic.password}`).toString("base64")}`;
  }
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { method, headers, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        if (text.length > 0) {
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on("error", reject);
    });
    req.on("error", reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A logged-in SRM caller bound to one simulator. */
export class SrmCaller {
  session = "";
  constructor(readonly sim: Simulator) {}

  async login(): Promise<this> {
    const answer = await call(this.sim.caCert, "POST", `${this.sim.url}/session`, {
      basic: { username: this.sim.credentials.username, password: this.sim.credentials.password },
    });
    if (answer.status !== 200) throw new Error(`login failed: ${answer.status}`);
    this.session = (answer.json as { session_id: string }).session_id;
    return this;
  }

  /** Logs in to the remote site of a pairing with the simulator's remote credentials. */
  async remoteLogin(pairingId = this.sim.ids.pairingId): Promise<Answer> {
    return this.request("POST", `/pairings/${pairingId}/remote-session`, {
      basic: { username: this.sim.credentials.remoteUsername, password: this.sim.credentials.remotePassword },
    });
  }

  request(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const headers = { ...options.headers };
    if (this.session) headers["x-dr-session"] = this.session;
    return call(this.sim.caCert, method, `${this.sim.url}${path}`, { ...options, headers });
  }

  get<T = unknown>(path: string): Promise<Answer & { json: T }> {
    return this.request("GET", path) as Promise<Answer & { json: T }>;
  }

  /** Polls a task until it is SUCCESS, ERROR or CANCELLED. */
  async waitTask(taskId: string): Promise<TaskBody> {
    for (;;) {
      const answer = await this.get<TaskBody>(`/tasks/${taskId}`);
      if (answer.status !== 200) throw new Error(`GET task ${taskId}: ${answer.status}`);
      if (["SUCCESS", "ERROR", "CANCELLED"].includes(answer.json.status)) return answer.json;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** POSTs/DELETEs, expects 202 and waits for the task. */
  async runTask(method: string, path: string, body?: unknown): Promise<TaskBody> {
    const answer = await this.request(method, path, body === undefined ? {} : { body });
    if (answer.status !== 202)
      throw new Error(`${method} ${path}: expected 202, got ${answer.status} ${answer.text}`);
    return this.waitTask((answer.json as TaskBody).id);
  }
}

export interface TaskBody {
  id: string;
  status: string;
  entity?: string | null;
  entity_name?: string | null;
  result?: Record<string, unknown> | null;
  error?: { message?: string | null; details?: string | null };
  progress?: number;
  queued_time?: number | null;
  start_time?: number | null;
  complete_time?: number | null;
}

/** Paths of the default inventory, built once per simulator. */
export function pathsOf(sim: Simulator) {
  const pairing = `/pairings/${sim.ids.pairingId}`;
  const plan = (name: string) => `${pairing}/recovery-management/plans/${sim.ids.plans[name]}`;
  return {
    pairing,
    plans: `${pairing}/recovery-management/plans`,
    plan,
    steps: (name: string, mode: string) => `${plan(name)}/recovery-steps/${mode}`,
    reprotect: (name: string) => `${plan(name)}/actions/reprotect`,
  };
}
