export { logTricomiU1, pnbdDertFor } from "./dert.ts";
export { pnbdLogLikelihood } from "./likelihood.ts";
export { pnbdModel } from "./model.ts";
export { pnbdLogOddsDead, pnbdPAlive } from "./p-alive.ts";
export { checkCustomer, type PnbdParams, readPnbdParams } from "./params.ts";
export { pnbdPmfFor } from "./pmf.ts";
export { type PnbdPredictor, pnbdPredictor } from "./predictor.ts";
export { PNBD_PARAM_NAMES, pnbdSpec, pnbdStarts } from "./spec.ts";
export { tailIntegral } from "./tail-integral.ts";
