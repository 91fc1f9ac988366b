#!/usr/bin/env node
// The `valuecast` launcher: Node 20 cannot run TypeScript by itself, so register tsx's ESM loader
// first and then load the CLI from its sources (no build step between a clone and a run).
import { register } from "tsx/esm/api";

register();
const { main, processIo } = await import("../src/main.ts");
const code = await main(process.argv.slice(2), processIo());
// Exit explicitly once stdout has drained: open engine handles (DuckDB, pg) must not keep the process up.
process.stdout.write("", () => process.exit(code));
