export * from "./fit.ts";
export type * from "./result.ts";
export type * from "./spec.ts";
