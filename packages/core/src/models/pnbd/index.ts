export { pnbdLogLikelihood } from "./likelihood.ts";
export { PNBD_PARAM_NAMES, pnbdSpec, pnbdStarts } from "./spec.ts";
export { tailIntegral } from "./tail-integral.ts";
