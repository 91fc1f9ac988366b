export * from "./purchase-model.ts";
export * from "./rfm-data.ts";
export * from "./types.ts";
