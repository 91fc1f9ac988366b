export * from "./bg-expectation.ts";
export * from "./bg-likelihood.ts";
export * from "./bg-params.ts";
export * from "./bg-pmf.ts";
export * from "./bg-predictor.ts";
export * from "./bg-spec.ts";
export * from "./distinct-x.ts";
export * from "./model.ts";
