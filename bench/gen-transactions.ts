/**
 * Writes a realistic transaction log from the core simulators, for the end-to-end benchmarks:
 * BG/NBD purchase process (r 0.25, alpha 4, a 0.8, b 2.5, weeks), first purchases spread so that
 * T is uniform on 26-78 weeks before the end date, purchases on whole days, amounts from the
 * Gamma-Gamma spend process (p 6, q 4, gamma 15: each customer's mean spend ~ 30).
 *
 *   node --import tsx bench/gen-transactions.ts --customers 1000000 --out bench/out/tx-1m.csv
 *
 * Columns: customer_id,date,amount (ISO date). About 2.4 transactions per customer.
 */
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { createRng, gamma, simulateBgnbd } from "@valuecast/core";

export interface GeneratedLog {
  readonly customers: number;
  readonly transactions: number;
  readonly bytes: number;
}

const END_DAY = Date.UTC(2026, 5, 30) / 86_400_000; // 2026-06-30, in epoch days

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** Generates `customers` customers' transactions into `out` (CSV with a header). */
export async function generateTransactions(customers: number, out: string, seed = 11): Promise<GeneratedLog> {
  await mkdir(dirname(out), { recursive: true });
  const rng = createRng(seed);
  const Tdays = new Float64Array(customers);
  for (let i = 0; i < customers; i++) Tdays[i] = 182 + Math.floor(rng.uniform() * 365);
  const Tweeks = new Float64Array(customers);
  for (let i = 0; i < customers; i++) Tweeks[i] = Tdays[i]! / 7;
  const sim = simulateBgnbd({ r: 0.25, alpha: 4, a: 0.8, b: 2.5 }, Tweeks, seed + 1);
  const stream = createWriteStream(out);
  const write = (s: string): Promise<void> =>
    stream.write(s)
      ? Promise.resolve()
      : new Promise<void>((resolve) => stream.once("drain", () => resolve()));
  let bytes = 0;
  let transactions = 0;
  let chunk = "customer_id,date,amount\n";
  for (let i = 0; i < customers; i++) {
    const first = END_DAY - Tdays[i]!;
    const nu = gamma(rng, 4, 15); // this customer's spend rate (Gamma-Gamma: nu ~ Gamma(q, gamma))
    const id = `C${String(i + 1).padStart(7, "0")}`;
    const amount = () => (Math.round(gamma(rng, 6, nu) * 100) / 100).toFixed(2);
    chunk += `${id},${isoDay(first)},${amount()}\n`;
    transactions++;
    for (let k = sim.offsets[i]!; k < sim.offsets[i + 1]!; k++) {
      const day = first + Math.floor(sim.times[k]! * 7);
      chunk += `${id},${isoDay(Math.min(day, END_DAY))},${amount()}\n`;
      transactions++;
    }
    if (chunk.length > 1 << 20) {
      bytes += chunk.length;
      await write(chunk);
      chunk = "";
    }
  }
  bytes += chunk.length;
  await write(chunk);
  await new Promise<void>((resolve, reject) =>
    stream.end((err?: Error | null) => (err ? reject(err) : resolve())),
  );
  return { customers, transactions, bytes };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      customers: { type: "string", default: "1000000" },
      out: { type: "string" },
      seed: { type: "string" },
    },
  });
  const customers = Number(values.customers);
  const out = values.out ?? `bench/out/tx-${customers}.csv`;
  const t0 = performance.now();
  const r = await generateTransactions(customers, out, values.seed ? Number(values.seed) : undefined);
  console.log(
    `${out}: ${r.customers} customers, ${r.transactions} transactions, ${(r.bytes / 1e6).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
}
