export * from "./gg-likelihood.ts";
export * from "./model.ts";
export * from "./simulate.ts";
export * from "./spend-data.ts";
