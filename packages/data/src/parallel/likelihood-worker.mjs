// Worker side of the likelihood pool. Plain .mjs because Node 20 does not pass `--import tsx` on to
// worker threads: we register tsx here, then load the model spec (TypeScript) by its module URL.
import { parentPort, workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
const { specModuleUrl, specExport, shared, control, done, params, results, slot, k, from, to } = workerData;
const mod = await import(specModuleUrl);
const spec = mod[specExport];
if (!spec?.logLikelihoodRange) {
  parentPort.postMessage(`no logLikelihoodRange on ${specExport} in ${specModuleUrl}`);
} else {
  parentPort.postMessage("ready");
  const grad = new Float64Array(k);
  let seen = 0;
  for (;;) {
    Atomics.wait(control, 0, seen);
    const generation = Atomics.load(control, 0);
    if (generation < 0) break;
    if (generation === seen) continue;
    seen = generation;
    const wantGrad = Atomics.load(control, 1) === 1;
    grad.fill(0);
    const ll = spec.logLikelihoodRange(params, shared, from, to, wantGrad ? grad : undefined);
    const base = slot * (k + 1);
    results[base] = ll;
    if (wantGrad) for (let i = 0; i < k; i++) results[base + 1 + i] = grad[i];
    Atomics.store(done, slot, generation);
    Atomics.notify(done, slot);
  }
}
