#!/usr/bin/env node
// Runs every *.test.ts under packages/*/test and bench/test with node's test runner (through tsx).
// Node 20 has no glob in --test and silently passes with zero files, so we list the files ourselves
// and fail loudly when none are found.
// Usage: node scripts/run-tests.mjs [substring filter ...]
import { spawnSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const roots = [
  ...readdirSync(join(root, "packages")).map((p) => join(root, "packages", p, "test")),
  join(root, "bench", "test"),
];

function walk(dir, out) {
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (name.endsWith(".test.ts")) out.push(path);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = roots
  .flatMap((dir) => walk(dir, []))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)));

if (files.length === 0) {
  console.error(`no test files found${filters.length ? ` for ${filters.join(", ")}` : ""}`);
  console.log("0 passed, 1 failed");
  process.exit(1);
}

const concurrency = process.env.VALUECAST_TEST_CONCURRENCY ?? "2";
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--import",
    "./scripts/fast-check-seed.mjs",
    "--test",
    `--test-concurrency=${concurrency}`,
    "--test-reporter=spec",
    ...files,
  ],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
