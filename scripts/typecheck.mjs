#!/usr/bin/env node
// Type-checks every project (each package has its own tsconfig: core has no Node types, the rest do).
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const hasTs = (dir) =>
  existsSync(dir) &&
  readdirSync(dir).some((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? n !== "node_modules" && hasTs(p) : n.endsWith(".ts");
  });
const projects = [];
for (const pkg of readdirSync(join(root, "packages"))) {
  const dir = join(root, "packages", pkg);
  for (const cfg of ["tsconfig.json", "tsconfig.test.json"]) {
    if (!existsSync(join(dir, cfg))) continue;
    const include = JSON.parse(readFileSync(join(dir, cfg), "utf8")).include ?? ["."];
    if (include.some((inc) => hasTs(join(dir, inc)))) projects.push(join("packages", pkg, cfg));
  }
}
if (hasTs(join(root, "bench"))) projects.push("bench/tsconfig.json");
const tsc = join(root, "node_modules", ".bin", "tsc");
let failed = 0;
for (const p of projects) {
  const r = spawnSync(tsc, ["-p", p], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`typecheck failed: ${p}`);
  }
}
console.log(`typecheck: ${projects.length - failed} of ${projects.length} projects clean`);
process.exit(failed ? 1 : 0);
