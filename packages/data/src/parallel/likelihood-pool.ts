import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { LogLikelihoodEvaluator, ModelSpec } from "@valuecast/core";

/**
 * Data whose columns are Float64Arrays (RfmData, DiscreteRfData, SpendData): the shape we can place in
 * shared memory without copying per evaluation.
 */
export type ColumnarData = object;

export interface LikelihoodPool {
  /** Synchronous evaluator for `fitModel`'s `evaluator` option: same value as the spec, split across threads. */
  readonly evaluator: LogLikelihoodEvaluator;
  readonly threads: number;
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Total threads including the caller's (default: available cores, at most 8). */
  readonly threads?: number;
}

const WORKER_URL = new URL("./likelihood-worker.mjs", import.meta.url);

function toShared(a: Float64Array): Float64Array {
  const s = new Float64Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

/**
 * Starts worker threads that each evaluate `spec.logLikelihoodRange` over a slice of the rows, so one
 * likelihood evaluation uses every core while the optimiser stays synchronous: the caller writes the
 * parameters to shared memory, wakes the workers with Atomics.notify, computes its own slice, then waits
 * (Atomics.wait) for theirs. The spec is loaded in each worker from its module URL and export name,
 * since functions cannot be sent between threads.
 * @example
 * const pool = await createLikelihoodPool(new URL("../models/bgnbd/spec.ts", import.meta.url).href, "bgnbdSpec", data);
 * const result = fitModel(bgnbdSpec, data, { evaluator: () => pool.evaluator });
 * await pool.close();
 */
export async function createLikelihoodPool<D extends ColumnarData>(
  spec: ModelSpec<D>,
  specModuleUrl: string,
  specExport: string,
  data: D,
  options: PoolOptions = {},
): Promise<LikelihoodPool> {
  if (!spec.logLikelihoodRange) throw new Error(`${spec.name} has no logLikelihoodRange`);
  const range = spec.logLikelihoodRange.bind(spec);
  const rows = spec.rows(data);
  const threads = Math.max(1, Math.min(options.threads ?? Math.min(availableParallelism(), 8), rows));
  const k = spec.params.length;
  const shared: Record<string, Float64Array> = {};
  for (const [key, col] of Object.entries(data)) {
    if (col instanceof Float64Array) shared[key] = toShared(col);
    else if (col !== undefined) throw new Error(`likelihood pool: column ${key} is not a Float64Array`);
  }
  const sharedData = shared as unknown as D;

  // control[0]: generation (negative = stop); control[1]: 1 when a gradient is wanted.
  const control = new Int32Array(new SharedArrayBuffer(8));
  const done = new Int32Array(new SharedArrayBuffer(4 * threads));
  const params = new Float64Array(new SharedArrayBuffer(8 * k));
  const results = new Float64Array(new SharedArrayBuffer(8 * threads * (k + 1)));
  const bounds = Array.from({ length: threads + 1 }, (_, i) => Math.round((i * rows) / threads));

  const workers: Worker[] = [];
  const ready: Promise<void>[] = [];
  for (let w = 1; w < threads; w++) {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        specModuleUrl,
        specExport,
        shared,
        control,
        done,
        params,
        results,
        slot: w,
        k,
        from: bounds[w],
        to: bounds[w + 1],
      },
    });
    workers.push(worker);
    ready.push(
      new Promise((resolve, reject) => {
        worker.once("message", (m) => (m === "ready" ? resolve() : reject(new Error(String(m)))));
        worker.once("error", reject);
      }),
    );
  }
  await Promise.all(ready);

  let generation = 0;
  const grad = new Float64Array(k);
  const evaluator: LogLikelihoodEvaluator = (p, g) => {
    generation++;
    params.set(p);
    Atomics.store(control, 1, g ? 1 : 0);
    Atomics.store(control, 0, generation);
    Atomics.notify(control, 0);
    grad.fill(0);
    let ll = range(p, sharedData, bounds[0]!, bounds[1]!, g ? grad : undefined);
    for (let w = 1; w < threads; w++) {
      while (Atomics.load(done, w) !== generation) Atomics.wait(done, w, Atomics.load(done, w));
      const base = w * (k + 1);
      ll += results[base]!;
      if (g) for (let i = 0; i < k; i++) grad[i] = grad[i]! + results[base + 1 + i]!;
    }
    if (g) g.set(grad);
    return ll;
  };

  return {
    evaluator,
    threads,
    async close() {
      Atomics.store(control, 0, -1);
      Atomics.notify(control, 0);
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
