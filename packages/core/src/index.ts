// valuecast core: pure TypeScript, no runtime dependencies, runs in Node and in a browser.
export * from "./analytics/index.ts";
export * from "./clv/index.ts";
export * from "./compose/index.ts";
export * from "./errors/issues.ts";
export * from "./fit/index.ts";
export * from "./learn/index.ts";
export * from "./math/index.ts";
export * from "./metrics/index.ts";
export * from "./models/index.ts";
export * from "./summary/index.ts";
export * from "./time.ts";
