export { logTricomiU1, pnbdDertFor } from "./dert.ts";
export { pnbdLogLikelihood } from "./likelihood.ts";
export { pnbdModel } from "./model.ts";
export { pnbdLogOddsDead, pnbdPAlive } from "./p-alive.ts";
export { type PnbdParams, readPnbdParams } from "./params.ts";
export { pnbdPmfFor } from "./pmf.ts";
export { type PnbdPredictor, pnbdPredictor } from "./predictor.ts";
export { type PnbdSimulation, type PnbdSimulationOptions, simulatePnbd } from "./simulate.ts";
export { PNBD_PARAM_NAMES, pnbdSpec, pnbdStarts } from "./spec.ts";
