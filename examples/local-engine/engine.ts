/**
 * A tiny deployment engine over a JSON state file: preview, up, refresh and destroy of a Pulumi
 * program whose resources are handled by the real dynamic-provider host. It follows the Pulumi
 * engine's rules for dynamic resources: Check then Create for new resources, Check + Diff against
 * the stored outputs for existing ones, Update in place or replace (delete first when the provider
 * or the resource asks for it), and deletes of resources that left the program, last and in reverse.
 */
import * as fs from "node:fs";
import { isDeepStrictEqual } from "node:util";
import { ProviderHost, UNKNOWN, type Props } from "./host-process.js";
import { runProgram, type ProgramFn, type RegisteredResource, type SettledOutput } from "./program-runner.js";

/** Stands for a secret input in the state file and in printed plans. */
export const SECRET_PLACEHOLDER = "[secret]";

/** One resource in the state file. Secret inputs are stored as placeholders, never as values. */
export interface StateResource {
  urn: string;
  type: string;
  name: string;
  id: string;
  /** Inputs as checked, secret ones replaced by {@link SECRET_PLACEHOLDER}. */
  inputs: Props;
  secretInputs: string[];
  additionalSecretOutputs: string[];
  /** Outputs as the host returned them, including `__provider` (the code that deletes it later). */
  outputs: Props;
}

/** The state file. */
export interface EngineState {
  version: 1;
  resources: StateResource[];
  /** Replaced objects waiting for deletion at the end of an update. */
  pendingDeletes: StateResource[];
}

/** What an operation does (or would do) to one resource. */
export type StepOp = "create" | "update" | "replace" | "same" | "delete";

/** One line of a plan or of an update's result. */
export interface PlanStep {
  op: StepOp;
  type: string;
  name: string;
  /** Changed input names (update/replace). */
  fields: string[];
  /** Replacing fields (replace). */
  replaces: string[];
  deleteBeforeReplace: boolean;
  /** "field: old => new" details for non-secret changes. */
  details: string[];
}

/** A resource's refresh result. */
export interface RefreshStep {
  status: "in-sync" | "drifted" | "gone";
  type: string;
  name: string;
  fields: string[];
  details: string[];
}

/** Result of preview and up. */
export interface DeploymentResult {
  steps: PlanStep[];
  exports: Record<string, SettledOutput>;
  /** Counts per operation. */
  summary: Record<StepOp, number>;
}

/** Engine settings. */
export interface EngineOptions {
  host: ProviderHost;
  statePath: string;
  /** Stack config, sent to the host (Configure) and to the program (lookups read it). */
  config: Record<string, string>;
  secretConfigKeys?: string[];
  project?: string;
  stack?: string;
  /** Where progress lines go (default: nowhere). */
  log?: (line: string) => void;
}

/** `pulumi-nodejs:dynamic/srm:Pairing` -> `srm:Pairing`. */
export function shortType(type: string): string {
  return type.replace(/^pulumi-nodejs:dynamic\//, "");
}

const OPS: StepOp[] = ["create", "update", "replace", "same", "delete"];
const SYMBOL: Record<StepOp, string> = { create: "+", update: "~", replace: "+-", same: "=", delete: "-" };

/** One readable plan line, e.g. `  ~ update   srm:RecoveryStepCallout  tier1-test-notify  [content]`. */
export function formatStep(s: PlanStep): string[] {
  const fields = s.fields.length > 0 ? `  [${s.fields.join(", ")}]` : "";
  const dbr = s.op === "replace" && s.deleteBeforeReplace ? " (delete before replace)" : "";
  const head = `  ${SYMBOL[s.op].padEnd(2)} ${s.op.padEnd(8)} ${shortType(s.type).padEnd(28)} ${s.name}${fields}${dbr}`;
  return [head, ...s.details.map((d) => `         ${d}`)];
}

const DONE: Record<StepOp, string> = {
  create: "created",
  update: "updated",
  replace: "replaced",
  same: "unchanged",
  delete: "deleted",
};

/** `7 to create` for a plan, `1 updated, 1 replaced, 5 unchanged` for a finished update. */
export function formatSummary(summary: Record<StepOp, number>, done = false): string {
  return (
    OPS.filter((op) => summary[op] > 0)
      .map((op) => `${summary[op]} ${done ? DONE[op] : op === "same" ? "unchanged" : `to ${op}`}`)
      .join(", ") || "no changes"
  );
}

function count(steps: PlanStep[]): Record<StepOp, number> {
  const summary = { create: 0, update: 0, replace: 0, same: 0, delete: 0 };
  for (const s of steps) summary[s.op]++;
  return summary;
}

function short(v: unknown): string {
  const text = v === UNKNOWN ? "(known after up)" : JSON.stringify(v);
  return text === undefined ? "undefined" : text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** The local engine; one instance per operation or per run, state lives in the file. */
export class LocalEngine {
  private configured = false;
  /** Secret values seen in this run; state writes and printed lines are checked against them. */
  private readonly secrets = new Set<string>();

  constructor(private readonly options: EngineOptions) {
    for (const k of options.secretConfigKeys ?? []) {
      const v = options.config[k];
      if (v) this.secrets.add(v);
    }
  }

  private log(line: string): void {
    this.assertNoSecret(line, "a printed line");
    this.options.log?.(line);
  }

  private assertNoSecret(text: string, where: string): void {
    for (const s of this.secrets) {
      if (s.length >= 4 && text.includes(s))
        throw new Error(`refusing to write a secret value into ${where}`);
    }
  }

  /** Reads the state file (empty state when it does not exist yet). */
  readState(): EngineState {
    if (!fs.existsSync(this.options.statePath)) return { version: 1, resources: [], pendingDeletes: [] };
    return JSON.parse(fs.readFileSync(this.options.statePath, "utf8")) as EngineState;
  }

  private writeState(state: EngineState): void {
    const text = JSON.stringify(state, null, 2);
    this.assertNoSecret(text, "the state file");
    // Temporary file + rename: a crash or a full disk mid-write leaves the previous state whole, never half.
    const temp = `${this.options.statePath}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(temp, text);
      fs.renameSync(temp, this.options.statePath);
    } catch (e) {
      fs.rmSync(temp, { force: true });
      throw e;
    }
  }

  private async ensureConfigured(): Promise<void> {
    if (this.configured) return;
    await this.options.host.configure(this.options.config);
    this.configured = true;
  }

  private rememberSecrets(res: RegisteredResource): void {
    for (const k of res.secretInputs) {
      const v = res.inputs[k];
      if (typeof v === "string" && v !== UNKNOWN) this.secrets.add(v);
      else if (v !== undefined && v !== UNKNOWN) this.secrets.add(JSON.stringify(v));
    }
  }

  /** The stored form of a resource: secret inputs (and any output echoing one) as placeholders. */
  private toState(res: RegisteredResource, id: string, inputs: Props, outputs: Props): StateResource {
    const hide = (p: Props): Props =>
      Object.fromEntries(
        Object.entries(p).map(([k, v]) => [k, res.secretInputs.includes(k) ? SECRET_PLACEHOLDER : v]),
      );
    return {
      urn: res.urn,
      type: res.type,
      name: res.name,
      id,
      inputs: hide(inputs),
      secretInputs: res.secretInputs,
      additionalSecretOutputs: res.additionalSecretOutputs,
      outputs: hide(outputs),
    };
  }

  /** Old inputs for Check: the stored ones without secret placeholders. */
  private oldInputs(old: StateResource): Props {
    return Object.fromEntries(Object.entries(old.inputs).filter(([, v]) => v !== SECRET_PLACEHOLDER));
  }

  private async check(res: RegisteredResource, old: StateResource | undefined): Promise<Props> {
    const checked = await this.options.host.check(res.urn, old ? this.oldInputs(old) : {}, res.inputs);
    if (checked.failures.length > 0) {
      const reasons = checked.failures.map((f) => `${f.property}: ${f.reason}`).join("; ");
      throw new Error(`${shortType(res.type)} "${res.name}" has invalid inputs: ${reasons}`);
    }
    return checked.inputs;
  }

  /** Plans one registered resource against its stored state. */
  private async plan(
    res: RegisteredResource,
    old: StateResource | undefined,
    news: Props,
  ): Promise<PlanStep> {
    const step: PlanStep = {
      op: "create",
      type: res.type,
      name: res.name,
      fields: [],
      replaces: [],
      deleteBeforeReplace: false,
      details: [],
    };
    if (!old) return step;
    const diff = await this.options.host.diff(old.id, res.urn, old.outputs, news, this.oldInputs(old));
    const secretKeys = new Set([...res.secretInputs, ...res.additionalSecretOutputs]);
    const changed = Object.keys(news).filter(
      (k) =>
        k !== "__provider" &&
        !secretKeys.has(k) &&
        k in old.outputs &&
        !isDeepStrictEqual(news[k], old.outputs[k]),
    );
    const changes = diff.changes === "some" || (diff.changes === "unknown" && changed.length > 0);
    if (!changes && diff.replaces.length === 0) return { ...step, op: "same" };
    const fields = [...new Set([...diff.replaces, ...changed])];
    if (fields.length === 0) fields.push(...res.secretInputs.filter((k) => k in news));
    step.fields = fields;
    step.details = fields
      .filter((k) => !secretKeys.has(k))
      .map((k) => `${k}: ${short(old.outputs[k])} => ${short(news[k])}`);
    if (diff.replaces.length > 0) {
      step.op = "replace";
      step.replaces = diff.replaces;
      step.deleteBeforeReplace = diff.deleteBeforeReplace || res.deleteBeforeReplace;
    } else {
      step.op = "update";
    }
    return step;
  }

  private deleteStep(r: StateResource): PlanStep {
    return {
      op: "delete",
      type: r.type,
      name: r.name,
      fields: [],
      replaces: [],
      deleteBeforeReplace: false,
      details: [],
    };
  }

  /** Shows what `up` would do; changes nothing (no Create/Update/Delete reaches the host). */
  async preview(program: ProgramFn): Promise<DeploymentResult> {
    await this.ensureConfigured();
    const state = this.readState();
    const byUrn = new Map(state.resources.map((r) => [r.urn, r]));
    const steps: PlanStep[] = [];
    const run = await runProgram(program, {
      ...this.runOptions(),
      preview: true,
      onResource: async (res) => {
        this.rememberSecrets(res);
        const old = byUrn.get(res.urn);
        const news = await this.check(res, old);
        const step = await this.plan(res, old, news);
        steps.push(step);
        for (const line of formatStep(step)) this.log(line);
        if (step.op === "same") return { id: old!.id, outputs: old!.outputs };
        // Outputs the provider computes stay unknown in a preview, as in `pulumi preview`.
        const outputs = step.op === "update" ? { ...old!.outputs, ...news } : news;
        return { id: step.op === "create" ? "" : old!.id, outputs };
      },
    });
    const registered = new Set(run.resources.map((r) => r.urn));
    for (const r of [...state.resources].reverse()) {
      if (registered.has(r.urn)) continue;
      const step = this.deleteStep(r);
      steps.push(step);
      for (const line of formatStep(step)) this.log(line);
    }
    return { steps, exports: run.exports, summary: count(steps) };
  }

  /** Makes SRM match the program: creates, updates, replaces, then deletes what left the program. */
  async up(program: ProgramFn): Promise<DeploymentResult> {
    await this.ensureConfigured();
    const host = this.options.host;
    const state = this.readState();
    const previous = new Map(state.resources.map((r) => [r.urn, r]));
    const steps: PlanStep[] = [];
    const save = (): void => this.writeState(state);
    const put = (r: StateResource): void => {
      const i = state.resources.findIndex((x) => x.urn === r.urn);
      if (i >= 0) state.resources[i] = r;
      else state.resources.push(r);
      save();
    };
    const remove = (list: StateResource[], r: StateResource): void => {
      const i = list.indexOf(r);
      if (i >= 0) list.splice(i, 1);
      save();
    };

    const run = await runProgram(program, {
      ...this.runOptions(),
      onResource: async (res) => {
        this.rememberSecrets(res);
        const old = previous.get(res.urn);
        const news = await this.check(res, old);
        const step = await this.plan(res, old, news);
        steps.push(step);
        for (const line of formatStep(step)) this.log(line);
        if (step.op === "same") return { id: old!.id, outputs: old!.outputs };
        if (step.op === "update") {
          const { properties } = await host.update(old!.id, res.urn, old!.outputs, news);
          put(this.toState(res, old!.id, news, properties));
          return { id: old!.id, outputs: properties };
        }
        if (step.op === "replace" && step.deleteBeforeReplace) {
          await host.delete(old!.id, res.urn, old!.outputs);
          remove(
            state.resources,
            state.resources.find((x) => x.urn === res.urn)!,
          );
        } else if (step.op === "replace") {
          // Create first, delete the old object at the end, as the Pulumi engine does.
          state.pendingDeletes.push(old!);
          remove(
            state.resources,
            state.resources.find((x) => x.urn === res.urn)!,
          );
        }
        const created = await host.create(res.urn, news);
        put(this.toState(res, created.id, news, created.properties));
        return { id: created.id, outputs: created.properties };
      },
    });

    const registered = new Set(run.resources.map((r) => r.urn));
    for (const r of [...state.resources].reverse()) {
      if (registered.has(r.urn)) continue;
      const step = this.deleteStep(r);
      steps.push(step);
      for (const line of formatStep(step)) this.log(line);
      await host.delete(r.id, r.urn, r.outputs);
      remove(state.resources, r);
    }
    for (const r of [...state.pendingDeletes].reverse()) {
      await host.delete(r.id, r.urn, r.outputs);
      remove(state.pendingDeletes, r);
    }
    return { steps, exports: run.exports, summary: count(steps) };
  }

  /** Reads every resource back and reports drift; the state takes what SRM reports. */
  async refresh(): Promise<RefreshStep[]> {
    await this.ensureConfigured();
    const state = this.readState();
    const result: RefreshStep[] = [];
    for (const r of [...state.resources]) {
      const read = await this.options.host.read(r.id, r.urn, r.outputs, this.oldInputs(r));
      const secretKeys = new Set([...r.secretInputs, ...r.additionalSecretOutputs]);
      if (read.id === "") {
        result.push({ status: "gone", type: r.type, name: r.name, fields: [], details: [] });
        state.resources.splice(state.resources.indexOf(r), 1);
        continue;
      }
      const keys = new Set([...Object.keys(r.outputs), ...Object.keys(read.properties)]);
      const fields = [...keys].filter(
        (k) => k !== "__provider" && !isDeepStrictEqual(r.outputs[k], read.properties[k]),
      );
      const details = fields
        .filter((k) => !secretKeys.has(k))
        .map((k) => `${k}: ${short(r.outputs[k])} => ${short(read.properties[k])}`);
      result.push({
        status: fields.length > 0 ? "drifted" : "in-sync",
        type: r.type,
        name: r.name,
        fields,
        details,
      });
      const hide = (p: Props): Props =>
        Object.fromEntries(
          Object.entries(p).map(([k, v]) => [k, r.secretInputs.includes(k) ? SECRET_PLACEHOLDER : v]),
        );
      r.id = read.id;
      r.outputs = hide(read.properties);
      if (read.inputs) r.inputs = { ...r.inputs, ...hide(read.inputs) };
    }
    this.writeState(state);
    for (const s of result) {
      const fields = s.fields.length > 0 ? `  [${s.fields.join(", ")}]` : "";
      this.log(`  ${s.status.padEnd(8)} ${shortType(s.type).padEnd(28)} ${s.name}${fields}`);
      for (const d of s.details) this.log(`           ${d}`);
    }
    return result;
  }

  /** Deletes every resource in reverse creation order. */
  async destroy(): Promise<PlanStep[]> {
    await this.ensureConfigured();
    const state = this.readState();
    const steps: PlanStep[] = [];
    for (const r of [...state.pendingDeletes, ...state.resources].reverse()) {
      const step = this.deleteStep(r);
      steps.push(step);
      for (const line of formatStep(step)) this.log(line);
      await this.options.host.delete(r.id, r.urn, r.outputs);
      const list = state.pendingDeletes.includes(r) ? state.pendingDeletes : state.resources;
      list.splice(list.indexOf(r), 1);
      this.writeState(state);
    }
    return steps;
  }

  private runOptions(): {
    project?: string;
    stack?: string;
    config: Record<string, string>;
    secretConfigKeys: string[];
  } {
    return {
      project: this.options.project ?? this.options.host.project,
      stack: this.options.stack ?? this.options.host.stack,
      config: this.options.config,
      secretConfigKeys: this.options.secretConfigKeys ?? [],
    };
  }
}
