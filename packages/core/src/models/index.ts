export * from "./bgnbd/index.ts";
export * from "./gamma-gamma/index.ts";
export * from "./mbgnbd/index.ts";
export * from "./pnbd/index.ts";
export * from "./purchase-model.ts";
export * from "./rfm-data.ts";
export * from "./types.ts";
