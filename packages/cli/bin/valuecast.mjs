#!/usr/bin/env node
// The `valuecast` launcher: Node 20 cannot run TypeScript by itself. It runs the CLI from a bundle of its
// sources that it builds and caches by itself, rebuilt whenever a source changes (bundle-cache.mjs: starts
// in ~0.1 s instead of ~0.8 s), and otherwise (VALUECAST_NO_BUNDLE=1, or a bundle that cannot be built or
// loaded) registers tsx's ESM loader and loads the sources directly. No build step between a clone and a run.
import { loadBundledCli } from "./bundle-cache.mjs";

const debug = process.argv.includes("--debug");
let cli = process.env.VALUECAST_NO_BUNDLE ? undefined : await loadBundledCli(debug);
if (!cli) {
  const { register } = await import("tsx/esm/api");
  register();
  cli = await import("../src/main.ts");
}
const code = await cli.main(process.argv.slice(2), cli.processIo());
// Exit explicitly once stdout has drained: open engine handles (DuckDB, pg) must not keep the process up.
process.stdout.write("", () => process.exit(code));
