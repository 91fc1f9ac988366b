// valuecast core: pure TypeScript, no runtime dependencies, runs in Node and in a browser.
export * from "./errors/issues.ts";
export * from "./models/types.ts";
export * from "./time.ts";
