import { spawnSync } from "node:child_process";
import { bufferIo } from "../src/io.ts";
import { main } from "../src/main.ts";
import { BIN } from "./paths.ts";

/** Runs the CLI in-process and returns exit code, stdout and stderr. */
export async function run(
  argv: string[],
  cwd = process.cwd(),
): Promise<{ code: number; out: string; err: string }> {
  const io = bufferIo(cwd);
  const code = await main(argv, io);
  return { code, out: io.out(), err: io.err() };
}

/** Runs the real launcher in a child process (what a user's shell does). */
export function spawnCli(
  argv: string[],
  cwd = process.cwd(),
): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...argv], { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
