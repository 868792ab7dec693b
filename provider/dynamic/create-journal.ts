// The create journal: what a create was about to do, kept on disk outside the stack's state, so a create whose
// outcome no engine saw (a lost answer, a timeout, a killed `pulumi` or provider host) is recognised by the next
// run without `adopt`. Before a create is sent, the ids of the objects that existed are written; after it, the
// id it made. A later create of the same resource finds its own object by those ids (a new id that was not
// there before, never by position or name alone), even after other inserts moved it. The record lives as long
// as the object, and delete removes it. It holds ids and names only, never a credential.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { z } from "zod";

/** Environment variable naming the journal's folder; default `~/.pulumi-srm/journal`. */
export const JOURNAL_DIR_ENV = "PULUMI_SRM_JOURNAL_DIR";

/** The journal's folder: `PULUMI_SRM_JOURNAL_DIR`, else `~/.pulumi-srm/journal`. */
export function journalDir(): string {
  const fromEnv = process.env[JOURNAL_DIR_ENV];
  return fromEnv && fromEnv !== "" ? fromEnv : path.join(os.homedir(), ".pulumi-srm", "journal");
}

const RecordSchema = z.object({
  key: z.string(),
  /** SRM server and the collection the ids belong to, e.g. `https://srm/api/rest/srm/v2|pairing-1|plan-2`. */
  scope: z.string(),
  /** Ids this resource made and still stands for. */
  created: z.array(z.string()),
  /** A create sent but not seen to finish: the ids that existed just before it, and what it makes. */
  pending: z.object({ known: z.array(z.string()), what: z.string() }).optional(),
});
/** One resource's record. */
export type JournalRecord = z.infer<typeof RecordSchema>;

const digest = (text: string, length: number) =>
  createHash("sha256").update(text).digest("hex").slice(0, length);

/** The resource type of a key (`project/stack/srm:Type/name`), e.g. `RecoveryStepCallout`; `other` if none. */
export function typeOfKey(key: string): string {
  return /^.*\/srm:([A-Za-z]+)\/.*$/.exec(key)?.[1] ?? "other";
}

/**
 * The record file of a key in a scope: `<scope digest>/<Type>.<key digest>.json`, so resource names never become
 * paths, and the records of one scope and type are found without reading the others.
 */
function fileOf(key: string, scope: string): string {
  return path.join(journalDir(), digest(scope, 24), `${typeOfKey(key)}.${digest(key, 40)}.json`);
}

/** Where releases before the per-scope layout kept the record of a key (read, and removed once rewritten). */
function legacyFileOf(key: string): string {
  return path.join(journalDir(), `${digest(key, 40)}.json`);
}

/** The record in `file` if it is the one of `key` in `scope`. */
function recordAt(file: string, key: string, scope: string): JournalRecord | undefined {
  const record = parseFile(file);
  return record && record.key === key && record.scope === scope ? record : undefined;
}

function parseFile(file: string): JournalRecord | undefined {
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(fs.readFileSync(file, "utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads the record of `key` in `scope`; undefined when there is none (or it is unreadable, or of another scope). */
export function readRecord(key: string | undefined, scope: string): JournalRecord | undefined {
  if (!key) return undefined;
  return (
    recordAt(fileOf(key, scope), key, scope) ??
    (legacyRecordsMayExist() ? recordAt(legacyFileOf(key), key, scope) : undefined)
  );
}

/**
 * Whether the journal's folder held records of earlier releases when this process first looked. Nothing writes
 * them any more, so a folder without them stays without them, and every create skips looking for its own
 * legacy record (two failed opens per create, and a listing of the whole folder per plan check).
 */
const legacyChecked = new Map<string, boolean>();
function legacyRecordsMayExist(): boolean {
  const dir = journalDir();
  let found = legacyChecked.get(dir);
  if (found === undefined) {
    found = namesIn(dir).some((n) => n.endsWith(".json"));
    legacyChecked.set(dir, found);
  }
  return found;
}

/** Writes a record atomically (a temp file renamed over the old one), so a crash leaves the old or the new. */
function writeRecord(record: JournalRecord): void {
  const file = fileOf(record.key, record.scope);
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const text = `${JSON.stringify(record)}\n`;
  try {
    fs.writeFileSync(tmp, text, { mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    // The scope's folder is new, or another process removed it empty just now.
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(tmp, text, { mode: 0o600 });
  }
  fs.renameSync(tmp, file);
  removeLegacy(record.key, record.scope);
}

/** Removes the legacy record of `key` if it is of `scope` (a resource recreated elsewhere keeps its own). */
function removeLegacy(key: string, scope: string): void {
  if (!legacyRecordsMayExist()) return;
  const legacy = legacyFileOf(key);
  if (recordAt(legacy, key, scope)) fs.rmSync(legacy, { force: true });
}

/** The journal of one resource (by its key) in one scope. Every method is a no-op without a key. */
export class CreateJournal {
  /**
   * The record as this object last read or wrote it. One create (or delete) uses one journal object under its
   * resource's single engine step, so nothing else writes the record meanwhile, and the steps of a create read
   * it once, not once per step.
   */
  private known: { record: JournalRecord | undefined } | undefined;

  constructor(
    /** `project/stack/type/name` of the resource; undefined for resources created without one (no journal). */
    readonly key: string | undefined,
    /** Server and collection of the ids. */
    readonly scope: string,
  ) {}

  /** The current record, if any. */
  read(): JournalRecord | undefined {
    this.known ??= { record: readRecord(this.key, this.scope) };
    return this.known.record;
  }

  private write(record: JournalRecord): void {
    writeRecord(record);
    this.known = { record };
  }

  /** Before a create is sent: the ids that exist now, and what the create makes (for messages). */
  begin(known: readonly (string | number)[], what: string): void {
    if (!this.key) return;
    const old = this.read();
    this.write({
      key: this.key,
      scope: this.scope,
      created: old?.created ?? [],
      pending: { known: known.map(String), what },
    });
  }

  /** The create made `id` (or an own object was found again): recorded, and the pending create cleared. */
  made(id: string | number, replaces: readonly (string | number)[] = []): void {
    if (!this.key) return;
    const drop = new Set(replaces.map(String));
    const created = (this.read()?.created ?? []).filter((x) => !drop.has(x) && x !== String(id));
    this.write({ key: this.key, scope: this.scope, created: [...created, String(id)] });
  }

  /** A create SRM refused: it made nothing, so the pending create is cleared. */
  cancel(): void {
    if (!this.key) return;
    const old = this.read();
    if (old?.pending) this.write({ key: this.key, scope: this.scope, created: old.created });
  }

  /** Sets the ids this resource stands for (clears a pending create). */
  set(ids: readonly (string | number)[]): void {
    if (!this.key) return;
    this.write({ key: this.key, scope: this.scope, created: ids.map(String) });
  }

  /** The object is gone (deleted): the record goes too. */
  remove(): void {
    if (!this.key) return;
    // Only the record of this scope: a resource recreated elsewhere keeps its new record.
    const file = fileOf(this.key, this.scope);
    fs.rmSync(file, { force: true });
    this.known = { record: undefined };
    removeLegacy(this.key, this.scope);
    try {
      fs.rmdirSync(path.dirname(file));
    } catch {
      // other records of the scope remain
    }
  }
}

/**
 * The ids a record says are this resource's among `current`: the ones it made that still exist, and, for a
 * create whose outcome was not seen, the new ids (not among those that existed before it) that `isOwn`
 * accepts (same fields).
 */
export async function ownIds(
  record: JournalRecord | undefined,
  current: readonly (string | number)[],
  isOwn: (id: string) => boolean | Promise<boolean>,
): Promise<string[]> {
  if (!record) return [];
  const now = current.map(String);
  const out = record.created.filter((id) => now.includes(id));
  if (record.pending) {
    const known = new Set(record.pending.known);
    for (const id of now) if (!known.has(id) && !out.includes(id) && (await isOwn(id))) out.push(id);
  }
  return out;
}

/**
 * The records of `scope` in the journal (other resources' too), of resources of `type` when given (e.g.
 * `RecoveryPlanCallouts`): who else made objects in the same collection. Every create asks, so only that scope's
 * folder is listed and only that type's records are read.
 */
export function recordsIn(scope: string, type?: string): JournalRecord[] {
  const dir = journalDir();
  const out: JournalRecord[] = [];
  const scopeDir = path.join(dir, digest(scope, 24));
  for (const n of namesIn(scopeDir)) {
    if (!n.endsWith(".json") || (type !== undefined && !n.startsWith(`${type}.`))) continue;
    const record = parseFile(path.join(scopeDir, n));
    if (record?.scope === scope) out.push(record);
  }
  // Records of earlier releases, until their resources write them again.
  if (!legacyRecordsMayExist()) return out;
  for (const n of namesIn(dir)) {
    if (!n.endsWith(".json")) continue;
    const record = parseFile(path.join(dir, n));
    if (record?.scope === scope && (type === undefined || typeOfKey(record.key) === type)) out.push(record);
  }
  return out;
}

function namesIn(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
