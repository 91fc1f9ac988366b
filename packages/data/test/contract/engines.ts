// The engines the contract suite runs against. DuckDB always; PostgreSQL when VALUECAST_PG_URL is set
// (`source scripts/pg-start.sh`), and its absence is a failure under CI=true.
import type { Source } from "../../src/index.ts";
import { openSource } from "../../src/index.ts";
import type { ContractDataset } from "./datasets.ts";

export interface ContractEngine {
  readonly name: string;
  open(dataset: ContractDataset): Promise<Source>;
  close(): Promise<void>;
}

export const duckdbEngine: ContractEngine = {
  name: "duckdb",
  open: (d) => openSource({ path: d.pattern ? [d.pattern] : d.files, ...d.read }),
  close: async () => {},
};

export async function contractEngines(): Promise<{ engines: ContractEngine[]; missing?: string }> {
  const engines: ContractEngine[] = [duckdbEngine];
  const url = process.env.VALUECAST_PG_URL;
  if (url) {
    const { postgresEngine, postgresWithoutRowHash } = await import("./postgres-engine.ts");
    engines.push(postgresEngine(url), postgresWithoutRowHash(url));
    return { engines };
  }
  return { engines, missing: "VALUECAST_PG_URL is not set (source scripts/pg-start.sh)" };
}
