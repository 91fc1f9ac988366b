// Worker side of `fitOnWorker` (fit.ts): fits one core model spec on the data it is sent and posts the
// FitResult back, so a second model fits on another core at the same time. Core comes from the launcher's
// bundle when the CLI runs from it (workerData.coreUrl: ~50 ms to start), else from the sources through tsx
// (Node 20 does not pass the main thread's loader on to workers).
import { parentPort, workerData } from "node:worker_threads";

let core;
if (workerData?.coreUrl) core = await import(workerData.coreUrl);
else {
  const { register } = await import("tsx/esm/api");
  register();
  core = await import("@valuecast/core");
}

parentPort.on("message", ({ specExport, data, options }) => {
  try {
    parentPort.postMessage({ result: core.fitModel(core[specExport], data, options) });
  } catch (err) {
    // A ValuecastError's issues are plain data; anything else travels as its message.
    parentPort.postMessage({ issues: err?.issues, message: String(err?.message ?? err) });
  }
});
