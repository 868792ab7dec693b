// The package as users get it: `npm pack` of a copy of the checkout (so its prepack build never touches the
// checkout's dist/), the tarball's file list, and user projects made from the Pulumi TypeScript templates
// with the tarball installed.
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** The repository root (this file runs from dist/test/package). */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..", "..");

/** Runs a command, returning stdout; the error carries stdout and stderr so a failure says why. */
export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(cmd, args, {
      cwd,
      env,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      stdio: "pipe",
    });
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${cmd} ${args.join(" ")} failed in ${cwd}: ${err.message}\n${err.stdout ?? ""}\n${err.stderr ?? ""}`,
    );
  }
}

/** {@link run} without blocking the event loop, for commands that talk to a simulator in this process. */
export function runAsync(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) => {
      if (e)
        reject(new Error(`${cmd} ${args.join(" ")} failed in ${cwd}: ${e.message}\n${stdout}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

/** A packed tarball and what it holds. */
export interface Packed {
  /** Absolute path of the .tgz. */
  file: string;
  /** Size in bytes. */
  size: number;
  /** Paths inside the package (without the leading `package/`). */
  files: string[];
  /** The shipped package.json. */
  manifest: PackageManifest;
  /** Folder the tarball was unpacked into (`<dir>/package`). */
  unpacked: string;
}

/** The fields of package.json the tests read. */
export interface PackageManifest {
  name: string;
  main?: string;
  types?: string;
  exports?: Record<string, string | Record<string, string>>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
}

/**
 * Packs a copy of the working tree (tracked and new files, as a fresh clone has them) into `dir`: `npm pack`
 * runs the package's prepack build there, with the checkout's node_modules linked in.
 */
export function packCheckout(dir: string): Packed {
  const copy = path.join(dir, "checkout");
  const listed = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], PROJECT_DIR)
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(PROJECT_DIR, f)));
  for (const f of listed) {
    fs.mkdirSync(path.dirname(path.join(copy, f)), { recursive: true });
    fs.copyFileSync(path.join(PROJECT_DIR, f), path.join(copy, f));
  }
  fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(copy, "node_modules"), "dir");
  const out = run("npm", ["pack", "--json", "--pack-destination", dir], copy);
  const info = (JSON.parse(out.slice(out.indexOf("["))) as { filename: string; size: number }[])[0]!;
  const file = path.join(dir, info.filename);
  const unpackDir = path.join(dir, "unpacked");
  fs.mkdirSync(unpackDir);
  run("tar", ["-xzf", file, "-C", unpackDir], dir);
  const unpacked = path.join(unpackDir, "package");
  const files = run("tar", ["-tzf", file], dir)
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => l.replace(/^package\//, ""))
    .sort();
  const manifest = JSON.parse(
    fs.readFileSync(path.join(unpacked, "package.json"), "utf8"),
  ) as PackageManifest;
  return { file, size: fs.statSync(file).size, files, manifest, unpacked };
}

/**
 * Relative imports and requires of shipped .js and .d.ts files that name a file the tarball does not hold,
 * and source maps it does not hold, as `file: specifier`.
 */
export function danglingReferences(packed: Packed): string[] {
  const shipped = new Set(packed.files);
  const dangling: string[] = [];
  for (const f of packed.files.filter((x) => x.endsWith(".js") || x.endsWith(".d.ts"))) {
    const text = fs.readFileSync(path.join(packed.unpacked, f), "utf8");
    for (const spec of relativeSpecifiers(text)) {
      if (!resolveShipped(shipped, f, spec)) dangling.push(`${f}: ${spec}`);
    }
    const map = /\/\/# sourceMappingURL=(\S+)/.exec(text);
    if (map && !shipped.has(path.posix.join(path.posix.dirname(f), map[1]!)))
      dangling.push(`${f}: ${map[1]}`);
  }
  return dangling;
}

/**
 * Packages other than @pulumi/pulumi and Node's own that the declarations a user's compiler loads (those
 * reachable from the package's `types`) import, as `file: specifier`.
 */
export function foreignTypeImports(packed: Packed): string[] {
  const shipped = new Set(packed.files);
  const found: string[] = [];
  const seen = new Set<string>();
  const visit = (f: string) => {
    if (seen.has(f) || !shipped.has(f)) return;
    seen.add(f);
    const text = fs.readFileSync(path.join(packed.unpacked, f), "utf8");
    for (const m of text.matchAll(SPECIFIER)) {
      const spec = m[1]!;
      if (spec.startsWith(".")) visit(resolveShipped(shipped, f, spec) ?? "");
      else if (!spec.startsWith("@pulumi/pulumi") && !spec.startsWith("node:")) found.push(`${f}: ${spec}`);
    }
  };
  visit((packed.manifest.types ?? "").replace(/^\.\//, ""));
  return found;
}

const SPECIFIER = /(?:from\s+|require\(|import\()\s*["']([^"']+)["']/g;

function relativeSpecifiers(text: string): string[] {
  return [...text.matchAll(SPECIFIER)].map((m) => m[1]!).filter((s) => s.startsWith("."));
}

/** The shipped file a relative specifier of `from` names, if any. */
function resolveShipped(shipped: Set<string>, from: string, spec: string): string | undefined {
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const candidates = from.endsWith(".d.ts")
    ? [target.replace(/\.js$/, ".d.ts"), `${target}.d.ts`, `${target}/index.d.ts`]
    : [target, `${target}.js`, `${target}/index.js`];
  return candidates.find((c) => shipped.has(c));
}

/**
 * tsconfig.json of `pulumi new typescript`: the current template (module and moduleResolution nodenext)
 * and the one that was current until March 2026 (commonjs, moduleResolution node). Neither sets
 * esModuleInterop or skipLibCheck.
 */
export const TEMPLATES = {
  current: { module: "nodenext", moduleResolution: "nodenext" },
  old: { module: "commonjs", moduleResolution: "node" },
} as const;

/** Writes a user project from a template: package.json, tsconfig.json, Pulumi.yaml and `program` as index.ts. */
export function writeUserProject(
  dir: string,
  template: keyof typeof TEMPLATES,
  tarball: string,
  program: string,
): void {
  fs.mkdirSync(dir, { recursive: true });
  const pkg = {
    name: `srm-user-${template}`,
    main: "index.ts",
    devDependencies: { "@types/node": "^18", typescript: "^5.0.0" },
    dependencies: { "@pulumi/pulumi": "^3.113.0", "pulumi-srm": `file:${tarball}` },
  };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
  const tsconfig = {
    compilerOptions: {
      strict: true,
      outDir: "bin",
      target: "es2020",
      ...TEMPLATES[template],
      sourceMap: true,
      experimentalDecorators: true,
      pretty: false,
      noFallthroughCasesInSwitch: true,
      noImplicitReturns: true,
      forceConsistentCasingInFileNames: true,
    },
    files: ["index.ts"],
  };
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig, null, 2));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: srm-user-${template}\nruntime: nodejs\n`);
  fs.writeFileSync(path.join(dir, "index.ts"), program);
}

/**
 * Runs the compiled program (`bin/index.js`, exporting the program function) through the real pulumi CLI as
 * an Automation API inline program, from the user project's own @pulumi/pulumi: `up` or `destroy` (argv[2]).
 * Prints one JSON line with the result.
 */
export const STACK_DRIVER = `
const { LocalWorkspace, PulumiCommand } = require("@pulumi/pulumi/automation");
const program = require("./bin/index.js");
const print = (s) => process.stderr.write(s);
(async () => {
  const cmd = await PulumiCommand.get({ root: process.env.SRM_TEST_CLI_ROOT, skipVersionCheck: true });
  const stack = await LocalWorkspace.createOrSelectStack(
    { stackName: "dev", projectName: require("./package.json").name, program: async () => program() },
    { workDir: __dirname, envVars: JSON.parse(process.env.SRM_TEST_ENV), pulumiCommand: cmd },
  );
  await stack.setAllConfig(JSON.parse(process.env.SRM_TEST_CONFIG));
  const res = process.argv[2] === "destroy" ? await stack.destroy({ onOutput: print }) : await stack.up({ onOutput: print });
  const outputs = Object.fromEntries(Object.entries(res.outputs ?? {}).map(([k, v]) => [k, v.value]));
  // The serialized providers the state holds, each resource's input and output copy.
  const stored = ((await stack.exportStack()).deployment.resources ?? []).flatMap((r) =>
    [r.inputs, r.outputs].map((p) => p && p.__provider).filter((p) => typeof p === "string"),
  );
  console.log(JSON.stringify({ result: res.summary.result, changes: res.summary.resourceChanges, outputs, stored }));
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
`;
