export * from "./discounting.ts";
export * from "./factorised.ts";
export * from "./options.ts";
export * from "./score.ts";
