export * from "./columns.ts";
export * from "./convert.ts";
export * from "./days.ts";
export * from "./parse.ts";
export * from "./periods.ts";
export * from "./report.ts";
export * from "./summarize.ts";
export * from "./types.ts";
