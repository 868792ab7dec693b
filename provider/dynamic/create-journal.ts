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

/** The record file of a key: a digest, so resource names never become paths. */
function fileOf(key: string): string {
  return path.join(journalDir(), `${createHash("sha256").update(key).digest("hex").slice(0, 40)}.json`);
}

/** Reads the record of `key` in `scope`; undefined when there is none (or it is unreadable, or of another scope). */
export function readRecord(key: string | undefined, scope: string): JournalRecord | undefined {
  if (!key) return undefined;
  let text: string;
  try {
    text = fs.readFileSync(fileOf(key), "utf8");
  } catch {
    return undefined;
  }
  try {
    const parsed = RecordSchema.safeParse(JSON.parse(text));
    return parsed.success && parsed.data.key === key && parsed.data.scope === scope ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Writes a record atomically (a temp file renamed over the old one), so a crash leaves the old or the new. */
function writeRecord(record: JournalRecord): void {
  const file = fileOf(record.key);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(record)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The journal of one resource (by its key) in one scope. Every method is a no-op without a key. */
export class CreateJournal {
  constructor(
    /** `project/stack/type/name` of the resource; undefined for resources created without one (no journal). */
    readonly key: string | undefined,
    /** Server and collection of the ids. */
    readonly scope: string,
  ) {}

  /** The current record, if any. */
  read(): JournalRecord | undefined {
    return readRecord(this.key, this.scope);
  }

  /** Before a create is sent: the ids that exist now, and what the create makes (for messages). */
  begin(known: readonly (string | number)[], what: string): void {
    if (!this.key) return;
    const old = this.read();
    writeRecord({
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
    writeRecord({ key: this.key, scope: this.scope, created: [...created, String(id)] });
  }

  /** A create SRM refused: it made nothing, so the pending create is cleared. */
  cancel(): void {
    if (!this.key) return;
    const old = this.read();
    if (old?.pending) writeRecord({ key: this.key, scope: this.scope, created: old.created });
  }

  /** Sets the ids this resource stands for (clears a pending create). */
  set(ids: readonly (string | number)[]): void {
    if (!this.key) return;
    writeRecord({ key: this.key, scope: this.scope, created: ids.map(String) });
  }

  /** The object is gone (deleted): the record goes too. */
  remove(): void {
    if (!this.key) return;
    const file = fileOf(this.key);
    // Only the record of this scope: a resource recreated elsewhere keeps its new record.
    if (readRecord(this.key, this.scope) !== undefined) fs.rmSync(file, { force: true });
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

/** Every record of `scope` in the journal (other resources' too): who else made objects in the same collection. */
export function recordsIn(scope: string): JournalRecord[] {
  let names: string[];
  try {
    names = fs.readdirSync(journalDir()).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  const out: JournalRecord[] = [];
  for (const n of names) {
    try {
      const parsed = RecordSchema.safeParse(JSON.parse(fs.readFileSync(path.join(journalDir(), n), "utf8")));
      if (parsed.success && parsed.data.scope === scope) out.push(parsed.data);
    } catch {
      // a record removed meanwhile, or unreadable: not an owner
    }
  }
  return out;
}
