// Property-based tests of every resource's check (seeded, so a failure reproduces): it never throws, whatever
// the program or the preview sends (wrong types, the unknown value anywhere, keys such as "toString" or
// "__proto__"); every failure names its field; valid inputs pass, also with any field still unknown.
import fc from "fast-check";
import { CALLOUT_TYPES, PLACEABLE_ANCHORS } from "../../provider/api/index.js";
import { implementations } from "../../provider/dynamic/registry.js";
import { UNKNOWN } from "../../provider/dynamic/unknowns.js";
import { expect } from "./helpers.js";

type Props = Record<string, unknown>;

const SEED = 20261201;
const RUNS = 1000;

/** Keys every object inherits, plus the host's reserved one: none of them may be taken for a schema field. */
const HOSTILE_KEYS = [
  "toString",
  "valueOf",
  "constructor",
  "__proto__",
  "hasOwnProperty",
  "isPrototypeOf",
  "__defineGetter__",
  "__provider",
  "",
];

const nonEmpty = fc.string({ minLength: 1, maxLength: 20 });
const anId = nonEmpty.filter((s) => s !== "." && s !== "..");
const hexThumbprint = fc
  .array(fc.constantFrom(..."0123456789ABCDEFabcdef"), { minLength: 64, maxLength: 64 })
  .map((d) => d.join(""));
const optional = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const taskTimeout = optional(fc.integer({ min: 1, max: 86_400 }));

/** Valid inputs per resource kind, as a program could write them. */
const VALID: Record<string, fc.Arbitrary<Props>> = {
  pairing: fc.record({
    resourceName: optional(nonEmpty),
    remoteVcGuid: fc.uuid(),
    pscUrl: nonEmpty,
    pscPort: optional(fc.integer({ min: 1, max: 65_535 })),
    pscThumbprint: optional(hexThumbprint),
    pscUsername: nonEmpty,
    pscPassword: nonEmpty,
    srmUrl: optional(nonEmpty),
    srmThumbprint: optional(hexThumbprint),
    taskTimeoutSeconds: taskTimeout,
  }),
  "recovery-step-callout": fc
    .record({
      resourceName: optional(nonEmpty),
      pairingId: anId,
      planId: anId,
      anchor: fc.constantFrom(...PLACEABLE_ANCHORS),
      index: fc.nat({ max: 999 }),
      name: nonEmpty,
      content: nonEmpty,
      calloutType: fc.constantFrom(...CALLOUT_TYPES),
      timeoutSeconds: optional(fc.integer({ min: 0, max: 3_600 })),
      taskTimeoutSeconds: taskTimeout,
      adopt: optional(fc.boolean()),
    })
    .map((i) => (i.calloutType === "PROMPT" && i.timeoutSeconds ? { ...i, timeoutSeconds: 0 } : i)),
  reprotect: fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    planId: anId,
    forced: optional(fc.boolean()),
    triggers: optional(fc.array(fc.jsonValue(), { maxLength: 3 })),
    taskTimeoutSeconds: taskTimeout,
  }),
  "inventory-mapping": fc
    .record({
      resourceName: optional(nonEmpty),
      pairingId: anId,
      kind: fc.constantFrom("folder", "network", "resource-pool", "storage-policy"),
      sourceSite: optional(fc.constantFrom("local", "remote")),
      sourceId: anId,
      targetId: anId,
      reverse: optional(fc.boolean()),
      ipSubnetRules: optional(
        fc.uniqueArray(
          fc.record({
            name: nonEmpty,
            localSubnet: fc.ipV4().map((a) => `${a}/24`),
            remoteSubnet: fc.ipV4().map((a) => `${a}/24`),
            defaultGateway: optional(fc.ipV4()),
            dnsServers: optional(fc.array(fc.ipV4(), { maxLength: 2 })),
          }),
          { maxLength: 3, selector: (r) => r.name },
        ),
      ),
      adopt: optional(fc.boolean()),
    })
    .map((i) => (i.kind === "network" ? i : { ...i, ipSubnetRules: undefined })),
  "test-network-mapping": fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    protectedSite: optional(fc.constantFrom("local", "remote")),
    recoveryNetworkId: anId,
    testNetworkId: anId,
    adopt: optional(fc.boolean()),
  }),
  "placeholder-datastore": fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    recoverySite: optional(fc.constantFrom("local", "remote")),
    datastoreId: anId,
    adopt: optional(fc.boolean()),
    taskTimeoutSeconds: taskTimeout,
  }),
  "protection-group": fc.oneof(
    fc.record({
      resourceName: optional(nonEmpty),
      pairingId: anId,
      name: nonEmpty.map((n) => n.slice(0, 80)),
      description: optional(fc.string({ maxLength: 200 })),
      protectedVcGuid: fc.uuid(),
      replicationType: optional(fc.constant("HBR")),
      vms: fc.uniqueArray(anId, { minLength: 1, maxLength: 4 }),
      folder: optional(anId),
      taskTimeoutSeconds: taskTimeout,
    }),
    fc.record({
      resourceName: optional(nonEmpty),
      pairingId: anId,
      name: nonEmpty.map((n) => n.slice(0, 80)),
      protectedVcGuid: fc.uuid(),
      replicationType: fc.constant("ABR"),
      arrayPair: anId,
      datastores: fc.uniqueArray(anId, { minLength: 1, maxLength: 4 }),
      taskTimeoutSeconds: taskTimeout,
    }),
  ),
  "recovery-plan": fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    name: nonEmpty,
    description: optional(fc.string({ maxLength: 200 })),
    protectedVcGuid: fc.uuid(),
    protectionGroupIds: optional(fc.uniqueArray(anId, { maxLength: 3 })),
    vmsToSuspend: optional(fc.uniqueArray(anId, { maxLength: 3 })),
    folder: optional(anId),
    taskTimeoutSeconds: taskTimeout,
  }),
  "protection-group-folder": fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    name: nonEmpty,
    parentFolderId: optional(anId),
    taskTimeoutSeconds: taskTimeout,
  }),
  "recovery-plan-folder": fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    name: nonEmpty,
    parentFolderId: optional(anId),
    taskTimeoutSeconds: taskTimeout,
  }),
  "vm-recovery-settings": fc.record({
    resourceName: optional(nonEmpty),
    pairingId: anId,
    planId: anId,
    vmId: anId,
    priority: optional(fc.integer({ min: 1, max: 5 })),
    powerOn: optional(fc.boolean()),
    powerOnToolsTimeoutSeconds: optional(fc.integer({ min: 0, max: 3599 })),
    delayAfterPowerOnSeconds: optional(fc.integer({ min: 0, max: 3599 })),
    shutdownTimeoutSeconds: optional(fc.integer({ min: 0, max: 3599 })),
    skipGuestShutdown: optional(fc.boolean()),
    taskTimeoutSeconds: taskTimeout,
  }),
  "appliance-reconciliation": fc.record({
    resourceName: optional(nonEmpty),
    applianceHost: optional(nonEmpty),
    applianceUsername: optional(nonEmpty),
    appliancePassword: optional(nonEmpty),
    applianceThumbprint: optional(hexThumbprint),
    applianceInsecure: optional(fc.boolean()),
    ssoAdminUsername: nonEmpty,
    ssoAdminPassword: nonEmpty,
    ignoreWarnings: optional(fc.boolean()),
    triggers: optional(fc.array(fc.jsonValue(), { maxLength: 3 })),
    timeoutSeconds: optional(fc.integer({ min: 1, max: 86_400 })),
  }),
};

/** Any value a program, a hand-edited state or the preview could put in a field. */
const anyValue = fc.oneof(
  { weight: 3, arbitrary: fc.anything({ maxDepth: 2 }) },
  { weight: 1, arbitrary: fc.constant(UNKNOWN) },
  { weight: 1, arbitrary: fc.array(fc.constant(UNKNOWN), { minLength: 1, maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom(".", "..", "", null, Number.NaN, -1, 1e308) },
);

/** Strips undefined values, as the host never sends them. */
function defined(inputs: Props): Props {
  return Object.fromEntries(Object.entries(inputs).filter(([, v]) => v !== undefined));
}

/** Inputs with own keys chosen from the schema's fields and {@link HOSTILE_KEYS}; "__proto__" stays a plain key. */
function inputsFrom(fields: readonly string[]): fc.Arbitrary<Props> {
  return fc
    .array(fc.tuple(fc.constantFrom(...fields, ...HOSTILE_KEYS), anyValue), { maxLength: 12 })
    .map((entries) => Object.fromEntries(entries));
}

/** The field names a valid sample shows for a kind (every optional field set once somewhere). */
function fieldsOf(kind: string): string[] {
  const keys = new Set<string>();
  for (const sample of fc.sample(VALID[kind], { seed: SEED, numRuns: 50 })) {
    for (const k of Object.keys(sample)) keys.add(k);
  }
  return [...keys];
}

describe("resources: check, property-based (every resource)", function () {
  this.timeout(60_000);

  for (const [kind, impl] of Object.entries(implementations)) {
    const valid = VALID[kind];
    if (!valid) {
      // Kinds without a generator of valid inputs still get the hostile-input property.
      it(`${kind}: never throws on hostile keys and values, and every failure names a field (${RUNS} seeded cases)`, async () => {
        await fc.assert(
          fc.asyncProperty(inputsFrom([]), async (news) => {
            const result = await impl.check({}, news);
            expect(result).to.have.property("inputs");
            for (const f of result.failures ?? []) {
              expect(f.property, JSON.stringify(f)).to.be.a("string").and.not.equal("");
              expect(f.reason.startsWith(`${f.property}: `), f.reason).to.equal(true);
            }
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });
      continue;
    }
    const fields = fieldsOf(kind);

    describe(kind, () => {
      it(`never throws, and every failure names its field (${RUNS} seeded cases)`, async () => {
        await fc.assert(
          fc.asyncProperty(inputsFrom(fields), async (news) => {
            const result = await impl.check({}, news);
            expect(result).to.have.property("inputs");
            for (const f of result.failures ?? []) {
              expect(f.property, JSON.stringify(f)).to.be.a("string").and.not.equal("");
              expect(f.property).not.to.equal("(inputs)");
              expect(fields, JSON.stringify(f)).to.include(f.property.split(/[.[]/)[0]);
              expect(f.reason.startsWith(`${f.property}: `), f.reason).to.equal(true);
            }
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });

      it(`accepts valid inputs, also with any field still unknown (${RUNS} seeded cases)`, async () => {
        await fc.assert(
          fc.asyncProperty(valid, fc.nat(), async (sample, pick) => {
            const news = defined(sample);
            const result = await impl.check({}, news);
            expect(result.failures ?? [], JSON.stringify(news)).to.deep.equal([]);
            const keys = Object.keys(news);
            const unknownKey = keys[pick % keys.length];
            const preview = await impl.check({}, { ...news, [unknownKey]: UNKNOWN });
            expect(preview.failures ?? [], unknownKey).to.deep.equal([]);
            expect((preview.inputs as Props)[unknownKey]).to.equal(UNKNOWN);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });

      it(`fails a valid input with one field set to a wrong type, naming that field (${RUNS} seeded cases)`, async () => {
        const wrong = fc.constantFrom<unknown>(
          { nested: true },
          [1, 2],
          Symbol.for("x").description,
          12.5,
          "",
        );
        await fc.assert(
          fc.asyncProperty(valid, fc.nat(), wrong, async (sample, pick, value) => {
            const news = defined(sample);
            // resourceName and triggers accept any list or string; the others have a type.
            const typed = Object.keys(news).filter((k) => k !== "resourceName" && k !== "triggers");
            const key = typed[pick % typed.length];
            const patched = { ...news, [key]: value };
            const result = await impl.check({}, patched);
            const accepted = (result.failures ?? []).length === 0;
            // Some wrong values are right for some fields ("x" for a string); only a refusal must name it.
            if (!accepted) expect(result.failures?.map((f) => f.property.split(/[.[]/)[0])).to.include(key);
            if (typeof value === "object")
              expect(accepted, `${key}=${JSON.stringify(value)}`).to.equal(false);
          }),
          { seed: SEED, numRuns: RUNS },
        );
      });

      it("refuses ids that cannot stand as a URL path segment, naming the field", async () => {
        const idFields = fields.filter((f) => f === "pairingId" || f === "planId");
        const sample = defined(fc.sample(valid, { seed: SEED, numRuns: 1 })[0]);
        for (const field of idFields) {
          for (const bad of [".", "..", ""]) {
            const result = await impl.check({}, { ...sample, [field]: bad });
            expect(
              result.failures?.map((f) => f.property),
              `${field}=${bad}`,
            ).to.deep.equal([field]);
          }
        }
      });
    });
  }

  it("check survives inherited keys holding the preview's unknown value (regression)", async () => {
    for (const impl of Object.values(implementations)) {
      for (const key of HOSTILE_KEYS) {
        const news = Object.fromEntries([[key, UNKNOWN]]) as Props;
        const result = await impl.check({}, news);
        expect(result).to.have.property("inputs");
      }
    }
  });
});
