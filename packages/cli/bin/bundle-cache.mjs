// A cached esbuild bundle of the CLI's TypeScript sources, so a start does not translate them again.
//
// Through tsx, every start resolves and loads ~190 .ts files (core, data, cli) through its loader thread:
// ~0.7 s of a `valuecast --version` that takes 0.8 s, before any work. The bundle (src/main.ts and the
// workspace packages it imports, code-split so lazily imported packages stay lazy) is built with the
// esbuild that tsx itself runs on, on first use and again whenever one of its inputs changes: no build
// step between a clone (or an edit) and a run. Its inputs are listed with their size and mtime; a start
// stats them (a few ms) and uses the bundle only when every one is unchanged.
//
// What the bundle changes and how it is kept equal to the sources:
// - `import.meta.url` would be the bundle's: each file's is replaced by its own source URL, so files found
//   next to a source (package.json, data, worker scripts, web entries) are found as before.
// - `import(NAME)` with `const NAME = "@valuecast/…"` (a lazily loaded workspace package) becomes a
//   literal import, bundled as a lazy chunk; any other `import.meta` use fails the build.
// - npm packages stay external and are imported from the cache directory, under the same node_modules:
//   the build fails when one would resolve to a different file from there than from its importer.
//   CommonJS ones are loaded with require (Node's ESM loader would parse each of their files first).
// - names are kept (keepNames), and --debug enables source maps so stacks name the .ts files.
// - core is a second entry (core.js, sharing chunks with main.js) for worker threads: its URL is left in
//   globalThis[Symbol.for("valuecast.bundledCore")], so a worker starts without tsx.
// Any failure returns undefined and the launcher loads the sources through tsx, as without a cache.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const CLI_DIR = fileURLToPath(new URL("..", import.meta.url));
const ENTRY = join(CLI_DIR, "src", "main.ts");
/** Core on its own (sharing chunks with main): what worker threads load (src/commands/fit-worker.mjs). */
const CORE_ENTRY = fileURLToPath(new URL("../../core/src/index.ts", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
/** Old bundles are removed this long after they were replaced (a running process may still load chunks). */
const KEEP_OLD_MS = 3600 * 1000;

/** esbuild as installed for tsx (a dependency of this package), and its package.json. */
function loadEsbuild() {
  const fromCli = createRequire(join(CLI_DIR, "package.json"));
  const fromTsx = createRequire(fromCli.resolve("tsx/package.json"));
  return { esbuild: fromTsx("esbuild"), packageJson: fromTsx.resolve("esbuild/package.json") };
}

/** The node_modules holding tsx: the cache lives in its .cache, so externals resolve as from the sources. */
function nodeModulesDir() {
  const tsx = createRequire(join(CLI_DIR, "package.json")).resolve("tsx/package.json");
  const at = tsx.lastIndexOf(`${sep}node_modules${sep}`);
  if (at < 0) throw new Error("tsx is not under a node_modules directory");
  return tsx.slice(0, at + `${sep}node_modules`.length);
}

function fingerprint(file) {
  const s = statSync(file);
  return [file, s.mtimeMs, s.size];
}

/** True when every input still has the size and mtime it had when the bundle was built. */
function unchanged(files) {
  try {
    for (const [file, mtimeMs, size] of files) {
      const s = statSync(file);
      if (s.mtimeMs !== mtimeMs || s.size !== size) return false;
    }
    return true;
  } catch {
    return false;
  }
}

/** package.json and tsconfig files that decide how the inputs resolve and compile. */
function configFiles(inputs) {
  const out = new Set();
  const visited = new Set();
  for (const file of inputs) {
    // Each directory once: the inputs share a handful of parents.
    for (let dir = dirname(file); !visited.has(dir); dir = dirname(dir)) {
      visited.add(dir);
      for (const name of ["package.json", "tsconfig.json", "tsconfig.base.json"]) {
        try {
          if (statSync(join(dir, name)).isFile()) out.add(join(dir, name));
        } catch {}
      }
      if (dirname(dir) === dir || dir.endsWith(`${sep}node_modules`)) break;
    }
  }
  return [...out].sort();
}

/**
 * CommonJS packages bundled with the sources rather than required: @duckdb/node-api is ~100 small files
 * (83 ms of a start to require, resolve and compile one by one) of plain JavaScript without __dirname or
 * computed requires; its native part, @duckdb/node-bindings, stays a require.
 */
const INLINED = new Set(["@duckdb/node-api"]);

/** True for a .cjs file, or a .js file whose package is not "type": "module". */
function isCommonJs(file) {
  if (file.endsWith(".cjs")) return true;
  if (!file.endsWith(".js")) return false;
  for (let dir = dirname(file); dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).type !== "module";
    } catch {}
  }
  return true;
}

/** Source transforms that keep the bundle's behaviour equal to the sources' (see the top of this file). */
function sourcePlugin(cacheDir, seen) {
  const SKIP = {};
  return {
    name: "valuecast-sources",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === SKIP) return undefined;
        // The require in a CommonJS shim (below): the package itself, loaded at run time.
        if (args.namespace === "cjs-external") return { path: args.path, external: true };
        const opts = { kind: args.kind, importer: args.importer, pluginData: SKIP };
        const r = await build.resolve(args.path, { ...opts, resolveDir: args.resolveDir });
        if (r.errors.length > 0) return { errors: r.errors };
        if (r.external) return { path: args.path, external: true };
        if (!r.path.includes(`${sep}node_modules${sep}`)) return { path: r.path };
        const fromCache = await build.resolve(args.path, { ...opts, resolveDir: cacheDir });
        if (fromCache.path !== r.path) {
          return {
            errors: [
              {
                text: `${args.path} resolves to ${fromCache.path} from the cache, ${r.path} from ${args.importer}`,
              },
            ],
          };
        }
        // CommonJS packages (DuckDB's node-api, pg, cli-progress, esbuild) are required, not imported:
        // Node's ESM loader parses every file of a CommonJS package for its export names (node-api:
        // ~100 files, 0.1-0.25 s of each start), require does not. Only when require finds the same file.
        if (isCommonJs(r.path) && INLINED.has(args.path)) return { path: r.path };
        if (isCommonJs(r.path)) {
          const req = await build.resolve(args.path, { ...opts, kind: "require-call", resolveDir: cacheDir });
          if (req.path === r.path) return { path: args.path, namespace: "cjs-external" };
        }
        return { path: args.path, external: true };
      });
      // A CommonJS module that requires the package, through the `require` of each output file's banner.
      build.onLoad({ filter: /.*/, namespace: "cjs-external" }, (args) => ({
        contents: `module.exports = require(${JSON.stringify(args.path)});`,
        loader: "js",
      }));
      build.onLoad({ filter: /\.(ts|mts)$/ }, (args) => {
        // Stat before reading: a file edited during the build is then seen as changed at the next start.
        seen.set(resolve(args.path), fingerprint(args.path));
        let text = readFileSync(args.path, "utf8");
        text = text.replaceAll("import.meta.url", JSON.stringify(pathToFileURL(args.path).href));
        for (const m of text.matchAll(/const (\w+) = "(@valuecast\/[\w-]+)";/g))
          text = text.replaceAll(`import(${m[1]})`, `import(${JSON.stringify(m[2])})`);
        if (text.includes("import.meta"))
          return { errors: [{ text: `${args.path}: import.meta other than import.meta.url` }] };
        return { contents: text, loader: "ts" };
      });
    },
  };
}

async function build(cacheDir, key) {
  const tmp = join(cacheDir, `tmp-${process.pid}-${Date.now()}`);
  try {
    return await buildInto(tmp, cacheDir, key);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

async function buildInto(tmp, cacheDir, key) {
  const { esbuild, packageJson } = loadEsbuild();
  const seen = new Map();
  const result = await esbuild.build({
    entryPoints: { main: ENTRY, core: CORE_ENTRY },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: `node${process.versions.node}`,
    keepNames: true,
    sourcemap: "linked",
    metafile: true,
    outdir: tmp,
    logLevel: "silent",
    // `require` for the CommonJS packages (see isCommonJs), resolved from the cache as from the sources.
    banner: {
      js: 'import { createRequire as __valuecastCreateRequire } from "node:module";\nconst require = __valuecastCreateRequire(import.meta.url);',
    },
    plugins: [sourcePlugin(cacheDir, seen)],
  });
  // Sorted: esbuild lists inputs in load order, which varies, and concurrent first starts should agree.
  const inputs = Object.keys(result.metafile.inputs)
    .filter((p) => !p.startsWith("cjs-external:"))
    .map((p) => resolve(p))
    .sort();
  // Also rebuilt on a new esbuild or a change to this file.
  const files = [
    ...inputs.map((p) => seen.get(p) ?? fingerprint(p)),
    ...[...configFiles(inputs), SELF, packageJson].map(fingerprint),
  ];
  const name = `b-${createHash("sha256")
    .update(JSON.stringify([key, files]))
    .digest("hex")
    .slice(0, 16)}`;
  const dir = join(cacheDir, name);
  try {
    renameSync(tmp, dir);
  } catch {
    // Another start built the same bundle first: use theirs.
    rmSync(tmp, { recursive: true, force: true });
  }
  const manifest = join(cacheDir, `current-${process.pid}.json`);
  writeFileSync(manifest, JSON.stringify({ key, dir: name, files }));
  renameSync(manifest, join(cacheDir, "current.json"));
  removeOld(cacheDir, name);
  return dir;
}

function removeOld(cacheDir, current) {
  const now = Date.now();
  for (const entry of readdirSync(cacheDir)) {
    if (entry === current || !(entry.startsWith("b-") || entry.startsWith("tmp-"))) continue;
    try {
      const p = join(cacheDir, entry);
      if (now - statSync(p).mtimeMs > KEEP_OLD_MS) rmSync(p, { recursive: true, force: true });
    } catch {}
  }
}

/**
 * The CLI module (`main`, `processIo`) from the cached bundle, built first when missing or stale; undefined
 * when it cannot be built or loaded (the caller then loads the sources through tsx).
 * @example const cli = await loadBundledCli(false)
 */
export async function loadBundledCli(debug) {
  try {
    const cacheDir = join(nodeModulesDir(), ".cache", "valuecast-cli");
    const key = process.versions.node;
    let dir;
    try {
      const m = JSON.parse(readFileSync(join(cacheDir, "current.json"), "utf8"));
      if (m.key === key && unchanged(m.files)) dir = join(cacheDir, m.dir);
    } catch {}
    if (!dir) {
      mkdirSync(cacheDir, { recursive: true });
      dir = await build(cacheDir, key);
    }
    if (debug) process.setSourceMapsEnabled(true);
    const cli = await import(pathToFileURL(join(dir, "main.js")).href);
    globalThis[Symbol.for("valuecast.bundledCore")] = pathToFileURL(join(dir, "core.js")).href;
    return cli;
  } catch (err) {
    if (debug) process.stderr.write(`valuecast: running from sources through tsx (${err?.message ?? err})\n`);
    return undefined;
  }
}
