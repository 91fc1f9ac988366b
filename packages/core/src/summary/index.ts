export * from "./summary/types.ts";
