export * from "./data.ts";
export * from "./likelihood.ts";
export * from "./model.ts";
export * from "./params.ts";
export * from "./predict.ts";
export * from "./simulate.ts";
export * from "./spec.ts";
